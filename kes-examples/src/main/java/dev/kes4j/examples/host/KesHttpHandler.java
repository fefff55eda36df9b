package dev.kes4j.examples.host;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import dev.kes4j.http.ApiRequest;
import dev.kes4j.http.ApiResponse;
import dev.kes4j.http.KesHttpApi;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Mounts a {@link KesHttpApi} on the JDK's {@code com.sun.net.httpserver}: an {@link HttpHandler}
 * that turns each exchange into an {@link ApiRequest} and writes back the {@link ApiResponse}. It
 * does no KES logic of its own — routing, body limits, identity and authorization all happen in
 * {@link KesHttpApi#handle} — so a KES client sees the same answers as from kes-server's reference
 * {@code KesServer}. It needs only the {@code kes-http} module (no Netty, no TLS provider).
 *
 * <pre>{@code
 * KesHttpHandler kes = new KesHttpHandler(KesHttpApi.fromConfig(engine, config));
 * httpsServer.createContext("/v1/", kes);
 * httpsServer.createContext("/version", kes);
 * }</pre>
 *
 * <p>What it passes on: the method; the percent-decoded path and the raw query; the TLS peer chain
 * of an {@link HttpsExchange} (an empty array when the client sent no certificate, nothing at all
 * for plain HTTP, which the API answers with 400); every header; the body as a stream with its
 * declared length ({@code -1} when chunked), which the API reads only up to the route's limit; the
 * client's IP address.
 *
 * <p>Streamed responses (the {@code /v1/log/...} routes) are written as chunked ndjson, one flushed
 * chunk per event, each on a thread of a dedicated pool (at most {@code maxStreams} at once; more
 * are answered 503) so that they do not occupy the server's request threads. A departed client is
 * noticed on the next event written; {@link #close()} ends all running streams.
 *
 * <p>Not done here, left to the host: per-route timeouts ({@link KesHttpApi.Route#timeout()}, which
 * {@code KesServer} enforces with 503) and connection limits.
 *
 * <p>Thread-safe. {@link #handle} blocks while the engine works (it runs on the server's executor,
 * so give the server one: see {@link HostServer}).
 */
public final class KesHttpHandler implements HttpHandler, AutoCloseable {
  private static final X509Certificate[] NO_CERTIFICATES = new X509Certificate[0];
  private static final byte[] TOO_MANY_STREAMS =
      "{\"message\":\"too many log streams\"\n}".getBytes(StandardCharsets.UTF_8);

  private final KesHttpApi api;
  private final ThreadPoolExecutor streams;

  /** A handler with room for 64 concurrent log streams. */
  public KesHttpHandler(KesHttpApi api) {
    this(api, 64);
  }

  /**
   * A handler.
   *
   * @param api the API to serve
   * @param maxStreams how many log streams may run at once
   * @throws IllegalArgumentException if {@code maxStreams} is not positive
   */
  public KesHttpHandler(KesHttpApi api, int maxStreams) {
    this.api = Objects.requireNonNull(api, "api");
    if (maxStreams < 1) {
      throw new IllegalArgumentException("maxStreams must be positive");
    }
    AtomicInteger n = new AtomicInteger();
    this.streams =
        new ThreadPoolExecutor(
            0,
            maxStreams,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "kes-log-stream-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** The API served. */
  public KesHttpApi api() {
    return api;
  }

  /**
   * Serves one exchange. Blocks while the engine works; never throws for a bad request (the API
   * turns every failure into an error response).
   *
   * @throws IOException if the client went away while the answer was written
   */
  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      ApiResponse response = api.handle(toApiRequest(exchange));
      if (response.stream().isPresent()) {
        stream(exchange, response);
      } else {
        write(exchange, response.status(), response.headers(), response.body());
      }
    } catch (IOException | RuntimeException e) {
      exchange.close();
      throw e;
    }
  }

  /** The exchange as the API sees it; the body stays a stream (read once, up to the limit). */
  static ApiRequest toApiRequest(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    ApiRequest.Builder b =
        ApiRequest.builder(exchange.getRequestMethod(), exchange.getRequestURI().getPath())
            .query(query == null ? "" : query);
    X509Certificate[] chain = peerChain(exchange);
    if (chain != null) {
      b.peerCertificates(chain);
    }
    Headers headers = exchange.getRequestHeaders();
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      for (String v : e.getValue()) {
        b.header(e.getKey(), v);
      }
    }
    b.body(exchange.getRequestBody(), declaredLength(headers));
    InetSocketAddress remote = exchange.getRemoteAddress();
    if (remote != null && remote.getAddress() != null) {
      b.remoteAddress(remote.getAddress().getHostAddress());
    }
    return b.build();
  }

  /**
   * The client's chain from the TLS session: empty if it sent no certificate, null if the exchange
   * is not TLS.
   */
  static X509Certificate[] peerChain(HttpExchange exchange) {
    if (!(exchange instanceof HttpsExchange https)) {
      return null;
    }
    SSLSession session = https.getSSLSession();
    if (session == null) {
      return NO_CERTIFICATES;
    }
    try {
      Certificate[] certs = session.getPeerCertificates();
      X509Certificate[] chain = new X509Certificate[certs.length];
      for (int i = 0; i < certs.length; i++) {
        chain[i] = (X509Certificate) certs[i];
      }
      return chain;
    } catch (SSLPeerUnverifiedException e) {
      return NO_CERTIFICATES;
    }
  }

  private static long declaredLength(Headers headers) {
    String te = headers.getFirst("Transfer-Encoding");
    if (te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
      return -1;
    }
    String cl = headers.getFirst("Content-Length");
    if (cl == null) {
      return 0;
    }
    try {
      return Long.parseLong(cl.trim());
    } catch (NumberFormatException e) {
      return -1; // the server would have rejected it; let the API's limit decide
    }
  }

  private static void write(
      HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    Headers out = exchange.getResponseHeaders();
    headers.forEach(out::set);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    // -1: no body (the server then sends Content-Length: 0); a length: fixed-length body
    exchange.sendResponseHeaders(status, body.length == 0 || head ? -1 : body.length);
    if (body.length > 0 && !head) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }
    exchange.close();
  }

  private void stream(HttpExchange exchange, ApiResponse response) throws IOException {
    ApiResponse.EventStream events = response.stream().orElseThrow();
    try {
      streams.execute(() -> runStream(exchange, response.headers(), events));
    } catch (RejectedExecutionException e) {
      write(exchange, 503, Map.of("Content-Type", "application/json"), TOO_MANY_STREAMS);
    }
  }

  private static void runStream(
      HttpExchange exchange, Map<String, String> headers, ApiResponse.EventStream events) {
    try {
      headers.forEach(exchange.getResponseHeaders()::set);
      exchange.sendResponseHeaders(200, 0); // 0: chunked, as long as it takes
      OutputStream out = exchange.getResponseBody();
      events.run(
          chunk -> {
            out.write(chunk);
            out.flush(); // one chunk on the wire per event
          });
      out.close(); // the terminating chunk
    } catch (IOException | RuntimeException e) {
      // the client left, or the handler closed: end the response either way
    } finally {
      exchange.close();
    }
  }

  /**
   * Ends the running log streams (their threads are interrupted, their responses end) and refuses
   * new ones. Does not close the API. Idempotent; does not wait.
   */
  @Override
  public void close() {
    streams.shutdownNow();
  }

  @Override
  public String toString() {
    return "KesHttpHandler[" + api + ", " + streams.getActiveCount() + " log streams]";
  }
}
