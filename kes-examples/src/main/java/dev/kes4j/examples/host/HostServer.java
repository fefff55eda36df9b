package dev.kes4j.examples.host;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.kes4j.http.KesHttpApi;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A host application that already runs an HTTPS server of its own — the JDK's {@link HttpsServer} —
 * and mounts KES next to its own routes: {@code /v1/} and {@code /version} go to a {@link
 * KesHttpHandler}, {@code /healthz} is the host's, everything else is the host's 404.
 *
 * <pre>{@code
 * try (HostServer host = HostServer.builder(serverKey, serverChain)
 *     .address(new InetSocketAddress("0.0.0.0", 8443))
 *     .mountKes(KesHttpApi.fromConfig(kes, config))
 *     .start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p><b>The host's own mTLS.</b> The host owns the TLS setup: its certificate, TLS 1.3/1.2, and the
 * client-certificate policy. It <em>wants</em> client certificates ({@link
 * SSLParameters#setWantClientAuth}) rather than needing them, since {@code /healthz} serves anyone;
 * a KES route reached without a certificate is answered 400 by the API, exactly as KES does. By
 * default any client certificate is accepted and merely identified (KES's {@code tls.auth: off}: a
 * KES identity is the hash of a public key, so self-signed certificates are the norm); {@link
 * Builder#verifyClientCertificates} makes the TLS layer verify chains against given CAs instead
 * ({@code tls.auth: on}). Either way the handler passes the peer chain to the API, which derives
 * the identity and applies the policies: authorization does not depend on the transport.
 *
 * <p><b>JDK {@code HttpsServer} set-up</b> (PERF-NOTES finding 6): a real executor (a fixed pool
 * here), because with the default one the TLS handshake and request of every connection run on the
 * single dispatcher thread and one slow client stalls all; and {@code
 * -Dsun.net.httpserver.nodelay=true}, without which each response waits ~40 ms for Nagle's
 * algorithm — this class sets that property when it is loaded, unless it is already set (it is read
 * once, when the JDK's server implementation initialises).
 *
 * <p>Thread-safe. {@link Builder#start()} binds; {@link #close()} stops.
 */
public final class HostServer implements AutoCloseable {
  /** The system property that enables TCP_NODELAY on the JDK's HTTP server's connections. */
  public static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  static {
    if (System.getProperty(NODELAY_PROPERTY) == null) {
      System.setProperty(NODELAY_PROPERTY, "true");
    }
  }

  private static final byte[] HEALTHY = "{\"status\":\"ok\"}\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NOT_FOUND =
      "{\"error\":\"no such route on this host\"}\n".getBytes(StandardCharsets.UTF_8);

  private final HttpsServer server;
  private final ThreadPoolExecutor executor;
  private final List<KesHttpHandler> mounted;

  private HostServer(HttpsServer server, ThreadPoolExecutor executor, List<KesHttpHandler> kes) {
    this.server = server;
    this.executor = executor;
    this.mounted = kes;
  }

  /**
   * A builder for a host serving with this private key and certificate chain (leaf first).
   *
   * @throws IllegalArgumentException if the chain is empty
   */
  public static Builder builder(PrivateKey key, List<X509Certificate> chain) {
    return new Builder(key, chain);
  }

  /** The bound address (with the actual port when bound to port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops: ends the KES log streams, stops accepting, closes connections (requests in flight get up
   * to a second), stops the threads. Does not close the mounted APIs or their engines, which the
   * caller owns. Blocks until done.
   */
  @Override
  public void close() {
    for (KesHttpHandler h : mounted) {
      h.close();
    }
    server.stop(1);
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "HostServer[" + address() + ", " + mounted.size() + " KES mount(s)]";
  }

  /** The host's own health route: it knows nothing about KES and needs no certificate. */
  private static void healthz(HttpExchange exchange) throws IOException {
    reply(exchange, exchange.getRequestMethod().equals("GET") ? 200 : 405, HEALTHY);
  }

  private static void notFound(HttpExchange exchange) throws IOException {
    reply(exchange, 404, NOT_FOUND);
  }

  private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(body);
    }
  }

  /** Builds and starts a {@link HostServer}. Not thread-safe. */
  public static final class Builder {
    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
    private List<X509Certificate> clientCas; // null: accept any certificate (tls.auth: off)
    private int threads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    private final Map<String, HttpHandler> routes = new LinkedHashMap<>();
    private final List<KesHttpHandler> kes = new ArrayList<>();

    private Builder(PrivateKey key, List<X509Certificate> chain) {
      this.key = Objects.requireNonNull(key, "key");
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("empty certificate chain");
      }
      this.chain = List.copyOf(chain);
      routes.put("/healthz", HostServer::healthz);
      routes.put("/", HostServer::notFound);
    }

    /** Where to listen (default 127.0.0.1 on a free port). */
    public Builder address(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * Verify client certificate chains against these CAs in the TLS handshake; a client with a
     * certificate that does not verify cannot connect. Default: accept any certificate.
     */
    public Builder verifyClientCertificates(List<X509Certificate> cas) {
      this.clientCas = List.copyOf(cas);
      return this;
    }

    /**
     * Request threads (default max(8, 4 × CPUs)). Each request — TLS handshake, body, engine call —
     * holds one while it runs; log streams run on threads of their own.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be positive");
      }
      this.threads = threads;
      return this;
    }

    /** Mounts KES: its {@code /v1/...} routes and {@code /version}. */
    public Builder mountKes(KesHttpApi api) {
      KesHttpHandler handler = new KesHttpHandler(api);
      kes.add(handler);
      routes.put("/v1/", handler);
      routes.put("/version", handler);
      return this;
    }

    /**
     * Adds (or replaces) one of the host's own routes: a path prefix, as the JDK server matches.
     */
    public Builder route(String pathPrefix, HttpHandler handler) {
      routes.put(Objects.requireNonNull(pathPrefix, "pathPrefix"), handler);
      return this;
    }

    /**
     * Binds and starts serving.
     *
     * @throws UncheckedIOException if the address cannot be bound
     * @throws IllegalStateException if the key and certificate cannot be used for TLS
     */
    public HostServer start() {
      SSLContext tls = sslContext();
      HttpsServer server;
      try {
        server = HttpsServer.create(address, 256);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on " + address, e);
      }
      server.setHttpsConfigurator(
          new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters p = getSSLContext().getDefaultSSLParameters();
              p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
              p.setWantClientAuth(true); // a certificate if the client has one; /healthz has none
              params.setSSLParameters(p);
            }
          });
      routes.forEach(server::createContext);
      AtomicInteger n = new AtomicInteger();
      ThreadPoolExecutor executor =
          new ThreadPoolExecutor(
              threads,
              threads,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "host-https-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      executor.allowCoreThreadTimeOut(true);
      server.setExecutor(executor);
      server.start();
      return new HostServer(server, executor, List.copyOf(kes));
    }

    private SSLContext sslContext() {
      try {
        char[] pw = "in-memory".toCharArray(); // protects nothing: the store never leaves memory
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, pw, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        TrustManager[] trust;
        if (clientCas == null) {
          trust = new TrustManager[] {new AnyClientCertificate()};
        } else {
          KeyStore cas = KeyStore.getInstance("PKCS12");
          cas.load(null, null);
          for (int i = 0; i < clientCas.size(); i++) {
            cas.setCertificateEntry("ca-" + i, clientCas.get(i));
          }
          TrustManagerFactory tmf =
              TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
          tmf.init(cas);
          trust = tmf.getTrustManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), trust, null);
        return ctx;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
      }
    }
  }

  /**
   * KES's {@code tls.auth: off}: every client certificate is accepted in the handshake and only
   * identified afterwards (by the hash of its public key). Never used to check servers.
   */
  private static final class AnyClientCertificate extends X509ExtendedTrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("a server-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("a server-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a server-side trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return NONE;
    }
  }
}
