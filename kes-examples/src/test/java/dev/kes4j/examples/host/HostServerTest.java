package dev.kes4j.examples.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.examples.walkthrough.TlsIdentity;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.server.KesServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Example 4: KES mounted on the host's own {@code HttpsServer} answers exactly as kes4j's own
 * {@link KesServer}. Each front serves its own engine, built identically (same policies, same key
 * material, same fixed clock), and the same sequence of requests goes to both.
 */
class HostServerTest {
  static final TlsIdentity SERVER =
      TlsIdentity.create("localhost", List.of("127.0.0.1"), List.of("localhost"));
  static final TlsIdentity ADMIN = TlsIdentity.create("admin", List.of(), List.of());
  static final TlsIdentity APP = TlsIdentity.create("app", List.of(), List.of());
  static final TlsIdentity STRANGER = TlsIdentity.create("stranger", List.of(), List.of());
  static final Instant STARTED = Instant.parse("2025-01-02T03:04:05Z");
  static final byte[] KEY_MATERIAL = new byte[32];
  static final String CONTEXT = b64("{\"bucket\":\"bucket/object\"}");

  static {
    for (int i = 0; i < KEY_MATERIAL.length; i++) {
      KEY_MATERIAL[i] = (byte) (7 * i + 3);
    }
  }

  static final Map<String, HttpClient> CLIENTS =
      Map.of(
          "admin", client(ADMIN),
          "app", client(APP),
          "stranger", client(STRANGER),
          "none", client(null));

  static KesConfig config;
  static Kes hostEngine;
  static Kes kesEngine;
  static HostServer host;
  static KesServer kesServer;
  static String sealed; // a ciphertext of "hello" under k with CONTEXT, readable by both engines

  @BeforeAll
  static void start() {
    config =
        KesConfig.parse(
            "admin:\n"
                + "  identity: "
                + ADMIN.identity().value()
                + "\n"
                + "api:\n"
                + "  /v1/ready:\n"
                + "    skip_auth: true\n" // a liveness probe; TLS then only requests certificates
                + "policy:\n"
                + "  minio:\n"
                + "    allow:\n"
                + "    - /v1/key/create/*\n"
                + "    - /v1/key/generate/*\n"
                + "    - /v1/key/decrypt/*\n"
                + "    deny:\n"
                + "    - /v1/key/create/forbidden-*\n"
                + "    identities:\n"
                + "    - "
                + APP.identity().value()
                + "\n"
                + "keystore:\n"
                + "  mem: {}\n");
    hostEngine = engine();
    kesEngine = engine();
    sealed =
        Base64.getEncoder()
            .encodeToString(
                hostEngine.encrypt(
                    "k",
                    "hello".getBytes(StandardCharsets.UTF_8),
                    Base64.getDecoder().decode(CONTEXT)));
    host =
        HostServer.builder(SERVER.privateKey(), List.of(SERVER.certificate()))
            .mountKes(KesHttpApi.fromConfig(hostEngine, config))
            .start();
    kesServer =
        KesServer.builder(KesHttpApi.fromConfig(kesEngine, config))
            .address("127.0.0.1:0")
            .certificate(SERVER.privateKey(), List.of(SERVER.certificate()))
            .start();
  }

  static Kes engine() {
    Kes kes =
        Kes.builder()
            .keyStore(new MemKeyStore())
            .policies(config.policySet())
            .clock(Clock.fixed(STARTED, ZoneOffset.UTC))
            .manualMaintenance()
            .build();
    kes.importKey("k", KeyAlgorithm.AES256, KEY_MATERIAL.clone());
    return kes;
  }

  @AfterAll
  static void stop() {
    host.close();
    kesServer.close();
    hostEngine.close();
    kesEngine.close();
  }

  /** One request of the matrix and the status both fronts must answer. */
  record Row(String who, String method, String path, String body, int status) {
    @Override
    public String toString() {
      return who + " " + method + " " + path + " -> " + status;
    }
  }

  /** What a front answered, with random fields (fresh data keys) masked. */
  record Answer(int status, String contentType, String body) {}

  static List<Row> matrix() {
    String decrypt = "{\"ciphertext\":\"" + sealed + "\",\"context\":\"" + CONTEXT + "\"}";
    String wrongContext = "{\"ciphertext\":\"" + sealed + "\",\"context\":\"" + b64("{}") + "\"}";
    String generate = "{\"context\":\"" + CONTEXT + "\"}";
    List<Row> rows = new ArrayList<>();
    // the admin may do anything
    rows.add(new Row("admin", "GET", "/version", null, 200));
    rows.add(new Row("admin", "POST", "/v1/key/create/admin-key", null, 200));
    rows.add(new Row("admin", "POST", "/v1/key/create/k", null, 400));
    rows.add(new Row("admin", "GET", "/v1/key/describe/k", null, 200));
    rows.add(new Row("admin", "GET", "/v1/key/list/*", null, 200));
    rows.add(new Row("admin", "DELETE", "/v1/key/delete/admin-key", null, 200));
    rows.add(new Row("admin", "DELETE", "/v1/key/delete/admin-key", null, 404));
    rows.add(new Row("admin", "GET", "/v1/identity/self/describe", null, 200));
    rows.add(new Row("admin", "GET", "/v1/policy/describe/minio", null, 200));
    rows.add(new Row("admin", "GET", "/v1/policy/read/minio", null, 200));
    rows.add(new Row("admin", "GET", "/v1/identity/list/*", null, 200));
    // a policy identity: allowed paths
    rows.add(new Row("app", "POST", "/v1/key/create/app-key", null, 200));
    rows.add(new Row("app", "POST", "/v1/key/generate/k", generate, 200));
    rows.add(new Row("app", "POST", "/v1/key/decrypt/k", decrypt, 200));
    rows.add(new Row("app", "POST", "/v1/key/decrypt/k", wrongContext, 400));
    rows.add(new Row("app", "POST", "/v1/key/decrypt/k", "not json", 400));
    rows.add(new Row("app", "POST", "/v1/key/generate/missing", null, 404));
    rows.add(new Row("app", "GET", "/v1/identity/self/describe", null, 200));
    // ... and denied ones
    rows.add(new Row("app", "POST", "/v1/key/create/forbidden-key", null, 403));
    rows.add(new Row("app", "DELETE", "/v1/key/delete/k", null, 403));
    rows.add(new Row("app", "GET", "/v1/key/describe/k", null, 403));
    rows.add(new Row("app", "POST", "/v1/key/encrypt/k", "{\"plaintext\":\"\"}", 403));
    rows.add(new Row("app", "GET", "/v1/key/list/*", null, 403));
    rows.add(new Row("app", "GET", "/v1/status", null, 403));
    rows.add(new Row("app", "GET", "/v1/log/audit", null, 403));
    rows.add(new Row("app", "GET", "/v1/policy/describe/minio", null, 403));
    // an identity that is neither admin nor in a policy
    rows.add(new Row("stranger", "POST", "/v1/key/generate/k", generate, 403));
    rows.add(new Row("stranger", "POST", "/v1/key/create/x", null, 403));
    rows.add(new Row("stranger", "GET", "/v1/identity/self/describe", null, 404));
    rows.add(new Row("stranger", "GET", "/version", null, 200));
    // no certificate at all
    rows.add(new Row("none", "POST", "/v1/key/create/x", null, 400));
    rows.add(new Row("none", "POST", "/v1/key/generate/k", generate, 400));
    rows.add(new Row("none", "GET", "/v1/ready", null, 200)); // skip_auth
    rows.add(new Row("none", "GET", "/version", null, 200));
    // routing and methods, answered by the API, not by the transport
    rows.add(new Row("admin", "GET", "/v1/no/such/route", null, 404));
    rows.add(new Row("admin", "GET", "/v1/key/list", null, 301));
    rows.add(new Row("app", "GET", "/v1/key/create/x", null, 405));
    rows.add(new Row("admin", "GET", "/v1/key/create/bad%20name", null, 405));
    rows.add(new Row("admin", "POST", "/v1/key/create/bad%20name", null, 400));
    rows.add(new Row("admin", "GET", "/v1/key/list/app*?continue=x", null, 200));
    return rows;
  }

  @TestFactory
  Stream<DynamicTest> theHostAnswersExactlyAsKesServer() {
    return matrix().stream()
        .map(
            row ->
                DynamicTest.dynamicTest(
                    row.toString(),
                    () -> {
                      Answer onHost = send(row, host.port());
                      Answer onKes = send(row, kesServer.address().getPort());
                      assertThat(onHost.status()).as("status").isEqualTo(row.status());
                      assertThat(onHost).isEqualTo(onKes);
                    }));
  }

  @Test
  void errorBodiesAreKesErrorBodies() throws Exception {
    Answer denied = send(new Row("app", "DELETE", "/v1/key/delete/k", null, 403), host.port());
    assertThat(denied.body()).isEqualTo("{\"message\":\"prohibited by policy\"\n}");
    assertThat(denied.contentType()).isEqualTo("application/json");
    Answer noCert = send(new Row("none", "POST", "/v1/key/create/x", null, 400), host.port());
    assertThat(noCert.body()).isEqualTo("{\"message\":\"tls: client certificate is required\"\n}");
    Answer decrypted =
        send(
            new Row(
                "app",
                "POST",
                "/v1/key/decrypt/k",
                "{\"ciphertext\":\"" + sealed + "\",\"context\":\"" + CONTEXT + "\"}",
                200),
            host.port());
    assertThat(decrypted.body()).isEqualTo("{\"plaintext\":\"" + b64("hello") + "\"}\n");
  }

  @Test
  void theHostServesItsOwnRoutesNextToKes() throws Exception {
    HttpResponse<String> health = raw("none", "GET", host.port(), "/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}\n");
    assertThat(raw("app", "GET", host.port(), "/healthz").statusCode()).isEqualTo(200);
    // outside /v1/ and /version the host answers, not KES
    HttpResponse<String> other = raw("admin", "GET", host.port(), "/metrics");
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.body()).isEqualTo("{\"error\":\"no such route on this host\"}\n");
    // KES's own server has no /healthz
    HttpResponse<String> onKes = raw("none", "GET", kesServer.address().getPort(), "/healthz");
    assertThat(onKes.statusCode()).isEqualTo(404);
    assertThat(onKes.body()).isEqualTo("404 page not found\n");
  }

  @Test
  void logStreamsAreWrittenAsTheyHappenAndEndWhenTheHostStops() throws Exception {
    try (Kes engine = engine()) {
      HostServer own =
          HostServer.builder(SERVER.privateKey(), List.of(SERVER.certificate()))
              .mountKes(KesHttpApi.fromConfig(engine, config))
              .threads(2)
              .start();
      try {
        HttpResponse<Stream<String>> audit =
            CLIENTS
                .get("admin")
                .sendAsync(request("GET", own.port(), "/v1/log/audit", null), lines())
                .get(10, TimeUnit.SECONDS);
        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(audit.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        Thread reader =
            new Thread(
                () -> {
                  try {
                    audit.body().forEach(received::add);
                  } catch (RuntimeException e) {
                    // the connection ended
                  } finally {
                    received.add("<end>");
                  }
                },
                "audit-reader");
        reader.setDaemon(true);
        reader.start();
        // the stream subscribes once it runs: ask until an event arrives
        String line = null;
        for (int i = 0; i < 20 && line == null; i++) {
          raw("app", "POST", own.port(), "/v1/key/generate/k", "{\"context\":\"\"}");
          line = received.poll(500, TimeUnit.MILLISECONDS);
        }
        assertThat(line)
            .contains("\"path\":\"/v1/key/generate/k\"")
            .contains("\"identity\":\"" + APP.identity().value() + "\"")
            .contains("\"code\":200");
        // two streams at once on two threads: the request threads stay free
        assertThat(raw("admin", "GET", own.port(), "/version").statusCode()).isEqualTo(200);

        own.close();
        String last;
        do {
          last = received.poll(10, TimeUnit.SECONDS);
        } while (last != null && !last.equals("<end>"));
        assertThat(last).as("the stream ended").isEqualTo("<end>");
      } finally {
        own.close();
      }
    }
  }

  @Test
  void theHostMayVerifyClientCertificatesItselfAndAuthorizationIsUnchanged() throws Exception {
    try (Kes engine = engine()) {
      HostServer strict =
          HostServer.builder(SERVER.privateKey(), List.of(SERVER.certificate()))
              .verifyClientCertificates(List.of(APP.certificate(), STRANGER.certificate()))
              .mountKes(KesHttpApi.fromConfig(engine, config))
              .start();
      try {
        // trusted by the host and allowed by the policy
        assertThat(raw("app", "POST", strict.port(), "/v1/key/create/from-app", null).statusCode())
            .isEqualTo(200);
        // trusted by the host, still denied by the policy
        assertThat(raw("stranger", "POST", strict.port(), "/v1/key/create/x", null).statusCode())
            .isEqualTo(403);
        // the admin's certificate is not issued by a CA this host names in its certificate
        // request, so the client does not present it: the host still serves its own routes, KES
        // sees a request without certificate, even from the admin
        assertThat(raw("admin", "GET", strict.port(), "/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> admin = raw("admin", "GET", strict.port(), "/v1/status");
        assertThat(admin.statusCode()).isEqualTo(400);
        assertThat(admin.body())
            .isEqualTo("{\"message\":\"tls: client certificate is required\"\n}");
      } finally {
        strict.close();
      }
    }
  }

  /**
   * Issue 14's reproduction, word for word, against both fronts: a client with its own key and a
   * chain of {@code [its own 'openssl req -x509' (CA:TRUE) certificate, the admin's certificate]}
   * is not the admin. The honest admin, with its own key, still is.
   */
  @Test
  void theChainTrickDoesNotMakeAClientTheAdmin(@TempDir Path dir) throws Exception {
    assumeTrue(
        onPath("curl") && onPath("openssl"), "curl and openssl are needed (.ci/run installs them)");
    Path key = dir.resolve("a.key");
    Path own = dir.resolve("a.pem");
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        key.toString(),
        "-out",
        own.toString(),
        "-subj",
        "/CN=x");
    Path adminKey = dir.resolve("admin.key");
    Path adminCert = dir.resolve("admin.cert");
    ADMIN.writePem(adminKey, adminCert);
    Path chain = dir.resolve("chain.pem");
    Files.writeString(chain, Files.readString(own) + Files.readString(adminCert));
    for (int port : List.of(host.port(), kesServer.address().getPort())) {
      String base = "https://127.0.0.1:" + port;
      String self =
          run(
              "curl",
              "-sk",
              "--cert",
              chain.toString(),
              "--key",
              key.toString(),
              base + "/v1/identity/self/describe");
      assertThat(self).doesNotContain("\"admin\":true").doesNotContain(ADMIN.identity().value());
      String create =
          run(
              "curl",
              "-sk",
              "-w",
              " %{http_code}",
              "-X",
              "POST",
              "--cert",
              chain.toString(),
              "--key",
              key.toString(),
              base + "/v1/key/create/stolen");
      assertThat(create).isEqualTo("{\"message\":\"tls: client certificate is required\"\n} 400");
      String honest =
          run(
              "curl",
              "-sk",
              "--cert",
              adminCert.toString(),
              "--key",
              adminKey.toString(),
              base + "/v1/identity/self/describe");
      assertThat(honest).contains("\"admin\":true");
    }
    assertThat(hostEngine.listKeys("stolen", "", 10).items()).isEmpty();
    assertThat(kesEngine.listKeys("stolen", "", 10).items()).isEmpty();
  }

  static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Runs a command; its standard output (stderr goes to ours). */
  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    return out;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static Answer send(Row row, int port) throws IOException, InterruptedException {
    HttpResponse<String> r = raw(row.who(), row.method(), port, row.path(), row.body());
    String body = r.body();
    if (row.path().startsWith("/v1/key/generate/") && r.statusCode() == 200) {
      // fresh random data keys: compare their shape, not their bytes
      body = body.replaceAll("\"(plaintext|ciphertext)\":\"[A-Za-z0-9+/=]+\"", "\"$1\":\"...\"");
    }
    return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), body);
  }

  static HttpResponse<String> raw(String who, String method, int port, String path)
      throws IOException, InterruptedException {
    return raw(who, method, port, path, null);
  }

  static HttpResponse<String> raw(String who, String method, int port, String path, String body)
      throws IOException, InterruptedException {
    return CLIENTS
        .get(who)
        .send(request(method, port, path, body), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest request(String method, int port, String path, String body) {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20))
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static HttpResponse.BodyHandler<Stream<String>> lines() {
    return HttpResponse.BodyHandlers.ofLines();
  }

  static HttpClient client(TlsIdentity who) {
    List<java.security.cert.X509Certificate> trusted = List.of(SERVER.certificate());
    return HttpClient.newBuilder()
        .sslContext(
            who == null ? TlsIdentity.anonymousClientContext(trusted) : who.clientContext(trusted))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
