package dev.kes4j.server.hardening;

import static dev.kes4j.server.hardening.Fixture.ADMIN;
import static dev.kes4j.server.hardening.Fixture.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.server.KesServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14's front defects, over raw TLS sockets against a real {@link KesServer}: whatever a
 * client writes, the server answers with KES's JSON error shape and a defined status (or, for a
 * header that never completes, closes within the header timeout), and keeps serving others.
 */
class FrontDefectsTest {
  static Kes kes;
  static KesServer server; // the default 5 s header timeout
  static KesServer quick; // a 2 s header timeout, for the tests of it

  @BeforeAll
  static void start() {
    KesConfig cfg = Fixture.config("");
    kes = Kes.builder().keyStore(new MemKeyStore()).policies(cfg.policySet()).build();
    kes.createKey("k");
    KesHttpApi api = KesHttpApi.fromConfig(kes, cfg);
    server = start(api, Duration.ofSeconds(5));
    quick = start(api, Duration.ofSeconds(2));
  }

  static KesServer start(KesHttpApi api, Duration headerTimeout) {
    return Fixture.builder(api).headerTimeout(headerTimeout).start();
  }

  @AfterAll
  static void stop() {
    quick.close();
    server.close();
    kes.close();
  }

  static SSLSocket connect() throws IOException {
    return connect(server);
  }

  static SSLSocket connect(KesServer to) throws IOException {
    SSLSocket s =
        (SSLSocket)
            Fixture.sslContext(ADMIN)
                .getSocketFactory()
                .createSocket("127.0.0.1", to.address().getPort());
    s.setSoTimeout(10_000); // far below every route timeout (15 s): an answer within it is prompt
    s.startHandshake();
    return s;
  }

  /** Writes {@code request} and reads until the server closes the connection. */
  static String exchange(String request) throws IOException {
    try (SSLSocket s = connect()) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return readAll(s.getInputStream());
    }
  }

  static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketException e) {
      // reset after close: what was read counts
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  static void assertError(String response, int status, String message) {
    assertThat(response).startsWith("HTTP/1.1 " + status + " ");
    String lower = response.toLowerCase(Locale.ROOT);
    assertThat(lower).contains("content-type: application/json").contains("connection: close");
    assertThat(response).endsWith("\r\n\r\n" + error(message.replace("\"", "\\\"")));
  }

  static void assertServing() throws Exception {
    String r = exchange("GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(r).startsWith("HTTP/1.1 200 ");
  }

  static Stream<Arguments> malformed() {
    String big = "X-Big: " + "a".repeat(20_000) + "\r\n";
    return Stream.of(
        Arguments.of(
            "POST /v1/key/create/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
            400, "invalid URL escape \"%zz\""),
        Arguments.of(
            "POST /v1/key/create/% HTTP/1.1\r\nHost: x\r\n\r\n", 400, "invalid URL escape \"%\""),
        Arguments.of(
            "GET /v1/status% HTTP/1.1\r\nHost: x\r\n\r\n", 400, "invalid URL escape \"%\""),
        Arguments.of(
            "GET /v1/key/describe/a%4 HTTP/1.1\r\nHost: x\r\n\r\n",
            400, "invalid URL escape \"%4\""),
        Arguments.of(
            "POST /v1/key/generate/k HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
            400,
            "malformed HTTP request"),
        Arguments.of(
            "POST /v1/key/generate/k HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                + "Content-Length: 3\r\n\r\n{}",
            400,
            "malformed HTTP request"),
        Arguments.of(
            "GET /v1/status HTTP/1.1\r\nHost: x\r\n" + big + "\r\n",
            431,
            "request header fields too large"),
        Arguments.of(
            "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            431,
            "request header fields too large"),
        Arguments.of(
            "POST /v1/key/generate/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\n{}\r\n0\r\n\r\n",
            400,
            "malformed chunked encoding"),
        Arguments.of("GET /v1/status HTTP/0.9\r\nHost: x\r\n\r\n", 505, "unsupported protocol"),
        Arguments.of("GET /v1/status HTTP/1.2\r\nHost: x\r\n\r\n", 505, "unsupported protocol"),
        Arguments.of("GET /v1/status HTTP/2.0\r\nHost: x\r\n\r\n", 505, "unsupported protocol"),
        Arguments.of("GET /v1/status HTTP/1.1\r\n\r\n", 400, "missing required Host header"),
        Arguments.of(
            "POST /v1/key/generate/k HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nContent-Length: 2"
                + "\r\n\r\n{}",
            417,
            "unsupported Expect header"));
  }

  @ParameterizedTest(name = "{2}: {0}")
  @MethodSource("malformed")
  void malformedRequestsGetAKesErrorBody(String request, int status, String message)
      throws Exception {
    String r = exchange(request);
    if (message.startsWith("unsupported protocol")) {
      String version = request.substring(request.indexOf("HTTP/"), request.indexOf("\r\n"));
      message = "unsupported protocol version " + version;
    }
    assertError(r, status, message);
    assertServing();
  }

  @Test
  void http10WithoutHostIsServed() throws Exception {
    assertThat(exchange("GET /version HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void http10KeepAliveIsAnsweredWithKeepAliveAndTheConnectionServesAgain() throws Exception {
    String r =
        exchange(
            "GET /version HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                + "GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    String[] answers = r.split("(?=HTTP/1\\.1 )");
    assertThat(answers).hasSize(2);
    assertThat(answers[0]).startsWith("HTTP/1.1 200 ").contains("Connection: keep-alive\r\n");
    assertThat(answers[1]).startsWith("HTTP/1.1 200 ").contains("Connection: close\r\n");
  }

  @Test
  void theAnswerToHeadHasTheLengthButNoBodySoTheNextAnswerIsFramedRight() throws Exception {
    // KES routes have one method each: HEAD gets the 405 (as Go KES: spec §1.1), without its body
    String r =
        exchange(
            "HEAD /version HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    int second = r.indexOf("HTTP/1.1 200 ");
    assertThat(second).isPositive();
    String head = r.substring(0, second);
    assertThat(head).startsWith("HTTP/1.1 405 ").endsWith("\r\n\r\n");
    int length =
        Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+)\r\n.*", "$1").trim());
    assertThat(length).isPositive(); // the error body a GET-like answer would carry
    assertThat(r.substring(second)).contains("\"version\":");
  }

  @Test
  void aDeclaredBodyOverTheLimitIsAnsweredBeforeItIsSent() throws Exception {
    // no body byte is ever written: the answer cannot wait for it (nor for the 15 s route timeout)
    String r =
        exchange("POST /v1/key/generate/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1000001\r\n\r\n");
    assertError(r, 400, "invalid request body");
  }

  @Test
  void anOversizedBodyIsNotInvitedWith100Continue() throws Exception {
    String r =
        exchange(
            "POST /v1/key/import/x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                + "Content-Length: 5000000\r\n\r\n");
    assertThat(r).doesNotContain("100 Continue");
    assertError(r, 400, "invalid import key request body");
  }

  @Test
  void aBodyWithinTheLimitIsInvitedWith100Continue() throws Exception {
    try (SSLSocket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/key/generate/k HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                  + "Content-Length: 2\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] first = new byte[25];
      int n = in.readNBytes(first, 0, first.length);
      assertThat(new String(first, 0, n, StandardCharsets.US_ASCII))
          .isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
      out.write("{}".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String r = readAll(in);
      assertThat(r).startsWith("HTTP/1.1 200 ").contains("\"plaintext\":");
    }
  }

  @Test
  void aChunkedBodyOverTheLimitIsAnsweredOnceItPassesTheLimit() throws Exception {
    try (SSLSocket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write(
          "POST /v1/key/generate/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk =
          ("10000\r\n" + " ".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 16; i++) { // 1 MiB > the 1 MB limit; the last chunk never comes
        out.write(chunk);
      }
      out.flush();
      assertError(readAll(s.getInputStream()), 400, "invalid request body");
    }
  }

  @Test
  void aHeaderThatTricklesIsCutOffAtTheHeaderTimeout() throws Exception {
    try (SSLSocket s = connect(quick)) {
      OutputStream out = s.getOutputStream();
      out.write("GET /v1/status HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread trickle =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 100; i++) { // 30 s at most, far beyond the 2 s timeout
                    Thread.sleep(300);
                    out.write('X');
                    out.flush();
                  }
                } catch (IOException | InterruptedException e) {
                  // closed by the server: expected
                }
              });
      trickle.setDaemon(true);
      trickle.start();
      // closed without a response (as Go's server), long before the trickle would end
      assertThat(readAll(s.getInputStream())).isEmpty();
      trickle.interrupt();
    }
    assertServing();
  }

  @Test
  void aConnectionThatSendsNothingAfterTheHandshakeIsClosed() throws Exception {
    try (SSLSocket s = connect(quick)) {
      assertThat(readAll(s.getInputStream())).isEmpty();
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsNotCutByTheHeaderTimeout() throws Exception {
    try (SSLSocket s = connect(quick)) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      String get = "GET /version HTTP/1.1\r\nHost: x\r\n\r\n";
      out.write(get.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponse(in)).startsWith("HTTP/1.1 200 ");
      Thread.sleep(3_000); // idle longer than the 2 s header timeout: idle time is not header time
      out.write(get.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponse(in)).startsWith("HTTP/1.1 200 ");
    }
  }

  /** Reads one response with a Content-Length body. */
  static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new SocketTimeoutException("closed after " + head);
      }
      head.append((char) c);
    }
    String lower = head.toString().toLowerCase(Locale.ROOT);
    int i = lower.indexOf("content-length: ");
    int length = Integer.parseInt(lower.substring(i + 16, lower.indexOf('\r', i)).trim());
    return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }
}
