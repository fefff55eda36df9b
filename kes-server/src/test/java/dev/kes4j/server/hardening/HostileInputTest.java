package dev.kes4j.server.hardening;

import static dev.kes4j.server.hardening.Fixture.ADMIN;
import static dev.kes4j.server.hardening.Fixture.APP1;
import static dev.kes4j.server.hardening.Fixture.APP2;
import static dev.kes4j.server.hardening.Fixture.EMPTY;
import static dev.kes4j.server.hardening.Fixture.NOBODY;
import static dev.kes4j.server.hardening.Fixture.error;
import static dev.kes4j.server.hardening.Fixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.internal.pki.Pki;
import dev.kes4j.server.KesServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input battery over real HTTP/TLS (issue 10): every hostile request gets the spec's status
 * and exact message, nothing answers 5xx, the server keeps serving after each, and no secret (data
 * keys, imported key material, plaintexts) appears in any error response or log line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
  static final String CTX = b64("bucket/object");
  static final String PLAINTEXT_SECRET =
      b64("the plaintext secret " + new SecureRandom().nextInt());

  Kes kes;
  KesServer server;
  Fixture.LogCapture logs;
  final HttpClient admin = Fixture.client(ADMIN);
  final HttpClient app = Fixture.client(APP1);

  /** Base64 of every secret the test handed to or received from the server. */
  final List<String> secrets = new ArrayList<>();

  /** Every non-200 response body, to search for secrets. */
  final List<String> errorBodies = new ArrayList<>();

  final Map<String, String> ct = new ConcurrentHashMap<>();

  @BeforeAll
  void start() throws Exception {
    // slow-loris bodies on encrypt are cut after 2 s (other routes keep KES's 15 s)
    KesConfig cfg = Fixture.config("api:\n  /v1/key/encrypt/:\n    timeout: 2s\n");
    kes = Kes.builder().keyStore(new MemKeyStore()).policies(cfg.policySet()).build();
    KesHttpApi api = KesHttpApi.fromConfig(kes, cfg);
    logs = new Fixture.LogCapture(api);
    server = Fixture.start(api);
    kes.createKey("k");
    kes.createKey("other");
    byte[] imported = new byte[32];
    new SecureRandom().nextBytes(imported);
    String importedB64 = Base64.getEncoder().encodeToString(imported);
    secrets.add(importedB64);
    ok(
        admin,
        "POST",
        "/v1/key/import/imported",
        "{\"key\":\"" + importedB64 + "\",\"cipher\":\"AES256\"}");
    String gen = ok(admin, "POST", "/v1/key/generate/k", "{\"context\":\"" + CTX + "\"}");
    secrets.add(field(gen, "plaintext"));
    ct.put("k", field(gen, "ciphertext"));
    String gen2 = ok(admin, "POST", "/v1/key/generate/other", "{\"context\":\"" + CTX + "\"}");
    secrets.add(field(gen2, "plaintext"));
    ct.put("other", field(gen2, "ciphertext"));
    secrets.add(PLAINTEXT_SECRET);
    String enc =
        ok(
            admin,
            "POST",
            "/v1/key/encrypt/k",
            "{\"plaintext\":\"" + PLAINTEXT_SECRET + "\",\"context\":\"" + CTX + "\"}");
    ct.put("enc", field(enc, "ciphertext"));
  }

  @AfterAll
  void stop() {
    server.close();
    kes.close();
    logs.close();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    assertThat(m.find()).as("field %s in %s", name, json).isTrue();
    return m.group(1);
  }

  String ok(HttpClient c, String method, String path, String body) throws Exception {
    HttpResponse<String> r = send(c, server, method, path, body);
    assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(200);
    return r.body();
  }

  /** A normal request still succeeds: the server keeps serving. */
  void assertServing() throws Exception {
    String gen = ok(app, "POST", "/v1/key/generate/k", "{\"context\":\"" + CTX + "\"}");
    secrets.add(field(gen, "plaintext"));
  }

  static String big(String prefix, int size, String suffix) {
    return prefix + "A".repeat(size - prefix.length() - suffix.length()) + suffix;
  }

  static String invalidKey(String name) {
    return error("key name '" + name + "' is empty, too long or contains invalid characters");
  }

  static String invalidPattern(String p) {
    return error("listing pattern '" + p + "' is empty, too long or is invalid");
  }

  static final String BAD_BODY = error("invalid request body");
  static final String NOT_AUTHENTIC = error("decryption failed: ciphertext is not authentic");
  static final String DENIED = error("prohibited by policy");

  /**
   * who, method, path, body (null: none; "$k"-style placeholders get ciphertexts), status, body.
   */
  static Stream<Arguments> battery() {
    String longName = "a".repeat(81);
    List<Arguments> cases = new ArrayList<>();
    // malformed and truncated JSON
    for (String body :
        List.of(
            "{\"plaintext\":",
            "{\"plaintext\":\"aGk=\"",
            "{",
            "not json",
            "\"aGk=\"",
            "[1,2]",
            "{\"plaintext\":\"aGk=\",}",
            "",
            "{\"a\":" + "[".repeat(5000))) {
      cases.add(Arguments.of("admin", "POST", "/v1/key/encrypt/k", body, 400, BAD_BODY));
    }
    cases.add(Arguments.of("admin", "POST", "/v1/key/generate/k", "{\"context\":", 400, BAD_BODY));
    cases.add(Arguments.of("admin", "POST", "/v1/key/decrypt/k", "{\"cipher", 400, BAD_BODY));
    cases.add(Arguments.of("admin", "PUT", "/v1/key/hmac/k", "{\"message\"}", 400, BAD_BODY));
    cases.add(Arguments.of("admin", "POST", "/v1/key/bulk/decrypt/k", "[{", 400, BAD_BODY));
    // wrong types
    for (String body :
        List.of(
            "{\"plaintext\":5}",
            "{\"plaintext\":true}",
            "{\"plaintext\":[\"aGk=\"]}",
            "{\"plaintext\":{\"a\":1}}",
            "{\"plaintext\":\"aGk=\",\"context\":1.5}")) {
      cases.add(Arguments.of("admin", "POST", "/v1/key/encrypt/k", body, 400, BAD_BODY));
    }
    cases.add(Arguments.of("admin", "POST", "/v1/key/bulk/decrypt/k", "{}", 400, BAD_BODY));
    cases.add(Arguments.of("admin", "POST", "/v1/key/bulk/decrypt/k", "[5]", 400, BAD_BODY));
    cases.add(
        Arguments.of(
            "admin",
            "POST",
            "/v1/key/import/x1",
            "{\"key\":5,\"cipher\":\"AES256\"}",
            400,
            error("invalid import key request body")));
    cases.add(
        Arguments.of(
            "admin",
            "POST",
            "/v1/key/import/x1",
            "{\"key\":\"" + b64("x".repeat(32)) + "\",\"cipher\":7}",
            400,
            error("invalid import key request body")));
    // base64 errors
    for (String value : List.of("!!!!", "aGk", "aGk=x", "a GkK", "aGk==", "\\u0000")) {
      cases.add(
          Arguments.of(
              "admin",
              "POST",
              "/v1/key/encrypt/k",
              "{\"plaintext\":\"" + value + "\"}",
              400,
              BAD_BODY));
    }
    cases.add(
        Arguments.of(
            "admin", "POST", "/v1/key/decrypt/k", "{\"ciphertext\":\"%%%\"}", 400, BAD_BODY));
    // import: key material and algorithm
    cases.add(
        Arguments.of(
            "admin",
            "POST",
            "/v1/key/import/x2",
            "{\"key\":\"" + b64("short") + "\",\"cipher\":\"AES256\"}",
            406,
            error("invalid key size for 'AES256'")));
    cases.add(
        Arguments.of(
            "admin",
            "POST",
            "/v1/key/import/x3",
            "{\"key\":\"" + b64("x".repeat(32)) + "\",\"cipher\":\"DES\"}",
            406,
            error("algorithm 'DES' is not supported")));
    cases.add(
        Arguments.of(
            "admin",
            "POST",
            "/v1/key/import/x4",
            "{\"key\":\"" + b64("x".repeat(32)) + "\"}",
            406,
            error("algorithm '' is not supported")));
    // huge bodies: one byte above each route's limit (1 MB; bulk 1 MiB)
    int mb = 1_000_000;
    cases.add(
        Arguments.of(
            "admin",
            "POST",
            "/v1/key/encrypt/k",
            big("{\"plaintext\":\"", mb + 1, "\"}"),
            400,
            BAD_BODY));
    cases.add(
        Arguments.of(
            "admin",
            "POST",
            "/v1/key/generate/k",
            big("{\"context\":\"", mb + 1, "\"}"),
            400,
            BAD_BODY));
    cases.add(
        Arguments.of(
            "admin",
            "POST",
            "/v1/key/decrypt/k",
            big("{\"ciphertext\":\"", mb + 1, "\"}"),
            400,
            BAD_BODY));
    cases.add(
        Arguments.of(
            "admin",
            "PUT",
            "/v1/key/hmac/k",
            big("{\"message\":\"", mb + 1, "\"}"),
            400,
            BAD_BODY));
    cases.add(
        Arguments.of(
            "admin",
            "POST",
            "/v1/key/import/x5",
            big("{\"cipher\":\"AES256\",\"key\":\"", mb + 1, "\"}"),
            400,
            error("invalid import key request body")));
    cases.add(
        Arguments.of(
            "admin",
            "POST",
            "/v1/key/bulk/decrypt/k",
            big("[{\"ciphertext\":\"", (1 << 20) + 1, "\"}]"),
            400,
            BAD_BODY));
    // ... and just below the limit is served
    cases.add(
        Arguments.of(
            "admin",
            "POST",
            "/v1/key/encrypt/k",
            big("{\"plaintext\":\"", mb - 8, "\"}"),
            200,
            "\"ciphertext\""));
    // invalid names: every class of spec §6
    cases.add(Arguments.of("admin", "POST", "/v1/key/create/", null, 400, invalidKey("")));
    cases.add(
        Arguments.of(
            "admin", "POST", "/v1/key/create/" + longName, null, 400, invalidKey(longName)));
    cases.add(Arguments.of("admin", "POST", "/v1/key/create/_", null, 400, invalidKey("_")));
    cases.add(Arguments.of("admin", "POST", "/v1/key/create/-ab", null, 400, invalidKey("-ab")));
    cases.add(Arguments.of("admin", "POST", "/v1/key/create/ab-", null, 400, invalidKey("ab-")));
    cases.add(Arguments.of("admin", "POST", "/v1/key/create/a.b", null, 400, invalidKey("a.b")));
    cases.add(Arguments.of("admin", "POST", "/v1/key/create/a%20b", null, 400, invalidKey("a b")));
    cases.add(Arguments.of("admin", "POST", "/v1/key/create/%C3%A4", null, 400, invalidKey("ä")));
    cases.add(Arguments.of("admin", "POST", "/v1/key/create/a*", null, 400, invalidKey("a*")));
    cases.add(Arguments.of("admin", "POST", "/v1/key/create/a/b", null, 400, invalidKey("a/b")));
    cases.add(
        Arguments.of("admin", "POST", "/v1/key/create/..%2F..", null, 400, invalidKey("../..")));
    cases.add(Arguments.of("admin", "POST", "/v1/key/generate/a:b", null, 400, invalidKey("a:b")));
    cases.add(Arguments.of("admin", "GET", "/v1/key/describe/a%27b", null, 400, invalidKey("a'b")));
    cases.add(Arguments.of("admin", "DELETE", "/v1/key/delete/a+b", null, 400, invalidKey("a+b")));
    cases.add(
        Arguments.of(
            "admin",
            "POST",
            "/v1/key/create/" + "a".repeat(80),
            null,
            200,
            "")); // 80 bytes is the limit
    cases.add(Arguments.of("admin", "GET", "/v1/key/list/a*b", null, 400, invalidPattern("a*b")));
    cases.add(Arguments.of("admin", "GET", "/v1/key/list/**", null, 400, invalidPattern("**")));
    cases.add(Arguments.of("admin", "GET", "/v1/key/list/_", null, 400, invalidPattern("_")));
    cases.add(Arguments.of("admin", "GET", "/v1/key/list/a.", null, 400, invalidPattern("a.")));
    cases.add(
        Arguments.of(
            "admin", "GET", "/v1/key/list/" + longName, null, 400, invalidPattern(longName)));
    cases.add(
        Arguments.of(
            "admin",
            "GET",
            "/v1/policy/describe/a.b",
            null,
            400,
            error("policy name 'a.b' is empty, too long or contains invalid characters")));
    cases.add(
        Arguments.of(
            "admin",
            "GET",
            "/v1/identity/describe/x.y",
            null,
            400,
            error("identity 'x.y' is empty, too long or contains invalid characters")));
    // unknown routes and methods
    cases.add(Arguments.of("admin", "GET", "/v1/nope", null, 404, "404 page not found\n"));
    cases.add(Arguments.of("admin", "GET", "/", null, 404, "404 page not found\n"));
    cases.add(Arguments.of("admin", "POST", "/v1/key/bulk", null, 404, "404 page not found\n"));
    cases.add(Arguments.of("admin", "GET", "/v1/key/list", null, 301, "Moved Permanently"));
    cases.add(
        Arguments.of(
            "admin",
            "DELETE",
            "/v1/key/generate/k",
            null,
            405,
            error("received method 'DELETE' expected 'PUT'")));
    cases.add(
        Arguments.of(
            "admin",
            "GET",
            "/v1/key/create/k",
            null,
            405,
            error("received method 'GET' expected 'PUT'")));
    cases.add(
        Arguments.of(
            "admin",
            "PATCH",
            "/v1/status",
            null,
            405,
            error("received method 'PATCH' expected 'GET'")));
    cases.add(
        Arguments.of(
            "admin",
            "PUT",
            "/v1/key/bulk/decrypt/k",
            "[]",
            405,
            error("received method 'PUT' expected 'POST'")));
    // ciphertexts: tampered, truncated, wrong context, wrong key, empty, garbage
    cases.add(Arguments.of("admin", "POST", "/v1/key/decrypt/k", "$tampered", 400, NOT_AUTHENTIC));
    cases.add(Arguments.of("admin", "POST", "/v1/key/decrypt/k", "$truncated", 400, NOT_AUTHENTIC));
    cases.add(
        Arguments.of("admin", "POST", "/v1/key/decrypt/k", "$wrongcontext", 400, NOT_AUTHENTIC));
    cases.add(Arguments.of("admin", "POST", "/v1/key/decrypt/k", "$wrongkey", 400, NOT_AUTHENTIC));
    cases.add(Arguments.of("admin", "POST", "/v1/key/decrypt/k", "$empty", 400, NOT_AUTHENTIC));
    cases.add(Arguments.of("admin", "POST", "/v1/key/decrypt/k", "$garbage", 400, NOT_AUTHENTIC));
    cases.add(Arguments.of("admin", "POST", "/v1/key/decrypt/k", "$flipped", 400, NOT_AUTHENTIC));
    cases.add(
        Arguments.of("admin", "POST", "/v1/key/bulk/decrypt/k", "$bulkonebad", 400, NOT_AUTHENTIC));
    // bulk requests over 1000
    cases.add(
        Arguments.of(
            "admin",
            "POST",
            "/v1/key/bulk/decrypt/k",
            "[" + "{},".repeat(1000) + "{}]",
            400,
            error("too many ciphertexts")));
    // identities: none assigned, an empty policy, a policy's deny rule
    cases.add(Arguments.of("nobody", "POST", "/v1/key/generate/k", null, 403, DENIED));
    cases.add(Arguments.of("nobody", "GET", "/v1/status", null, 403, DENIED));
    cases.add(Arguments.of("empty", "POST", "/v1/key/generate/k", null, 403, DENIED));
    cases.add(Arguments.of("app", "POST", "/v1/key/create/forbidden-1", null, 403, DENIED));
    cases.add(Arguments.of("app", "GET", "/v1/log/audit", null, 403, DENIED));
    cases.add(Arguments.of("app", "GET", "/v1/policy/read/app", null, 403, DENIED));
    return cases.stream();
  }

  HttpClient client(String who) {
    switch (who) {
      case "admin":
        return admin;
      case "app":
        return app;
      case "nobody":
        return Fixture.client(NOBODY);
      case "empty":
        return Fixture.client(EMPTY);
      default:
        throw new IllegalArgumentException(who);
    }
  }

  String body(String body) {
    if (body == null || !body.startsWith("$")) {
      return body;
    }
    byte[] c = Base64.getDecoder().decode(ct.get("k"));
    String ctx = CTX;
    String ciphertext;
    switch (body) {
      case "$tampered":
        c[c.length / 2] ^= 1; // inside the JSON container: breaks the JSON or the tag
        ciphertext = Base64.getEncoder().encodeToString(c);
        break;
      case "$flipped":
        {
          // a valid JSON container whose sealed bytes differ by one bit
          String json = new String(c, StandardCharsets.UTF_8);
          String bytes = field(json, "bytes");
          byte[] raw = Base64.getDecoder().decode(bytes);
          raw[0] ^= 1;
          json = json.replace(bytes, Base64.getEncoder().encodeToString(raw));
          ciphertext = b64(json);
          break;
        }
      case "$truncated":
        ciphertext = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(c, c.length - 5));
        break;
      case "$wrongcontext":
        ciphertext = ct.get("k");
        ctx = b64("another/object");
        break;
      case "$wrongkey":
        ciphertext = ct.get("other");
        break;
      case "$empty":
        ciphertext = "";
        break;
      case "$garbage":
        ciphertext = b64("\u0000\u0001garbage that is no container at all");
        break;
      case "$bulkonebad":
        return "[{\"ciphertext\":\""
            + ct.get("k")
            + "\",\"context\":\""
            + CTX
            + "\"},{\"ciphertext\":\""
            + ct.get("other")
            + "\",\"context\":\""
            + CTX
            + "\"}]";
      default:
        throw new IllegalArgumentException(body);
    }
    return "{\"ciphertext\":\"" + ciphertext + "\",\"context\":\"" + ctx + "\"}";
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {4}")
  @MethodSource("battery")
  void hostileRequestGetsTheSpecsAnswer(
      String who, String method, String path, String body, int status, String expected)
      throws Exception {
    HttpResponse<String> r = send(client(who), server, method, path, body(body));
    assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(status);
    if (status == 200 || status == 301) {
      assertThat(r.body()).contains(expected);
    } else {
      assertThat(r.body()).isEqualTo(expected);
      errorBodies.add(r.body());
    }
    if (status >= 400 && status != 404) {
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    }
    assertServing();
  }

  @Test
  void wrongMethodNamesTheExpectedOneInAccept() throws Exception {
    HttpResponse<String> r = send(admin, server, "DELETE", "/v1/key/encrypt/k", null);
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Accept")).hasValue("PUT");
  }

  @Test
  void ciphertextsProducedEarlierStillDecrypt() throws Exception {
    String r =
        ok(
            app,
            "POST",
            "/v1/key/decrypt/k",
            "{\"ciphertext\":\"" + ct.get("enc") + "\",\"context\":\"" + CTX + "\"}");
    assertThat(field(r, "plaintext")).isEqualTo(PLAINTEXT_SECRET);
  }

  @Test
  void clientWithoutCertificateIsRefusedInTheHandshake() throws Exception {
    long before = server.handshakeFailures();
    assertThatThrownBy(() -> send(Fixture.client(null), server, "GET", "/version", null))
        .isInstanceOf(IOException.class);
    assertThat(server.handshakeFailures()).isGreaterThan(before);
    assertServing();
  }

  @Test
  void clientWithTwoLeafCertificatesIsRejected() throws Exception {
    HttpClient two = Fixture.client(APP1, APP2.certificate());
    HttpResponse<String> r = send(two, server, "POST", "/v1/key/generate/k", null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo(error("tls: received more than one client certificate"));
    assertServing();
  }

  @Test
  void aLeafFollowedByItsCaIsIdentifiedByTheLeaf() throws Exception {
    Pki.Issued leaf = Fixture.APP3; // issued by the CA: chain [leaf, CA]
    HttpClient c = Fixture.client(leaf, Fixture.CA.certificate());
    HttpResponse<String> r = send(c, server, "POST", "/v1/key/generate/k", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    secrets.add(field(r.body(), "plaintext"));
  }

  /**
   * A client sends the headers, then trickles the body one byte at a time: the server answers 408
   * when the route's timeout (2 s here) passes and closes the connection, and serves others
   * meanwhile.
   */
  @Test
  void slowLorisBodyIsCutOffWithoutBlockingOthers() throws Exception {
    try (SSLSocket s =
        (SSLSocket)
            Fixture.sslContext(ADMIN)
                .getSocketFactory()
                .createSocket("127.0.0.1", server.address().getPort())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/key/encrypt/k HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      AtomicBoolean trickling = new AtomicBoolean(true);
      Thread trickle =
          new Thread(
              () -> {
                try {
                  while (trickling.get()) {
                    Thread.sleep(200);
                    out.write(' ');
                    out.flush();
                  }
                } catch (IOException | InterruptedException e) {
                  // the server closed the connection: expected
                }
              });
      trickle.setDaemon(true);
      trickle.start();
      for (int i = 0; i < 3; i++) {
        assertServing(); // others are served while the slow body trickles
      }
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      trickling.set(false);
      trickle.join(5_000);
      assertThat(response).startsWith("HTTP/1.1 408");
      assertThat(response).endsWith(error("request timeout"));
      assertThat(response.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
    }
    assertServing();
  }

  /** Runs last: searches everything logged and every error body for the secrets seen so far. */
  @Test
  @Order(Integer.MAX_VALUE)
  void noSecretInAnyErrorResponseOrLogLine() throws Exception {
    Thread.sleep(200); // let the log stream threads drain
    String logged = logs.text();
    assertThat(secrets).hasSizeGreaterThan(4);
    assertThat(logged).as("the log capture saw the audit stream").contains("\"path\":");
    for (String secret : secrets) {
      assertThat(logged).doesNotContain(secret);
      for (String body : errorBodies) {
        assertThat(body).doesNotContain(secret);
      }
    }
  }
}
