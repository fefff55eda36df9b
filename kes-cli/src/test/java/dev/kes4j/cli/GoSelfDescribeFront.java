package dev.kes4j.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.kes4j.http.ApiRequest;
import dev.kes4j.http.ApiResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The real kes4j API of a {@link CliServer} behind a second HTTPS transport (the JDK's server, real
 * TLS with the same server certificate, client certificates requested) that answers {@code
 * /v1/identity/self/describe} as Go KES 2024+ does for every identity that is not the admin: 404
 * {@code identity does not exist}; and that, like Go KES, sends a log stream's headers only with
 * its first event ({@code /v1/log/error} answers after {@link #LOG_SILENCE_MILLIS}).
 */
final class GoSelfDescribeFront implements AutoCloseable {
  static final long LOG_SILENCE_MILLIS = 1500;
  static final String LOG_LINE = "{\"message\":\"quiet server spoke\"}";

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  GoSelfDescribeFront(CliServer kes) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kes.serverKeyManagers(), new javax.net.ssl.TrustManager[] {new AnyClient()}, null);
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
    server.setExecutor(executor);
    server.createContext(
        "/",
        ex -> {
          try {
            handle(kes, (HttpsExchange) ex);
          } finally {
            ex.close();
          }
        });
    server.start();
  }

  String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void handle(CliServer kes, HttpsExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    Certificate[] peer = ex.getSSLSession().getPeerCertificates();
    X509Certificate leaf = (X509Certificate) peer[0];
    boolean admin =
        dev.kes4j.api.Identity.of(leaf).equals(kes.admin.identity()); // Go: only the admin
    if (path.equals("/v1/log/error")) {
      try {
        Thread.sleep(LOG_SILENCE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      out.write((LOG_LINE + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        Thread.sleep(2000); // the stream stays open; the client stops after -n 1
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.close();
      return;
    }
    if (path.equals("/v1/identity/self/describe") && !admin) {
      write(ex, 404, "application/json", "{\"message\":\"identity does not exist\"}\n");
      return;
    }
    ApiRequest.Builder b = ApiRequest.builder(ex.getRequestMethod(), path);
    String query = ex.getRequestURI().getRawQuery();
    if (query != null) {
      b.query(query);
    }
    X509Certificate[] chain = new X509Certificate[peer.length];
    for (int i = 0; i < peer.length; i++) {
      chain[i] = (X509Certificate) peer[i];
    }
    b.peerCertificates(chain);
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      for (String v : h.getValue()) {
        b.header(h.getKey(), v);
      }
    }
    b.body(ex.getRequestBody().readAllBytes());
    ApiResponse r = kes.api.handle(b.build());
    r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    byte[] body = r.body();
    ex.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void write(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** KES's default {@code tls.auth: off}: any client certificate is accepted, then identified. */
  private static final class AnyClient extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, java.net.Socket s) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, java.net.Socket s) {}

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
