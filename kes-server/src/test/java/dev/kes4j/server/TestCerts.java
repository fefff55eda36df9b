package dev.kes4j.server;

import dev.kes4j.api.Identity;
import dev.kes4j.policy.internal.pki.Pem;
import dev.kes4j.policy.internal.pki.Pki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates generated with Bouncy Castle for the tests: a CA, a server, and client identities.
 */
final class TestCerts {
  final Pki.Issued ca;
  final Pki.Issued server;

  TestCerts() {
    ca =
        Pki.issue(
            Pki.keyPair(Pki.Algorithm.ECDSA_P256),
            "test CA",
            Pki.Usage.CA,
            List.of(),
            List.of(),
            Duration.ofDays(1),
            null);
    server =
        Pki.issue(
            Pki.keyPair(Pki.Algorithm.ECDSA_P256),
            "localhost",
            Pki.Usage.SERVER,
            List.of("localhost"),
            List.of("127.0.0.1"),
            Duration.ofDays(1),
            ca);
  }

  /** A self-signed client certificate (Ed25519 unless {@code ecdsa}). */
  static Pki.Issued selfSigned(String cn, boolean ecdsa) {
    return Pki.issue(
        Pki.keyPair(ecdsa ? Pki.Algorithm.ECDSA_P256 : Pki.Algorithm.ED25519),
        cn,
        Pki.Usage.CLIENT,
        List.of(),
        List.of(),
        Duration.ofDays(1),
        null);
  }

  /** A client certificate issued by this CA. */
  Pki.Issued issued(String cn) {
    return Pki.issue(
        Pki.keyPair(Pki.Algorithm.ECDSA_P256),
        cn,
        Pki.Usage.CLIENT,
        List.of(),
        List.of(),
        Duration.ofDays(1),
        ca);
  }

  /** A self-signed CA certificate (cA=true), which KES skips when identifying. */
  static Pki.Issued caOnly(String cn) {
    return Pki.issue(
        Pki.keyPair(Pki.Algorithm.ECDSA_P256),
        cn,
        Pki.Usage.CA,
        List.of(),
        List.of(),
        Duration.ofDays(1),
        null);
  }

  static Identity identity(Pki.Issued i) {
    return Identity.of(i.certificate());
  }

  /** An SSLContext trusting this CA, presenting {@code client} (or no certificate if null). */
  SSLContext clientContext(Pki.Issued client) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca.certificate());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (client != null) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(
            "client",
            client.privateKey(),
            "pw".toCharArray(),
            new Certificate[] {client.certificate()});
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes cert and key PEM files for curl; returns {cert, key}. */
  static Path[] write(Path dir, String name, Pki.Issued i) {
    try {
      Path cert = dir.resolve(name + ".cert");
      Path key = dir.resolve(name + ".key");
      Files.writeString(cert, Pem.encode(i.certificate()), StandardCharsets.UTF_8);
      Files.writeString(key, Pem.encode(i.privateKey()), StandardCharsets.UTF_8);
      return new Path[] {cert, key};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path writeCert(Path file, X509Certificate c) {
    try {
      Files.writeString(file, Pem.encode(c), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
