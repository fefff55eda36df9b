package dev.kes4j.server;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.server.internal.AlpnFront;
import dev.kes4j.server.internal.HeaderDeadline;
import dev.kes4j.server.internal.HttpConnection;
import dev.kes4j.server.internal.TlsContexts;
import dev.kes4j.server.internal.TlsFiles;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference HTTPS front of {@link KesHttpApi}: Netty 4.2 (NIO transport) with mutual TLS
 * through the JDK's TLS (or BoringSSL via {@code netty-tcnative}, see {@link TlsProvider}). TLS 1.2
 * and 1.3; every client must present a certificate (not verified by default, as KES's {@code
 * tls.auth: off}; verified against the system roots plus {@code tls.ca} with {@code auth: on});
 * when some route skips authentication a certificate is only requested. HTTP/2 and HTTP/1.1 (and
 * 1.0, with keep-alive) on the same port: ALPN offers {@code h2} first, then {@code http/1.1}; a
 * client without ALPN gets HTTP/1.1 ({@link Builder#http2} turns h2 off). The handshake and each
 * request's headers must arrive within 5 s ({@link Builder#headerTimeout}; over h2: the client
 * preface and the first request's headers); idle connections close after 90 s; per-route timeouts
 * answer 503. Both protocols have the same body limits per route, header limits (8 KiB request
 * line, 16 KiB headers; over h2 24 KiB of header list), identity, audit and metrics. Every error
 * the front raises itself (malformed request line or escapes, headers too large, bad chunking,
 * unsupported version or {@code Expect}) is a KES JSON error body; over HTTP/1.1 it closes the
 * connection, over h2 only the stream ends.
 *
 * <pre>{@code
 * try (KesServer server = KesServer.builder(api).address("0.0.0.0:7373")
 *     .certificate(key, chain).start()) {
 *   server.awaitClose();
 * }
 * }</pre>
 *
 * <p>Engine calls run on a worker pool, never on Netty's event loops; each streaming log subscriber
 * has a thread of its own. {@link #close()} shuts down gracefully: it stops accepting, lets
 * in-flight requests finish (up to the grace period), ends log streams and closes connections.
 * Thread-safe.
 */
public final class KesServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KesServer.class);

  static {
    // Netty derives channel ids from a MAC address found by walking every network interface,
    // which takes seconds on hosts with many interfaces; a random machine id is as good here.
    if (System.getProperty("io.netty.machineId") == null) {
      byte[] id = new byte[8];
      new java.security.SecureRandom().nextBytes(id);
      StringBuilder sb = new StringBuilder();
      for (byte b : id) {
        if (sb.length() > 0) {
          sb.append(':');
        }
        sb.append(String.format("%02x", b & 0xff));
      }
      System.setProperty("io.netty.machineId", sb.toString());
    }
  }

  /** Which TLS implementation serves connections. */
  public enum TlsProvider {
    /** The JDK's TLS: every client certificate type, Ed25519 included. The default. */
    JDK,
    /**
     * BoringSSL through netty-tcnative: faster, but BoringSSL does not accept Ed25519 client
     * certificates (its signature_algorithms for client certificates omit Ed25519).
     */
    OPENSSL
  }

  /** How client certificates are checked (spec §2.3). */
  public enum ClientAuth {
    /** {@code tls.auth: off} (default): any certificate is accepted and only identified. */
    ANY,
    /** {@code tls.auth: on}: the chain must verify against the system roots plus extra CAs. */
    VERIFY
  }

  private final KesHttpApi api;
  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor streams;
  private final ChannelGroup channels;
  private final Channel serverChannel;
  private final HttpConnection.InFlight inFlight;
  private final String tlsProvider;
  private final Duration grace;
  private final Duration headerTimeout;
  private final AtomicLong handshakeFailures = new AtomicLong();
  private final Object closeLock = new Object();
  private volatile boolean closed;

  private KesServer(Builder b, SslContext ssl, String provider) {
    this.api = b.api;
    this.tlsProvider = provider;
    this.grace = b.grace;
    this.headerTimeout = b.headerTimeout;
    this.inFlight = new HttpConnection.InFlight();
    int ioThreads = b.ioThreads > 0 ? b.ioThreads : Runtime.getRuntime().availableProcessors();
    this.boss =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("kes4j-accept", true), NioIoHandler.newFactory());
    this.io =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory("kes4j-io", true), NioIoHandler.newFactory());
    this.workers =
        new ThreadPoolExecutor(
            b.workerThreads,
            b.workerThreads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemon("kes4j-worker"));
    this.workers.allowCoreThreadTimeOut(true);
    this.streams =
        new ThreadPoolExecutor(
            0, 256, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), daemon("kes4j-log-stream"));
    this.channels = new DefaultChannelGroup("kes4j", GlobalEventExecutor.INSTANCE);
    HttpConnection.Shared shared =
        new HttpConnection.Shared(
            api, workers, streams, inFlight, handshakeFailures::incrementAndGet);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, io)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.AUTO_READ, false) // accept once Builder.start says so
            .childOption(ChannelOption.TCP_NODELAY, true)
            // Netty's pooled allocator, not 4.2's default adaptive one: a request's buffers are
            // allocated and freed on one event loop, which the pooled one serves from a thread
            // cache (docs/performance.md: 2-4 µs less server CPU per request, same-run A/B)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    channels.add(ch);
                    ChannelPipeline p = ch.pipeline();
                    SslHandler tls = ssl.newHandler(ch.alloc());
                    tls.setHandshakeTimeout(headerTimeout.toMillis(), TimeUnit.MILLISECONDS);
                    p.addLast("tls", tls);
                    p.addLast(
                        "header-deadline",
                        new HeaderDeadline(
                            headerTimeout, () -> headerTimedOut(ch.remoteAddress())));
                    // h2 or HTTP/1.1 handlers, as ALPN decided, once the handshake is done
                    p.addLast("alpn", new AlpnFront(shared));
                  }
                });
    io.netty.channel.ChannelFuture bound = bootstrap.bind(b.address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutdownThreads();
      Throwable t = bound.cause();
      if (t instanceof BindException) {
        throw new KesConfigException(
            "cannot listen on " + b.addressText + ": address already in use or not available", t);
      }
      throw new KesConfigException("cannot listen on " + b.addressText + ": " + t, t);
    }
    this.serverChannel = bound.channel();
    channels.add(serverChannel);
  }

  private void headerTimedOut(java.net.SocketAddress remote) {
    String address =
        remote instanceof InetSocketAddress isa && isa.getAddress() != null
            ? isa.getAddress().getHostAddress()
            : "client";
    api.logRefusal(
        "header-timeout:" + address,
        "refused client "
            + address
            + ": the request line and headers did not arrive within "
            + headerTimeout.toMillis()
            + " ms; closing");
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A builder serving {@code api}. */
  public static Builder builder(KesHttpApi api) {
    return new Builder(api);
  }

  /** The address the server listens on (the actual port when bound to port 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** The API this server serves. */
  public KesHttpApi api() {
    return api;
  }

  /** Which TLS implementation serves connections: {@code OpenSSL (BoringSSL)} or {@code JDK}. */
  public String tlsProvider() {
    return tlsProvider;
  }

  /** How many TLS handshakes have failed (clients without certificate, bad chains …). */
  public long handshakeFailures() {
    return handshakeFailures.get();
  }

  /** Blocks until the server is closed. */
  public void awaitClose() throws InterruptedException {
    synchronized (closeLock) {
      while (!closed) {
        closeLock.wait();
      }
    }
  }

  /**
   * Stops gracefully: no new connections, in-flight requests finish (up to the grace period), log
   * streams end, connections close, threads stop. Idempotent; blocks until done.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
      closeLock.notifyAll();
    }
    serverChannel.close().syncUninterruptibly();
    try {
      if (!inFlight.awaitIdle(grace)) {
        LOG.warn("requests still running after {}; closing anyway", grace);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    api.close();
    channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    shutdownThreads();
  }

  private void shutdownThreads() {
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdown();
    streams.shutdownNow();
  }

  @Override
  public String toString() {
    return "KesServer["
        + (serverChannel.isOpen() ? address() : "closed")
        + ", "
        + tlsProvider
        + "]";
  }

  /** Builds and starts a {@link KesServer}. Not thread-safe. */
  public static final class Builder {
    private final KesHttpApi api;
    private InetSocketAddress address = new InetSocketAddress(7373);
    private String addressText = "0.0.0.0:7373";
    private PrivateKey key;
    private List<X509Certificate> chain;
    private ClientAuth clientAuth = ClientAuth.ANY;
    private final List<X509Certificate> trusted = new ArrayList<>();
    private boolean systemRoots = true;
    private TlsProvider tlsProvider = TlsProvider.JDK;
    private int ioThreads;
    private int workerThreads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    private Duration grace = Duration.ofSeconds(10);
    private Duration headerTimeout = Duration.ofSeconds(5);
    private boolean http2 = true;

    private Builder(KesHttpApi api) {
      this.api = Objects.requireNonNull(api, "api");
    }

    /**
     * The listen address as KES writes it: {@code host:port}, {@code :port} or {@code [v6]:port};
     * port 0 picks a free port.
     *
     * @throws KesConfigException if the address cannot be parsed
     */
    public Builder address(String address) {
      Objects.requireNonNull(address, "address");
      this.address = parseAddress(address);
      this.addressText = address;
      return this;
    }

    /** The listen address. */
    public Builder address(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
      this.addressText = address.toString();
      return this;
    }

    /** The server's private key and certificate chain (leaf first). */
    public Builder certificate(PrivateKey key, List<X509Certificate> chain) {
      this.key = Objects.requireNonNull(key, "key");
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("empty certificate chain");
      }
      this.chain = List.copyOf(chain);
      return this;
    }

    /**
     * How client certificates are checked; {@code trustedCas} are added to the system roots for
     * {@link ClientAuth#VERIFY}.
     */
    public Builder clientAuth(ClientAuth mode, List<X509Certificate> trustedCas) {
      this.clientAuth = Objects.requireNonNull(mode, "mode");
      this.trusted.clear();
      this.trusted.addAll(trustedCas);
      return this;
    }

    /** Whether {@link ClientAuth#VERIFY} also trusts the JDK's system roots (default true). */
    public Builder systemRoots(boolean use) {
      this.systemRoots = use;
      return this;
    }

    /**
     * Loads key, certificate, {@code auth} and {@code ca} from a KES config's {@code tls:} section,
     * resolving relative paths against {@code baseDir}.
     *
     * @throws KesConfigException if a file is missing, unreadable or invalid, or the key is
     *     encrypted and the password is wrong
     */
    public Builder tls(KesConfig.Tls tls, Path baseDir) {
      TlsFiles files = TlsFiles.read(tls, baseDir);
      certificate(files.key(), files.chain());
      clientAuth(files.clientAuth(), files.cas());
      return this;
    }

    /**
     * The TLS implementation (default {@link TlsProvider#JDK}). {@link TlsProvider#OPENSSL}
     * (BoringSSL) is faster, above all for handshakes, but cannot verify Ed25519 client
     * certificates — KES API keys and {@code kes identity new} certificates are Ed25519 — so use it
     * only when every client has an ECDSA or RSA certificate. Falls back to the JDK when BoringSSL
     * cannot be loaded.
     */
    public Builder tlsProvider(TlsProvider provider) {
      this.tlsProvider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** Netty I/O threads (default: one per CPU). */
    public Builder ioThreads(int n) {
      this.ioThreads = n;
      return this;
    }

    /** Threads running engine calls (default: max(8, 4 × CPUs)). */
    public Builder workerThreads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("workerThreads must be positive");
      }
      this.workerThreads = n;
      return this;
    }

    /**
     * How long a client may take for the TLS handshake, and for a request's line and headers from
     * the handshake or from the request's first byte (default 5 s, KES's read-header timeout). A
     * connection that misses it is closed without a response.
     */
    public Builder headerTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("header timeout must be positive");
      }
      this.headerTimeout = timeout;
      return this;
    }

    /**
     * Whether ALPN offers HTTP/2 ({@code h2}) before HTTP/1.1 (default true, as Go KES). False: no
     * ALPN, every connection speaks HTTP/1.1.
     */
    public Builder http2(boolean enabled) {
      this.http2 = enabled;
      return this;
    }

    /** How long {@link KesServer#close()} waits for in-flight requests (default 10 s). */
    public Builder gracePeriod(Duration grace) {
      this.grace = Objects.requireNonNull(grace, "grace");
      return this;
    }

    /**
     * Binds and starts serving.
     *
     * @throws KesConfigException if no certificate was given, the TLS setup fails, or the address
     *     is in use
     */
    public KesServer start() {
      return start(() -> {});
    }

    /**
     * Binds, runs {@code beforeAccepting}, then starts serving: a host binds first and only then
     * touches its key store (creating a config's {@code keys:}), so that a taken or invalid address
     * or bad TLS material fails before any side effect, and no client is served before the keys
     * exist (connections wait in the listen backlog meanwhile).
     *
     * @throws KesConfigException if no certificate was given, the TLS setup fails, or the address
     *     is in use — {@code beforeAccepting} has not run then
     * @throws RuntimeException what {@code beforeAccepting} threw; the server is closed then
     */
    public KesServer start(Runnable beforeAccepting) {
      Objects.requireNonNull(beforeAccepting, "beforeAccepting");
      if (key == null) {
        throw new KesConfigException("tls: no server certificate configured");
      }
      TlsContexts.Result ssl =
          TlsContexts.server(
              key,
              chain,
              clientAuth == ClientAuth.VERIFY,
              trusted,
              systemRoots,
              api.requiresClientCertificate(),
              tlsProvider == TlsProvider.OPENSSL,
              http2);
      KesServer s = new KesServer(this, ssl.context(), ssl.provider());
      try {
        beforeAccepting.run();
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
      s.serverChannel.config().setAutoRead(true);
      LOG.debug("listening on {} with {}", s.address(), ssl.provider());
      return s;
    }
  }

  /**
   * Parses a KES listen address.
   *
   * @throws KesConfigException if it is not {@code host:port}
   */
  static InetSocketAddress parseAddress(String address) {
    String a = address.trim();
    int colon = a.lastIndexOf(':');
    if (colon < 0) {
      throw new KesConfigException("invalid address '" + address + "': expected host:port");
    }
    String host = a.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(a.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new KesConfigException("invalid address '" + address + "': bad port");
    }
    if (port < 0 || port > 65535) {
      throw new KesConfigException("invalid address '" + address + "': bad port");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      return new InetSocketAddress(port);
    }
    InetSocketAddress isa = new InetSocketAddress(host, port);
    if (isa.isUnresolved()) {
      throw new KesConfigException("invalid address '" + address + "': unknown host");
    }
    return isa;
  }
}
