package dev.kes4j.server.internal;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.core.CacheConfig;
import dev.kes4j.core.Kes;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.policy.ApiKey;
import dev.kes4j.policy.PolicySet;
import dev.kes4j.policy.internal.pki.Pem;
import dev.kes4j.policy.internal.pki.Pki;
import dev.kes4j.server.KesServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code kes4j server --dev}: an in-memory server with ephemeral certificates and a fresh admin API
 * key, for trying kes4j and for MinIO development setups. Writes the admin client certificate and
 * key, the server certificate and its CA into a directory and describes how to connect.
 */
public final class DevServer implements AutoCloseable {
  /** The key the dev server creates so that the printed examples work. */
  public static final String DEFAULT_KEY = "my-key";

  private final Kes kes;
  private final KesServer server;
  private final ApiKey admin;
  private final Path dir;
  private final DirectoryLock lock;

  private DevServer(Kes kes, KesServer server, ApiKey admin, Path dir, DirectoryLock lock) {
    this.kes = kes;
    this.server = server;
    this.admin = admin;
    this.dir = dir;
    this.lock = lock;
  }

  /**
   * Starts a dev server. Nothing is written before the server listens: if the address is busy or
   * another live dev server uses {@code dir}, the files of that server stay as they are. {@code
   * dir} is locked ({@code .lock}) while this server runs; every file is replaced atomically.
   *
   * @param address listen address ({@code host:port}; port 0 picks a free one)
   * @param dir where certificates and keys are written (created if missing)
   * @param provider the TLS implementation
   * @throws IOException if the files cannot be written
   * @throws dev.kes4j.api.KesConfigException if the address is in use or another running dev server
   *     uses {@code dir}
   */
  public static DevServer start(String address, Path dir, KesServer.TlsProvider provider)
      throws IOException {
    Files.createDirectories(dir);
    DirectoryLock lock = DirectoryLock.acquire(dir);
    try {
      KeyPair caKeys = Pki.keyPair(Pki.Algorithm.ECDSA_P256);
      Pki.Issued ca =
          Pki.issue(
              caKeys,
              "kes4j dev CA",
              Pki.Usage.CA,
              List.of(),
              List.of(),
              Duration.ofDays(30),
              null);
      Pki.Issued serverCert =
          Pki.issue(
              Pki.keyPair(Pki.Algorithm.ECDSA_P256),
              "localhost",
              Pki.Usage.SERVER,
              List.of("localhost"),
              List.of("127.0.0.1", "::1"),
              Duration.ofDays(30),
              ca);
      ApiKey admin = ApiKey.generate();
      X509Certificate clientCert = admin.selfSignedCertificate();
      Kes kes =
          Kes.builder()
              .keyStore(KeyStores.discover().open(KeyStoreConfig.of(Map.of("mem", Map.of()))))
              .policies(PolicySet.builder().admin(admin.identity()).build())
              .cache(CacheConfig.kesDefaults())
              .build();
      KesServer server;
      try {
        kes.createKey(DEFAULT_KEY);
        server =
            KesServer.builder(
                    KesHttpApi.builder(kes)
                        .heapObjectsEvery(ConfigServer.HEAP_OBJECTS_EVERY)
                        .build())
                .address(address)
                .tlsProvider(provider)
                .certificate(serverCert.privateKey(), List.of(serverCert.certificate()))
                .start();
      } catch (RuntimeException e) {
        kes.close();
        throw e;
      }
      try {
        // only now that this server listens: a second --dev on a busy port changes nothing
        Pem.write(dir.resolve("ca.cert"), Pem.encode(ca.certificate()), false);
        Pem.write(dir.resolve("server.cert"), Pem.encode(serverCert.certificate()), false);
        Pem.write(dir.resolve("server.key"), Pem.encode(serverCert.privateKey()), true);
        Pem.write(dir.resolve("client.cert"), Pem.encode(clientCert), false);
        Pem.write(dir.resolve("client.key"), Pem.encode(admin.privateKey()), true);
        Pem.write(
            dir.resolve("client.pem"),
            Pem.encode(clientCert) + Pem.encode(admin.privateKey()),
            true); // for `ab -E` and other tools that take one file
      } catch (IOException | RuntimeException e) {
        server.close();
        kes.close();
        throw e;
      }
      return new DevServer(kes, server, admin, dir, lock);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** An exclusive lock on {@code DIR/.lock}, held while a dev server uses {@code DIR}. */
  private static final class DirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    static DirectoryLock acquire(Path dir) throws IOException {
      Path file = dir.resolve(".lock");
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null; // held by this JVM
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
      if (l == null) {
        ch.close();
        throw new KesConfigException(
            "another kes4j dev server is running with its files in "
                + dir
                + "; stop it, or give this one its own directory (--dev-dir)");
      }
      return new DirectoryLock(ch, l);
    }

    @Override
    public void close() {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        // the lock goes with the channel or the process
      }
    }
  }

  /** The running server. */
  public KesServer server() {
    return server;
  }

  /** The engine. */
  public Kes kes() {
    return kes;
  }

  /** The admin API key (a secret). */
  public ApiKey admin() {
    return admin;
  }

  /** Where the files were written. */
  public Path directory() {
    return dir;
  }

  /** The endpoint URL clients use ({@code https://127.0.0.1:<port>} for wildcard binds). */
  public String endpoint() {
    InetSocketAddress a = server.address();
    String host =
        a.getAddress() == null || a.getAddress().isAnyLocalAddress()
            ? "127.0.0.1"
            : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "https://" + host + ":" + a.getPort();
  }

  /** The ready {@code curl} line for {@code /v1/status}. */
  public String curlStatus() {
    return curl() + " " + endpoint() + "/v1/status";
  }

  /** {@code curl} with the admin's client certificate and the dev CA. */
  public String curl() {
    return "curl --cert "
        + dir.resolve("client.cert")
        + " --key "
        + dir.resolve("client.key")
        + " --cacert "
        + dir.resolve("ca.cert");
  }

  /** The banner: endpoint, admin identity and API key, files, curl examples, MinIO exports. */
  public String banner(Duration startup) {
    String ep = endpoint();
    StringBuilder sb = new StringBuilder(1024);
    sb.append("kes4j ")
        .append(Kes.version())
        .append(" dev server: in-memory keys, ephemeral")
        .append(" certificates. Not for production.\n\n");
    sb.append("Endpoint   ").append(ep).append('\n');
    sb.append("Admin      ").append(admin.identity().value()).append('\n');
    sb.append("API key    ").append(admin.encode()).append('\n');
    sb.append("Files      ")
        .append(dir)
        .append("  (ca.cert, client.cert, client.key, client.pem)\n");
    sb.append("TLS        ").append(server.tlsProvider()).append('\n');
    sb.append("Keystore   mem: in memory\n");
    sb.append("Key        ").append(DEFAULT_KEY).append(" (created)\n");
    sb.append(String.format("Ready in   %.2f s%n%n", startup.toMillis() / 1000.0));
    sb.append("Try:\n");
    sb.append("  ").append(curlStatus()).append('\n');
    sb.append("  ")
        .append(curl())
        .append(" -X POST ")
        .append(ep)
        .append("/v1/key/generate/")
        .append(DEFAULT_KEY)
        .append("\n\n");
    sb.append("MinIO:\n");
    sb.append("  export MINIO_KMS_KES_ENDPOINT=").append(ep).append('\n');
    sb.append("  export MINIO_KMS_KES_CERT_FILE=").append(dir.resolve("client.cert")).append('\n');
    sb.append("  export MINIO_KMS_KES_KEY_FILE=").append(dir.resolve("client.key")).append('\n');
    sb.append("  export MINIO_KMS_KES_CAPATH=").append(dir.resolve("ca.cert")).append('\n');
    sb.append("  export MINIO_KMS_KES_KEY_NAME=").append(DEFAULT_KEY).append('\n');
    return sb.toString();
  }

  /** Stops the server and the engine. */
  @Override
  public void close() {
    server.close();
    kes.close();
    lock.close();
  }

  @Override
  public String toString() {
    return "DevServer[" + endpoint() + ", admin=" + admin.identity().value() + "]";
  }
}
