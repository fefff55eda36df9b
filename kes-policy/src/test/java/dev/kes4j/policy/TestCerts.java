package dev.kes4j.policy;

import dev.kes4j.policy.internal.pki.CertificateWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Real certificates for tests, written with the module's own JDK-only certificate writer. */
final class TestCerts {
  private static final AtomicLong SERIAL = new AtomicLong(1);

  private TestCerts() {}

  static KeyPair keyPair(String algorithm) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("RSA")) {
        g.initialize(2048);
      } else if (algorithm.equals("EC")) {
        g.initialize(256);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static X509Certificate leaf(KeyPair kp, String cn) {
    return writer(cn).extendedKeyUsage(true, false).sign(kp.getPublic(), kp.getPrivate());
  }

  /** A leaf without any basicConstraints extension (cA absent = not a CA). */
  static X509Certificate leafWithoutBasicConstraints(KeyPair kp, String cn) {
    return writer(cn).sign(kp.getPublic(), kp.getPrivate());
  }

  /** A leaf with basicConstraints cA=false. */
  static X509Certificate leafNotCa(KeyPair kp, String cn) {
    return writer(cn).basicConstraints(false).sign(kp.getPublic(), kp.getPrivate());
  }

  static X509Certificate ca(KeyPair kp, String cn) {
    return writer(cn)
        .keyUsage(CertificateWriter.KEY_CERT_SIGN | CertificateWriter.DIGITAL_SIGNATURE)
        .basicConstraints(true)
        .sign(kp.getPublic(), kp.getPrivate());
  }

  /** A leaf for {@code leaf} issued by the CA key {@code issuer}. */
  static X509Certificate issued(KeyPair leaf, String cn, KeyPair issuer, String issuerCn) {
    return writer(cn)
        .issuer(issuerCn)
        .extendedKeyUsage(true, false)
        .basicConstraints(false)
        .sign(leaf.getPublic(), issuer.getPrivate());
  }

  private static CertificateWriter writer(String cn) {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    return CertificateWriter.of(
        cn, BigInteger.valueOf(SERIAL.getAndIncrement()), now, now.plus(Duration.ofDays(30)));
  }
}
