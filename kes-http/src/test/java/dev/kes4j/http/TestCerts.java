package dev.kes4j.http;

import dev.kes4j.api.Identity;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates for the API tests, written with Bouncy Castle (a test-only dependency:
 * the API itself never parses or issues certificates, it only reads the peer chain it is handed).
 */
final class TestCerts {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestCerts() {}

  /** A key pair and its certificate; {@code toString} names only the subject. */
  record Issued(KeyPair keyPair, X509Certificate certificate) {
    PrivateKey privateKey() {
      return keyPair.getPrivate();
    }

    @Override
    public String toString() {
      return "Issued[" + certificate.getSubjectX500Principal() + "]";
    }
  }

  /** A self-signed client (leaf) certificate: Ed25519 unless {@code ecdsa}. */
  static Issued selfSigned(String cn, boolean ecdsa) {
    return issue(cn, ecdsa, false);
  }

  /** A self-signed CA certificate (cA=true), which KES skips when identifying. */
  static Issued caOnly(String cn) {
    return issue(cn, true, true);
  }

  static Identity identity(Issued i) {
    return Identity.of(i.certificate());
  }

  private static Issued issue(String cn, boolean ecdsa, boolean ca) {
    try {
      KeyPair kp;
      if (ecdsa) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        kp = g.generateKeyPair();
      } else {
        kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      }
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=" + cn);
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(64, RANDOM).add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofMinutes(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              name,
              kp.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(
              ca
                  ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                  : KeyUsage.digitalSignature));
      if (!ca) {
        b.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      }
      ContentSigner signer =
          new JcaContentSignerBuilder(ecdsa ? "SHA256withECDSA" : "Ed25519").build(kp.getPrivate());
      return new Issued(kp, new JcaX509CertificateConverter().getCertificate(b.build(signer)));
    } catch (GeneralSecurityException
        | org.bouncycastle.operator.OperatorCreationException
        | org.bouncycastle.cert.CertIOException e) {
      throw new IllegalStateException("cannot issue a test certificate", e);
    }
  }
}
