package dev.kes4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.internal.pki.Pki;
import dev.kes4j.testkit.FaultyKeyStore;
import io.netty.handler.ssl.OpenSsl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link KesServer}: real TLS handshakes on a loopback socket with the JDK's HTTP client. */
class KesServerTest {
  static final TestCerts CERTS = new TestCerts();
  static final Pki.Issued ADMIN =
      TestCerts.selfSigned("admin", false); // Ed25519, like KES API keys
  static final Pki.Issued ALICE = TestCerts.selfSigned("alice", false);
  static final Pki.Issued MALLORY = TestCerts.selfSigned("mallory", true); // ECDSA

  /** The API tests' config (kes-http's KesHttpApiTest): an admin and a "minio" policy for alice. */
  static String config(String extra) {
    return "admin:\n  identity: "
        + TestCerts.identity(ADMIN).value()
        + "\npolicy:\n  minio:\n    allow:\n"
        + "    - /v1/key/create/*\n    - /v1/key/generate/*\n    - /v1/key/decrypt/*\n"
        + "    - /v1/key/bulk/decrypt/*\n    - /v1/key/list/*\n    - /v1/status\n"
        + "    deny:\n    - /v1/key/create/forbidden*\n"
        + "    identities:\n    - "
        + TestCerts.identity(ALICE).value()
        + "\nkeystore:\n  mem: {}\n"
        + extra;
  }

  static Kes kes;
  static KesServer server;

  @BeforeAll
  static void start() {
    KesConfig cfg = KesConfig.parse(config(""));
    kes = Kes.builder().keyStore(new MemKeyStore()).policies(cfg.policySet()).build();
    kes.createKey("k");
    server = start(KesHttpApi.fromConfig(kes, cfg), KesServer.TlsProvider.JDK, null);
  }

  static KesServer start(KesHttpApi api, KesServer.TlsProvider provider, List<?> verifyWith) {
    KesServer.Builder b =
        KesServer.builder(api)
            .address("127.0.0.1:0")
            .tlsProvider(provider)
            .certificate(
                CERTS.server.privateKey(),
                List.of(CERTS.server.certificate(), CERTS.ca.certificate()));
    if (verifyWith != null) {
      b.clientAuth(KesServer.ClientAuth.VERIFY, List.of(CERTS.ca.certificate())).systemRoots(false);
    }
    return b.start();
  }

  @AfterAll
  static void stop() {
    server.close();
    kes.close();
  }

  static HttpClient client(Pki.Issued who) {
    return HttpClient.newBuilder()
        .sslContext(CERTS.clientContext(who))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  static final HttpClient ADMIN_CLIENT = client(ADMIN);
  static final HttpClient ALICE_CLIENT = client(ALICE);
  static final HttpClient MALLORY_CLIENT = client(MALLORY);

  static HttpResponse<String> send(
      HttpClient c, KesServer s, String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.address().getPort() + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> send(HttpClient c, String method, String path, String body)
      throws IOException, InterruptedException {
    return send(c, server, method, path, body);
  }

  static Stream<Arguments> overTheWire() {
    return Stream.of(
        Arguments.of("admin", "GET", "/v1/status", null, 200, "\"keystore_latency\""),
        Arguments.of("admin", "POST", "/v1/key/generate/k", null, 200, "\"plaintext\""),
        Arguments.of(
            "admin",
            "PUT",
            "/v1/key/create/k",
            null,
            400,
            "{\"message\":\"key does already exist\"\n}"),
        Arguments.of("admin", "GET", "/v1/key/describe/none", null, 404, "key does not exist"),
        Arguments.of("admin", "GET", "/v1/nope", null, 404, "404 page not found\n"),
        Arguments.of(
            "alice", "POST", "/v1/key/generate/k", "{\"context\":\"YQ==\"}", 200, "\"ciphertext\""),
        Arguments.of("alice", "DELETE", "/v1/key/delete/k", null, 403, "prohibited by policy"),
        Arguments.of("mallory", "GET", "/v1/status", null, 403, "prohibited by policy"),
        Arguments.of("mallory", "GET", "/version", null, 200, "\"version\""));
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {4}")
  @MethodSource("overTheWire")
  void routesOverMutualTls(
      String who, String method, String path, String body, int status, String part)
      throws Exception {
    HttpClient c =
        switch (who) {
          case "admin" -> ADMIN_CLIENT;
          case "alice" -> ALICE_CLIENT;
          default -> MALLORY_CLIENT;
        };
    HttpResponse<String> r = send(c, method, path, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).contains(part);
  }

  @Test
  void methodRedirectAndHeaders() throws Exception {
    HttpResponse<String> r = send(ADMIN_CLIENT, "DELETE", "/v1/status", null);
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Accept")).hasValue("GET");
    HttpResponse<String> redirect = send(ADMIN_CLIENT, "GET", "/v1/key/list", null);
    assertThat(redirect.statusCode()).isEqualTo(301);
    assertThat(redirect.headers().firstValue("Location")).hasValue("/v1/key/list/");
    HttpResponse<String> m = send(ADMIN_CLIENT, "GET", "/v1/metrics", null);
    assertThat(m.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(m.body()).contains("kes_system_num_cpu");
  }

  @Test
  void bodyLimitOverTheWire() throws Exception {
    String prefix = "{\"plaintext\":\"\"}";
    HttpResponse<String> r =
        send(ADMIN_CLIENT, "PUT", "/v1/key/encrypt/k", prefix + " ".repeat(1_000_000));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("{\"message\":\"invalid request body\"\n}");
    // the connection is still usable
    assertThat(send(ADMIN_CLIENT, "GET", "/v1/ready", null).statusCode()).isEqualTo(200);
  }

  @Test
  void clientWithoutCertificateIsRejectedInTheHandshake() {
    HttpClient none = client(null);
    assertThatThrownBy(() -> send(none, "GET", "/version", null)).isInstanceOf(IOException.class);
  }

  @Test
  void caOnlyCertificateHasNoIdentity() throws Exception {
    HttpResponse<String> r = send(client(TestCerts.caOnly("only a CA")), "GET", "/v1/status", null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("{\"message\":\"tls: client certificate is required\"\n}");
  }

  @Test
  void skipAuthRequestsButDoesNotRequireCertificates() throws Exception {
    KesConfig cfg = KesConfig.parse(config("api:\n  /v1/status:\n    skip_auth: true\n"));
    try (KesServer s = start(KesHttpApi.fromConfig(kes, cfg), KesServer.TlsProvider.JDK, null)) {
      HttpClient none = client(null);
      assertThat(send(none, s, "GET", "/v1/status", null).statusCode()).isEqualTo(200);
      HttpResponse<String> r = send(none, s, "GET", "/v1/metrics", null);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("{\"message\":\"tls: client certificate is required\"\n}");
      assertThat(send(MALLORY_CLIENT, s, "GET", "/v1/status", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void authOnVerifiesClientChains() throws Exception {
    Pki.Issued trusted = CERTS.issued("trusted admin");
    String yaml =
        config("").replace(TestCerts.identity(ADMIN).value(), TestCerts.identity(trusted).value());
    KesConfig cfg = KesConfig.parse(yaml);
    try (Kes k = Kes.builder().keyStore(new MemKeyStore()).policies(cfg.policySet()).build();
        KesServer s = start(KesHttpApi.fromConfig(k, cfg), KesServer.TlsProvider.JDK, List.of())) {
      assertThat(send(client(trusted), s, "GET", "/v1/status", null).statusCode()).isEqualTo(200);
      HttpClient selfSigned = client(ADMIN);
      assertThatThrownBy(() -> send(selfSigned, s, "GET", "/v1/status", null))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void slowRequestsTimeOutWith503() throws Exception {
    KesConfig cfg = KesConfig.parse(config("api:\n  /v1/key/describe/:\n    timeout: 1s\n"));
    FaultyKeyStore store = FaultyKeyStore.wrap(new MemKeyStore());
    try (Kes k = Kes.builder().keyStore(store).policies(cfg.policySet()).build();
        KesServer s = start(KesHttpApi.fromConfig(k, cfg), KesServer.TlsProvider.JDK, null)) {
      k.createKey("slow");
      store.latency(Duration.ofSeconds(3));
      HttpResponse<String> r = send(ADMIN_CLIENT, s, "GET", "/v1/key/describe/slow", null);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("{\"message\":\"request timeout\"\n}");
      store.latency(Duration.ZERO);
    }
  }

  @Test
  void auditLogStreamsOverHttps() throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.address().getPort() + "/v1/log/audit"))
            .GET()
            .build();
    HttpResponse<Stream<String>> r =
        client(ADMIN).sendAsync(req, HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    Thread reader = new Thread(() -> r.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    String line = null;
    for (int i = 0; i < 100 && line == null; i++) {
      send(ALICE_CLIENT, "POST", "/v1/key/generate/k", null);
      line = lines.poll(100, TimeUnit.MILLISECONDS);
    }
    assertThat(line)
        .contains("\"path\":\"/v1/key/generate/k\"")
        .contains("\"identity\":\"" + TestCerts.identity(ALICE).value() + "\"")
        .contains("\"ip\":\"127.0.0.1\"");
  }

  static Stream<Arguments> serverKeys() {
    return Stream.of(
        Arguments.of("RSA", 2048, KesServer.TlsProvider.JDK),
        Arguments.of("RSA", 2048, KesServer.TlsProvider.OPENSSL),
        Arguments.of("EC", 384, KesServer.TlsProvider.JDK),
        Arguments.of("EC", 384, KesServer.TlsProvider.OPENSSL),
        Arguments.of("Ed25519", 0, KesServer.TlsProvider.JDK));
  }

  @ParameterizedTest(name = "{0} {1} over {2}")
  @MethodSource("serverKeys")
  void everyServerKeyTypeCompletesAHandshake(
      String algorithm, int bits, KesServer.TlsProvider provider) throws Exception {
    // the server's key goes to the TLS provider through an in-memory JKS key store (TlsContexts)
    if (provider == KesServer.TlsProvider.OPENSSL) {
      Assumptions.assumeTrue(OpenSsl.isAvailable(), "netty-tcnative BoringSSL not available here");
    }
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance(algorithm);
    if (bits > 0) {
      g.initialize(bits);
    }
    Pki.Issued cert =
        Pki.issue(
            g.generateKeyPair(),
            "localhost",
            Pki.Usage.SERVER,
            List.of("localhost"),
            List.of("127.0.0.1"),
            Duration.ofDays(1),
            CERTS.ca);
    try (KesServer s =
        KesServer.builder(KesHttpApi.fromConfig(kes, KesConfig.parse(config(""))))
            .address("127.0.0.1:0")
            .tlsProvider(provider)
            .certificate(cert.privateKey(), List.of(cert.certificate(), CERTS.ca.certificate()))
            .start()) {
      assertThat(s.tlsProvider())
          .startsWith(provider == KesServer.TlsProvider.JDK ? "JDK" : "Open");
      assertThat(send(MALLORY_CLIENT, s, "GET", "/version", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void boringSslServesEcdsaClientsButNotEd25519() throws Exception {
    Assumptions.assumeTrue(OpenSsl.isAvailable(), "netty-tcnative BoringSSL not available here");
    try (KesServer s =
        start(
            KesHttpApi.fromConfig(kes, KesConfig.parse(config(""))),
            KesServer.TlsProvider.OPENSSL,
            null)) {
      assertThat(s.tlsProvider()).startsWith("OpenSSL");
      assertThat(send(MALLORY_CLIENT, s, "GET", "/version", null).statusCode()).isEqualTo(200);
      HttpClient ed25519 = client(ADMIN);
      assertThatThrownBy(() -> send(ed25519, s, "GET", "/version", null))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void configServerPrintsOneAuditLinePerRequest(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(
        dir.resolve("s.key"), dev.kes4j.policy.internal.pki.Pem.encode(CERTS.server.privateKey()));
    java.nio.file.Files.writeString(
        dir.resolve("s.cert"),
        dev.kes4j.policy.internal.pki.Pem.encode(CERTS.server.certificate()));
    String yaml =
        config("log:\n  audit: on\ntls:\n  key: s.key\n  cert: s.cert\n")
            + "keys:\n  - name: startup-key\n";
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    dev.kes4j.server.internal.ConfigServer cs =
        dev.kes4j.server.internal.ConfigServer.start(
            KesConfig.parse(yaml),
            new dev.kes4j.server.internal.ConfigServer.Overrides(
                java.util.Optional.of("127.0.0.1:0"),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                KesServer.TlsProvider.JDK),
            dir,
            dev.kes4j.api.spi.KeyStores.discover(),
            new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertThat(
              send(ADMIN_CLIENT, cs.server(), "POST", "/v1/key/generate/startup-key", null)
                  .statusCode())
          .isEqualTo(200);
    } finally {
      cs.close(); // flushes the audit writer
    }
    String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    // one line for the one request; the engine itself (built with AuditSink.NONE) adds none
    assertThat(printed.lines().filter(l -> l.contains("/v1/key/generate/startup-key")).count())
        .isEqualTo(1);
    assertThat(printed.lines().filter(l -> l.contains("/v1/key/create/")).count()).isZero();
  }

  @Test
  void portInUseIsAClearStartupError() {
    KesHttpApi api = KesHttpApi.builder(kes).build();
    KesServer.Builder b =
        KesServer.builder(api)
            .address("127.0.0.1:" + server.address().getPort())
            .certificate(CERTS.server.privateKey(), List.of(CERTS.server.certificate()));
    assertThatThrownBy(b::start)
        .isInstanceOf(dev.kes4j.api.KesConfigException.class)
        .hasMessageContaining("cannot listen on 127.0.0.1:" + server.address().getPort());
  }
}
