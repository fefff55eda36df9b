package dev.kes4j.junit.internal;

import dev.kes4j.client.KesClient;
import dev.kes4j.core.Kes;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.policy.ApiKey;
import dev.kes4j.policy.internal.pki.Pem;
import dev.kes4j.policy.internal.pki.Pki;
import dev.kes4j.server.KesServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real {@link KesServer} for a test class: a CA, a server certificate for {@code 127.0.0.1} and
 * {@code localhost} signed by it, and an admin identity (an API key whose key pair also has a
 * client certificate from the CA), all generated; the server on {@code 127.0.0.1} and a free port
 * over an engine the caller built with that admin; the files a KES client or MinIO reads, in a new
 * temporary directory; and a {@link KesClient} connected as the admin. Loaded only in {@code mode =
 * SERVER} (it links kes-server, kes-http and kes-client). {@link #close()} stops the client and the
 * server (not the engine) and deletes the directory. Thread-safe once started.
 */
public final class TestServer implements AutoCloseable {
  private static final Duration VALIDITY = Duration.ofDays(2);

  private final KesServer server;
  private final KesClient client;
  private final ApiKey admin;
  private final X509Certificate caCertificate;
  private final Path directory;

  private TestServer(
      KesServer server,
      KesClient client,
      ApiKey admin,
      X509Certificate caCertificate,
      Path directory) {
    this.server = server;
    this.client = client;
    this.admin = admin;
    this.caCertificate = caCertificate;
    this.directory = directory;
  }

  /**
   * Starts a server over {@code kes}, whose policies must make {@code admin} the admin identity.
   *
   * @throws dev.kes4j.api.KesConfigException if the server cannot listen
   * @throws UncheckedIOException if the certificate files cannot be written
   */
  public static TestServer start(Kes kes, ApiKey admin) {
    Pki.Issued ca =
        Pki.issue(
            Pki.keyPair(Pki.Algorithm.ECDSA_P256),
            "kes4j test CA",
            Pki.Usage.CA,
            List.of(),
            List.of(),
            VALIDITY,
            null);
    Pki.Issued serverCert =
        Pki.issue(
            Pki.keyPair(Pki.Algorithm.ECDSA_P256),
            "localhost",
            Pki.Usage.SERVER,
            List.of("localhost"),
            List.of("127.0.0.1"),
            VALIDITY,
            ca);
    Pki.Issued adminCert =
        Pki.issue(
            new KeyPair(admin.publicKey(), admin.privateKey()),
            "kes4j test admin",
            Pki.Usage.CLIENT,
            List.of(),
            List.of(),
            VALIDITY,
            ca);
    Path dir = null;
    KesServer server = null;
    KesClient client = null;
    try {
      dir = Files.createTempDirectory("kes4j-junit-");
      Pem.write(dir.resolve("ca.cert"), Pem.encode(ca.certificate()), false);
      Pem.write(dir.resolve("server.cert"), Pem.encode(serverCert.certificate()), false);
      Pem.write(dir.resolve("client.cert"), Pem.encode(adminCert.certificate()), false);
      Pem.write(dir.resolve("client.key"), Pem.encode(admin.privateKey()), true);
      server =
          KesServer.builder(KesHttpApi.builder(kes).build())
              .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .certificate(serverCert.privateKey(), List.of(serverCert.certificate()))
              .gracePeriod(Duration.ofSeconds(2))
              .start();
      client =
          KesClient.builder()
              .endpoints(endpoint(server).toString())
              .clientCertificate(admin.privateKey(), List.of(adminCert.certificate()))
              .caCertificates(List.of(ca.certificate()))
              .build();
      return new TestServer(server, client, admin, ca.certificate(), dir);
    } catch (IOException e) {
      cleanUp(client, server, dir);
      throw new UncheckedIOException("cannot write the test server's certificates", e);
    } catch (RuntimeException | Error e) {
      cleanUp(client, server, dir);
      throw e;
    }
  }

  private static URI endpoint(KesServer server) {
    return URI.create("https://127.0.0.1:" + server.address().getPort());
  }

  /** The server. */
  public KesServer server() {
    return server;
  }

  /** The client connected as the admin. */
  public KesClient client() {
    return client;
  }

  /** {@code https://127.0.0.1:PORT}. */
  public URI endpoint() {
    return endpoint(server);
  }

  /** The admin's API key. */
  public ApiKey admin() {
    return admin;
  }

  /** The CA that issued the server's and the admin's certificates. */
  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /**
   * The directory of {@code ca.cert}, {@code server.cert}, {@code client.cert}, {@code client.key}.
   */
  public Path directory() {
    return directory;
  }

  /** A client builder for this server: endpoint and CA set, no identity. */
  public KesClient.Builder clientBuilder() {
    return KesClient.builder()
        .endpoints(endpoint().toString())
        .caCertificates(List.of(caCertificate));
  }

  /** Stops the client and the server and deletes the certificate directory. Idempotent. */
  @Override
  public void close() {
    cleanUp(client, server, directory);
  }

  private static void cleanUp(KesClient client, KesServer server, Path dir) {
    try {
      if (client != null) {
        client.close();
      }
    } finally {
      try {
        if (server != null) {
          server.close();
        }
      } finally {
        deleteTree(dir);
      }
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temporary directory must not fail the test run
    }
  }
}
