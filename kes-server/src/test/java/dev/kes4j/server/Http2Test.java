package dev.kes4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.internal.pki.Pki;
import dev.kes4j.testkit.FaultyKeyStore;
import io.netty.handler.ssl.OpenSsl;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HTTP/2 and HTTP/1.1 on one port: real TLS handshakes with ALPN over the JDK's TLS and BoringSSL,
 * the JDK's HTTP client in {@code HTTP_2} mode and {@code curl --http2} against a listening {@link
 * KesServer}.
 */
class Http2Test {
  static final TestCerts CERTS = new TestCerts();
  static final Pki.Issued ADMIN = TestCerts.selfSigned("admin", true); // ECDSA: BoringSSL too
  static final Pki.Issued ALICE = TestCerts.selfSigned("alice", false);
  static final Pki.Issued MALLORY = TestCerts.selfSigned("mallory", true);

  static String config(String extra) {
    return "admin:\n  identity: "
        + TestCerts.identity(ADMIN).value()
        + "\npolicy:\n  minio:\n    allow:\n"
        + "    - /v1/key/generate/*\n    - /v1/key/decrypt/*\n    - /v1/status\n"
        + "    identities:\n    - "
        + TestCerts.identity(ALICE).value()
        + "\nkeystore:\n  mem: {}\n"
        + extra;
  }

  static Kes kes;
  static KesServer jdk;
  static KesServer boring;

  @BeforeAll
  static void start() {
    KesConfig cfg = KesConfig.parse(config(""));
    kes = Kes.builder().keyStore(new MemKeyStore()).policies(cfg.policySet()).build();
    kes.createKey("k");
    jdk = start(KesHttpApi.fromConfig(kes, cfg), KesServer.TlsProvider.JDK, true);
    if (OpenSsl.isAvailable()) {
      boring = start(KesHttpApi.fromConfig(kes, cfg), KesServer.TlsProvider.OPENSSL, true);
    }
  }

  static KesServer start(KesHttpApi api, KesServer.TlsProvider provider, boolean h2) {
    return KesServer.builder(api)
        .address("127.0.0.1:0")
        .tlsProvider(provider)
        .http2(h2)
        .certificate(
            CERTS.server.privateKey(), List.of(CERTS.server.certificate(), CERTS.ca.certificate()))
        .start();
  }

  @AfterAll
  static void stop() {
    jdk.close();
    if (boring != null) {
      boring.close();
    }
    kes.close();
  }

  static KesServer server(KesServer.TlsProvider p) {
    if (p == KesServer.TlsProvider.OPENSSL) {
      Assumptions.assumeTrue(boring != null, "netty-tcnative BoringSSL not available here");
      return boring;
    }
    return jdk;
  }

  static HttpClient h2(Pki.Issued who) {
    return HttpClient.newBuilder()
        .sslContext(CERTS.clientContext(who))
        .version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  static final HttpClient ADMIN_H2 = h2(ADMIN);
  static final HttpClient ALICE_H2 = h2(ALICE);

  static HttpRequest.Builder request(KesServer s, String method, String path, String body) {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.address().getPort() + path))
        .timeout(Duration.ofSeconds(20))
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
  }

  static HttpResponse<String> send(
      HttpClient c, KesServer s, String method, String path, String body) throws Exception {
    return c.send(request(s, method, path, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The protocol the server selects for a client offering {@code offered} (none: no ALPN). */
  static String negotiate(KesServer s, String... offered) throws IOException {
    try (SSLSocket socket =
        (SSLSocket)
            CERTS
                .clientContext(ADMIN)
                .getSocketFactory()
                .createSocket("127.0.0.1", s.address().getPort())) {
      socket.setSoTimeout(5000);
      if (offered.length > 0) {
        SSLParameters p = socket.getSSLParameters();
        p.setApplicationProtocols(offered);
        socket.setSSLParameters(p);
      }
      socket.startHandshake();
      String selected = socket.getApplicationProtocol();
      if (!"h2".equals(selected)) {
        // whatever ALPN said, the connection speaks HTTP/1.1
        socket
            .getOutputStream()
            .write(
                "GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("\"version\"");
      }
      return selected;
    }
  }

  @ParameterizedTest
  @EnumSource(KesServer.TlsProvider.class)
  void alpnPrefersH2AndFallsBackToHttp11(KesServer.TlsProvider provider) throws Exception {
    KesServer s = server(provider);
    assertThat(negotiate(s, "h2", "http/1.1")).isEqualTo("h2");
    assertThat(negotiate(s, "http/1.1", "h2")).isEqualTo("h2"); // the server's preference
    assertThat(negotiate(s, "http/1.1")).isEqualTo("http/1.1");
    assertThat(negotiate(s)).isEmpty(); // no ALPN: HTTP/1.1
    assertThat(negotiate(s, "spdy/3")).isEmpty(); // nothing in common: HTTP/1.1 all the same
  }

  @Test
  void http2CanBeTurnedOff() throws Exception {
    try (KesServer s = start(KesHttpApi.builder(kes).build(), KesServer.TlsProvider.JDK, false)) {
      assertThat(negotiate(s, "h2", "http/1.1")).isEmpty();
      HttpResponse<String> r = send(ADMIN_H2, s, "GET", "/version", null);
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(r.statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(KesServer.TlsProvider.class)
  void generateAndDecryptOverH2(KesServer.TlsProvider provider) throws Exception {
    KesServer s = server(provider);
    HttpResponse<String> gen =
        send(ADMIN_H2, s, "POST", "/v1/key/generate/k", "{\"context\":\"YWJj\"}");
    assertThat(gen.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(gen.statusCode()).as(gen.body()).isEqualTo(200);
    assertThat(gen.headers().firstValue("content-type")).hasValue("application/json");
    String plaintext = field(gen.body(), "plaintext");
    String ciphertext = field(gen.body(), "ciphertext");
    HttpResponse<String> dec =
        send(
            ADMIN_H2,
            s,
            "POST",
            "/v1/key/decrypt/k",
            "{\"ciphertext\":\"" + ciphertext + "\",\"context\":\"YWJj\"}");
    assertThat(dec.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(dec.statusCode()).as(dec.body()).isEqualTo(200);
    assertThat(field(dec.body(), "plaintext")).isEqualTo(plaintext);
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    assertThat(m.find()).as(json).isTrue();
    return m.group(1);
  }

  @Test
  void errorsAreKesJsonOverH2() throws Exception {
    HttpResponse<String> missing = send(ADMIN_H2, jdk, "GET", "/v1/key/describe/none", null);
    assertThat(missing.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"message\":\"key does not exist\"\n}");
    HttpResponse<String> route = send(ADMIN_H2, jdk, "GET", "/v1/nope", null);
    assertThat(route.statusCode()).isEqualTo(404);
    assertThat(route.body()).isEqualTo("404 page not found\n");
    HttpResponse<String> method = send(ADMIN_H2, jdk, "DELETE", "/v1/status", null);
    assertThat(method.statusCode()).isEqualTo(405);
    assertThat(method.headers().firstValue("accept")).hasValue("GET");
    // the connection survives the front's own errors (h2: only the stream ends)
    assertThat(send(ADMIN_H2, jdk, "GET", "/v1/ready", null).statusCode()).isEqualTo(200);
  }

  @Test
  void identityAndPolicyOverH2() throws Exception {
    HttpResponse<String> allowed = send(ALICE_H2, jdk, "POST", "/v1/key/generate/k", null);
    assertThat(allowed.statusCode()).isEqualTo(200);
    HttpResponse<String> denied = send(ALICE_H2, jdk, "DELETE", "/v1/key/delete/k", null);
    assertThat(denied.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).isEqualTo("{\"message\":\"prohibited by policy\"\n}");
    HttpResponse<String> stranger = send(h2(MALLORY), jdk, "GET", "/v1/status", null);
    assertThat(stranger.statusCode()).isEqualTo(403);
    HttpResponse<String> self = send(ALICE_H2, jdk, "GET", "/v1/identity/self/describe", null);
    assertThat(self.body()).contains(TestCerts.identity(ALICE).value());
  }

  @Test
  void bodyLimitsOverH2() throws Exception {
    String prefix = "{\"plaintext\":\"\"}";
    HttpResponse<String> r =
        send(ADMIN_H2, jdk, "PUT", "/v1/key/encrypt/k", prefix + " ".repeat(1_000_000));
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("{\"message\":\"invalid request body\"\n}");
    // a body of unknown length (no content-length) over the limit
    HttpRequest streamed =
        request(jdk, "PUT", "/v1/key/encrypt/k", null)
            .PUT(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(new byte[3_000_000])))
            .build();
    HttpResponse<String> s = ADMIN_H2.send(streamed, HttpResponse.BodyHandlers.ofString());
    assertThat(s.statusCode()).isEqualTo(400);
    assertThat(s.body()).isEqualTo("{\"message\":\"invalid request body\"\n}");
    assertThat(send(ADMIN_H2, jdk, "GET", "/v1/ready", null).statusCode()).isEqualTo(200);
  }

  @Test
  void headerLimitsOverH2() throws Exception {
    HttpResponse<String> fits =
        ADMIN_H2.send(
            request(jdk, "GET", "/version", null).header("x-large", "a".repeat(12_000)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(fits.statusCode()).isEqualTo(200);
    HttpResponse<String> tooLarge =
        ADMIN_H2.send(
            request(jdk, "GET", "/version", null).header("x-large", "a".repeat(26_000)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(tooLarge.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(tooLarge.statusCode()).isEqualTo(431);
    assertThat(tooLarge.body()).isEqualTo("{\"message\":\"request header fields too large\"\n}");
    assertThat(send(ADMIN_H2, jdk, "GET", "/v1/ready", null).statusCode()).isEqualTo(200);
  }

  @Test
  void concurrentStreamsOnOneConnection() throws Exception {
    HttpClient one = h2(ADMIN); // the JDK's client multiplexes every request on one h2 connection
    assertThat(send(one, jdk, "GET", "/version", null).version())
        .isEqualTo(HttpClient.Version.HTTP_2);
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String path = i % 2 == 0 ? "/v1/key/generate/k" : "/v1/key/describe/k";
      all.add(
          one.sendAsync(
              request(jdk, i % 2 == 0 ? "POST" : "GET", path, null).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> f : all) {
      HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
  }

  @Test
  void auditLogStreamsOverH2AlongsideRequests() throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpClient one = h2(ADMIN);
    HttpResponse<Stream<String>> r =
        one.sendAsync(
                request(jdk, "GET", "/v1/log/audit", null).build(),
                HttpResponse.BodyHandlers.ofLines())
            .get(10, TimeUnit.SECONDS);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/x-ndjson");
    Thread reader =
        new Thread(
            () -> {
              try {
                r.body().forEach(lines::add);
              } catch (java.io.UncheckedIOException e) {
                // closed at the end of the test
              }
            });
    reader.setDaemon(true);
    reader.start();
    String line = null;
    for (int i = 0; i < 100 && line == null; i++) {
      // the same connection carries the stream and these requests
      assertThat(send(one, jdk, "POST", "/v1/key/generate/k", null).statusCode()).isEqualTo(200);
      line = lines.poll(100, TimeUnit.MILLISECONDS);
    }
    assertThat(line)
        .contains("\"path\":\"/v1/key/generate/k\"")
        .contains("\"identity\":\"" + TestCerts.identity(ADMIN).value() + "\"")
        .contains("\"ip\":\"127.0.0.1\"");
    r.body().close();
  }

  @Test
  void slowRequestsTimeOutWith503OverH2() throws Exception {
    KesConfig cfg = KesConfig.parse(config("api:\n  /v1/key/describe/:\n    timeout: 1s\n"));
    FaultyKeyStore store = FaultyKeyStore.wrap(new MemKeyStore());
    try (Kes k = Kes.builder().keyStore(store).policies(cfg.policySet()).build();
        KesServer s = start(KesHttpApi.fromConfig(k, cfg), KesServer.TlsProvider.JDK, true)) {
      k.createKey("slow");
      store.latency(Duration.ofSeconds(3));
      HttpResponse<String> r = send(ADMIN_H2, s, "GET", "/v1/key/describe/slow", null);
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("{\"message\":\"request timeout\"\n}");
      store.latency(Duration.ZERO);
    }
  }

  @Test
  void anH2ConnectionThatSendsNoRequestIsClosedAtTheHeaderTimeout() throws Exception {
    try (KesServer s =
            KesServer.builder(KesHttpApi.builder(kes).build())
                .address("127.0.0.1:0")
                .headerTimeout(Duration.ofMillis(500))
                .certificate(CERTS.server.privateKey(), List.of(CERTS.server.certificate()))
                .start();
        SSLSocket socket =
            (SSLSocket)
                CERTS
                    .clientContext(ADMIN)
                    .getSocketFactory()
                    .createSocket("127.0.0.1", s.address().getPort())) {
      socket.setSoTimeout(10_000);
      SSLParameters p = socket.getSSLParameters();
      p.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(p);
      socket.startHandshake();
      assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
      long start = System.nanoTime();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[4096];
      try {
        while (in.read(buf) >= 0) {
          // the server's SETTINGS, then nothing until it closes
        }
      } catch (IOException e) {
        // closed
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  // ---- curl
  // --------------------------------------------------------------------------------------

  static List<String> curl(Path dir, Pki.Issued who, String... args) throws Exception {
    Path[] pem = TestCerts.write(dir, who == ADMIN ? "admin" : "other", who);
    Path ca = TestCerts.writeCert(dir.resolve("ca.cert"), CERTS.ca.certificate());
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "curl",
            "-sS",
            "--max-time",
            "20",
            "--cacert",
            ca.toString(),
            "--cert",
            pem[0].toString(),
            "--key",
            pem[1].toString(),
            "-w",
            "\n%{http_version} %{http_code}"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    int nl = out.lastIndexOf('\n');
    return List.of(out.substring(0, nl), out.substring(nl + 1));
  }

  static boolean curlHasHttp2() {
    try {
      Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor() == 0 && out.contains("HTTP2");
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @ParameterizedTest
  @EnumSource(KesServer.TlsProvider.class)
  void curlSpeaksH2AndHttp11OnTheSamePort(KesServer.TlsProvider provider, @TempDir Path dir)
      throws Exception {
    Assumptions.assumeTrue(curlHasHttp2(), "curl with HTTP/2 not installed");
    KesServer s = server(provider);
    String base = "https://localhost:" + s.address().getPort();
    List<String> gen =
        curl(dir, ADMIN, "--http2", "-X", "POST", "-d", "{}", base + "/v1/key/generate/k");
    assertThat(gen.get(1)).isEqualTo("2 200");
    assertThat(gen.get(0)).contains("\"plaintext\"");
    String ciphertext = field(gen.get(0), "ciphertext");
    List<String> dec =
        curl(
            dir,
            ADMIN,
            "--http2",
            "-X",
            "POST",
            "-d",
            "{\"ciphertext\":\"" + ciphertext + "\"}",
            base + "/v1/key/decrypt/k");
    assertThat(dec.get(1)).isEqualTo("2 200");
    assertThat(field(dec.get(0), "plaintext")).isEqualTo(field(gen.get(0), "plaintext"));
    List<String> denied = curl(dir, MALLORY, "--http2", "-X", "DELETE", base + "/v1/key/delete/k");
    assertThat(denied).containsExactly("{\"message\":\"prohibited by policy\"\n}", "2 403");
    List<String> large =
        curl(dir, ADMIN, "--http2", "-H", "X-Large: " + "a".repeat(26_000), base + "/version");
    assertThat(large)
        .containsExactly("{\"message\":\"request header fields too large\"\n}", "2 431");
    List<String> escape = curl(dir, ADMIN, "--http2", base + "/v1/key/describe/%zz");
    assertThat(escape)
        .containsExactly("{\"message\":\"invalid URL escape \\\"%zz\\\"\"\n}", "2 400");
    Path big = dir.resolve("big");
    java.nio.file.Files.write(big, new byte[3_000_000]);
    List<String> streamed =
        curl(dir, ADMIN, "--http2", "-T", big.toString(), "-X", "PUT", base + "/v1/key/encrypt/k");
    assertThat(streamed).containsExactly("{\"message\":\"invalid request body\"\n}", "2 400");
    List<String> h1 = curl(dir, ADMIN, "--http1.1", base + "/version");
    assertThat(h1.get(1)).isEqualTo("1.1 200");
    assertThat(h1.get(0)).contains("\"version\"");
  }
}
