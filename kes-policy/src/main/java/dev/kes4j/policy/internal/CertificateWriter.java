package dev.kes4j.policy.internal;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * Writes X.509 v3 certificates with the JDK only: the client certificate an API key presents (spec
 * §2.2), and, for tests, leaf and CA certificates for RSA, EC and Ed25519 keys. Not a general
 * certificate authority: one CN, a handful of extensions. Instances are immutable; each {@code
 * with...} returns a copy. Thread-safe.
 */
public final class CertificateWriter {
  // Key usage bits, as in the KeyUsage BIT STRING (bit 0 is the most significant).
  public static final int DIGITAL_SIGNATURE = 0x80;
  public static final int KEY_CERT_SIGN = 0x04;

  private static final String OID_CN = "2.5.4.3";
  private static final String OID_KEY_USAGE = "2.5.29.15";
  private static final String OID_EXT_KEY_USAGE = "2.5.29.37";
  private static final String OID_BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String OID_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String OID_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  private final String subjectCn;
  private final String issuerCn;
  private final BigInteger serial;
  private final Instant notBefore;
  private final Instant notAfter;
  private final int keyUsage;
  private final boolean clientAuth;
  private final boolean serverAuth;
  private final Boolean ca; // null: no basicConstraints extension

  private CertificateWriter(
      String subjectCn,
      String issuerCn,
      BigInteger serial,
      Instant notBefore,
      Instant notAfter,
      int keyUsage,
      boolean clientAuth,
      boolean serverAuth,
      Boolean ca) {
    this.subjectCn = subjectCn;
    this.issuerCn = issuerCn;
    this.serial = serial;
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    this.keyUsage = keyUsage;
    this.clientAuth = clientAuth;
    this.serverAuth = serverAuth;
    this.ca = ca;
  }

  /** A self-issued leaf: subject = issuer = cn, digitalSignature, no EKU, no basicConstraints. */
  public static CertificateWriter of(
      String cn, BigInteger serial, Instant notBefore, Instant notAfter) {
    Objects.requireNonNull(cn, "cn");
    if (serial.signum() <= 0) {
      throw new IllegalArgumentException("serial must be positive");
    }
    return new CertificateWriter(
        cn, cn, serial, notBefore, notAfter, DIGITAL_SIGNATURE, false, false, null);
  }

  /** Same certificate, issued by {@code cn}. */
  public CertificateWriter issuer(String cn) {
    return new CertificateWriter(
        subjectCn, cn, serial, notBefore, notAfter, keyUsage, clientAuth, serverAuth, ca);
  }

  /** Same certificate with the KeyUsage bits (first byte of the BIT STRING). */
  public CertificateWriter keyUsage(int bits) {
    return new CertificateWriter(
        subjectCn, issuerCn, serial, notBefore, notAfter, bits, clientAuth, serverAuth, ca);
  }

  /** Same certificate with the extended key usages clientAuth and/or serverAuth. */
  public CertificateWriter extendedKeyUsage(boolean client, boolean server) {
    return new CertificateWriter(
        subjectCn, issuerCn, serial, notBefore, notAfter, keyUsage, client, server, ca);
  }

  /** Same certificate with a critical basicConstraints extension, cA as given. */
  public CertificateWriter basicConstraints(boolean isCa) {
    return new CertificateWriter(
        subjectCn, issuerCn, serial, notBefore, notAfter, keyUsage, clientAuth, serverAuth, isCa);
  }

  /**
   * Signs the certificate for {@code subjectKey} with {@code signerKey} and parses it with the
   * JDK's X.509 factory.
   *
   * @throws IllegalArgumentException if the signer's key type is not RSA, EC or Ed25519
   * @throws IllegalStateException if the JDK cannot sign or parse (should not happen)
   */
  public X509Certificate sign(PublicKey subjectKey, PrivateKey signerKey) {
    String alg = signerKey.getAlgorithm();
    byte[] algId;
    String jcaAlg;
    switch (alg) {
      case "Ed25519":
      case "EdDSA":
        algId = Der.sequence(Der.oid("1.3.101.112"));
        jcaAlg = "Ed25519";
        break;
      case "RSA":
        algId = Der.sequence(Der.oid("1.2.840.113549.1.1.11"), Der.nul());
        jcaAlg = "SHA256withRSA";
        break;
      case "EC":
        algId = Der.sequence(Der.oid("1.2.840.10045.4.3.2"));
        jcaAlg = "SHA256withECDSA";
        break;
      default:
        throw new IllegalArgumentException("unsupported signing key type: " + alg);
    }
    byte[] tbs =
        Der.sequence(
            Der.explicit(0, Der.integer(BigInteger.TWO)),
            Der.integer(serial),
            algId,
            name(issuerCn),
            Der.sequence(Der.time(notBefore), Der.time(notAfter)),
            name(subjectCn),
            subjectKey.getEncoded(),
            Der.explicit(3, extensions()));
    try {
      Signature signer = Signature.getInstance(jcaAlg);
      signer.initSign(signerKey);
      signer.update(tbs);
      byte[] sig = signer.sign();
      byte[] der = Der.sequence(tbs, algId, Der.bitString(sig, 0));
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign certificate with " + jcaAlg, e);
    }
  }

  private static byte[] name(String cn) {
    return Der.sequence(Der.set(Der.sequence(Der.oid(OID_CN), Der.utf8String(cn))));
  }

  private byte[] extensions() {
    byte[] ku = keyUsageBitString(keyUsage);
    byte[] exts =
        Der.sequence(Der.oid(OID_KEY_USAGE), Der.bool(true), Der.octetString(ku)); // critical
    if (clientAuth || serverAuth) {
      byte[] purposes =
          Der.concat(
              serverAuth ? Der.oid(OID_SERVER_AUTH) : new byte[0],
              clientAuth ? Der.oid(OID_CLIENT_AUTH) : new byte[0]);
      exts =
          Der.concat(
              exts,
              Der.sequence(Der.oid(OID_EXT_KEY_USAGE), Der.octetString(Der.tlv(0x30, purposes))));
    }
    if (ca != null) {
      byte[] bc = ca ? Der.sequence(Der.bool(true)) : Der.sequence();
      exts =
          Der.concat(
              exts,
              Der.sequence(Der.oid(OID_BASIC_CONSTRAINTS), Der.bool(true), Der.octetString(bc)));
    }
    return Der.tlv(0x30, exts);
  }

  private static byte[] keyUsageBitString(int bits) {
    int b = bits & 0xff;
    if (b == 0) {
      return Der.bitString(new byte[0], 0);
    }
    int unused = Integer.numberOfTrailingZeros(b);
    return Der.bitString(new byte[] {(byte) b}, unused);
  }
}
