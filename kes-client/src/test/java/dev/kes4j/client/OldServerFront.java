package dev.kes4j.client;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.kes4j.http.ApiRequest;
import dev.kes4j.http.ApiResponse;
import dev.kes4j.http.KesHttpApi;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The real {@link KesHttpApi} mounted on a second transport (the JDK's HTTPS server) that answers
 * as an older KES generation would: no {@code /v1/key/bulk/decrypt/} route (Go's plain-text 404),
 * KES 0.16 error bodies ({@code application/json; charset=utf-8}, message not escaped) and 0.16 key
 * listings ({@code {"Name":..}} lines without a Content-Type).
 */
final class OldServerFront implements AutoCloseable {
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  OldServerFront(KesHttpApi api) throws Exception {
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
    ctx.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {new AnyClient()}, null);
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
            handle(api, (HttpsExchange) ex);
          } finally {
            ex.close();
          }
        });
    server.start();
  }

  String endpoint() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void handle(KesHttpApi api, HttpsExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (path.startsWith("/v1/key/bulk/")) {
      write(ex, 404, Map.of("Content-Type", "text/plain; charset=utf-8"), "404 page not found\n");
      return;
    }
    ApiRequest.Builder b = ApiRequest.builder(ex.getRequestMethod(), path);
    String query = ex.getRequestURI().getRawQuery();
    if (query != null) {
      b.query(query);
    }
    Certificate[] peer = ex.getSSLSession().getPeerCertificates();
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
    ApiResponse r = api.handle(b.build());
    String body = new String(r.body(), StandardCharsets.UTF_8);
    if (r.status() >= 400) {
      String message = body.replaceAll("(?s)^\\{\"message\":\"(.*)\"\\s*}$", "$1");
      message = message.replace("\\\"", "\""); // 0.16 formats the text without JSON escaping
      write(
          ex,
          r.status(),
          Map.of("Content-Type", "application/json; charset=utf-8"),
          "{\"message\":\"" + message + "\"}");
    } else if (path.startsWith("/v1/key/list/")) {
      write(ex, r.status(), Map.of(), body.replace("{\"name\":", "{\"Name\":"));
    } else {
      write(ex, r.status(), r.headers(), body);
    }
  }

  private static void write(HttpsExchange ex, int status, Map<String, String> headers, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** KES's default {@code tls.auth: off}: any client certificate is accepted, then identified. */
  static final class AnyClient extends X509ExtendedTrustManager {
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
