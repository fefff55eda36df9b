package dev.kes4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.kes4j.api.NotAuthorizedException;
import dev.kes4j.policy.ApiKey;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Log streams against a server that, like Go KES, sends a stream's response headers only with its
 * first event: a real loopback HTTPS server (the JDK's, real TLS with a CA-issued certificate, mTLS
 * requested) whose log handlers sleep before answering. The client's call timeout (300 ms) is far
 * shorter than the server's silence (1.5 s): the stream must wait, not fail with 504.
 */
class QuietLogStreamTest {
  private static final long SILENCE_MILLIS = 1500;
  private static final String EVENT =
      "{\"time\":\"2024-01-01T00:00:00Z\",\"request\":{\"path\":\"/v1/key/create/a\"},"
          + "\"response\":{\"code\":200,\"time\":1}}";

  private static HttpsServer server;
  private static ExecutorService executor;
  private static final CountDownLatch RELEASE = new CountDownLatch(1);

  @BeforeAll
  static void start() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "server",
        TestServer.SERVER_CERT.privateKey(),
        "pw".toCharArray(),
        new Certificate[] {TestServer.SERVER_CERT.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    kmf.init(ks, "pw".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(
        kmf.getKeyManagers(),
        new javax.net.ssl.TrustManager[] {new OldServerFront.AnyClient()},
        null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(ctx) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = ctx.getDefaultSSLParameters();
            p.setNeedClientAuth(true);
            params.setSSLParameters(p);
          }
        });
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    // Go KES: headers with the first event, then the connection stays open
    server.createContext("/v1/log/audit", ex -> quiet(ex, 200, EVENT + "\n", true));
    // an error answer that comes late (a server slow to decide)
    server.createContext(
        "/v1/log/error",
        ex -> quiet(ex, 403, "{\"message\":\"not authorized: insufficient permissions\"}", false));
    // never answers while the test runs
    server.createContext("/v1/log/audit/silent", ex -> quiet(ex, 200, "", true));
    server.start();
  }

  private static void quiet(HttpExchange ex, int status, String body, boolean stayOpen)
      throws IOException {
    try {
      if (ex.getRequestURI().getPath().endsWith("/silent")) {
        RELEASE.await(30, TimeUnit.SECONDS);
        return;
      }
      Thread.sleep(SILENCE_MILLIS);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders()
          .add("Content-Type", status == 200 ? "application/x-ndjson" : "application/json");
      ex.sendResponseHeaders(status, stayOpen ? 0 : bytes.length);
      OutputStream out = ex.getResponseBody();
      out.write(bytes);
      out.flush();
      if (stayOpen) {
        RELEASE.await(30, TimeUnit.SECONDS);
      }
      out.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away
    } finally {
      ex.close();
    }
  }

  @AfterAll
  static void stop() {
    RELEASE.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private static KesClient client() {
    return KesClient.builder()
        .endpoints("https://127.0.0.1:" + server.getAddress().getPort())
        .caCertificates(List.of(TestServer.CA.certificate()))
        .apiKey(ApiKey.generate().encode())
        .timeout(Duration.ofMillis(300))
        .build();
  }

  @Test
  void auditLogWaitsForAServerThatSendsHeadersWithTheFirstEvent() {
    try (KesClient c = client();
        LogStream log = c.auditLog()) {
      assertThat(log.isOpen()).isTrue();
      assertThat(log.hasNext()).isTrue(); // blocks past the 300 ms call timeout
      assertThat(log.next()).isEqualTo(EVENT);
    }
  }

  @Test
  void pollReturnsEmptyWhileTheServerIsQuietThenTheEvent() {
    try (KesClient c = client();
        LogStream log = c.auditLog()) {
      assertThat(log.poll(Duration.ofMillis(50))).isEmpty();
      assertThat(log.isOpen()).isTrue();
      Optional<String> line = Optional.empty();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (line.isEmpty() && System.nanoTime() < deadline) {
        line = log.poll(Duration.ofMillis(200));
      }
      assertThat(line).contains(EVENT);
    }
  }

  @Test
  void aLateErrorAnswerIsThrownByTheStream() {
    try (KesClient c = client();
        LogStream log = c.errorLog()) {
      assertThatThrownBy(log::hasNext).isExactlyInstanceOf(NotAuthorizedException.class);
      assertThat(log.isOpen()).isFalse();
      assertThat(log.hasNext()).isFalse();
    }
  }

  @Test
  void closeWakesAReaderWaitingForTheFirstAnswer() throws Exception {
    try (KesClient c = client()) {
      LogStream log = c.log("/v1/log/audit/silent");
      CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(log::hasNext);
      Thread.sleep(200);
      assertThat(reader).isNotDone();
      log.close();
      assertThat(reader.get(5, TimeUnit.SECONDS)).isFalse();
      assertThat(log.isOpen()).isFalse();
    }
  }

  @Test
  void connectingIsStillBounded() throws Exception {
    try (java.net.ServerSocket mute = new java.net.ServerSocket(0)) { // accepts, never speaks TLS
      KesClient c =
          KesClient.builder()
              .endpoints("https://127.0.0.1:" + mute.getLocalPort())
              .caCertificates(List.of(TestServer.CA.certificate()))
              .apiKey(ApiKey.generate().encode())
              .timeout(Duration.ofSeconds(1))
              .build();
      try (c) {
        assertThatThrownBy(c::auditLog)
            .isInstanceOf(dev.kes4j.api.KesException.class)
            .hasMessageContaining("cannot connect to KES server");
      }
    }
  }
}
