package dev.kes4j.policy.internal.pki;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes X.509 v3 certificates with the JDK only: kes4j's one certificate minter. It makes the
 * client certificate an API key presents (spec §2.2), {@code kes4j identity new} and dev-server
 * certificates (through {@link Pki}), and test CAs and leaves, for RSA, EC and Ed25519 keys. Not a
 * general certificate authority: a subject of one CN (or none), and the extensions KES's
 * certificates carry (key usage, extended key usage, basic constraints, subject alternative names,
 * subject and authority key identifiers). Instances are immutable; each {@code with...} returns a
 * copy. Thread-safe.
 */
public final class CertificateWriter {
  // Key usage bits, as in the KeyUsage BIT STRING (bit 0 is the most significant).
  /** KeyUsage digitalSignature. */
  public static final int DIGITAL_SIGNATURE = 0x80;

  /** KeyUsage keyCertSign. */
  public static final int KEY_CERT_SIGN = 0x04;

  /** KeyUsage cRLSign. */
  public static final int CRL_SIGN = 0x02;

  private static final String OID_CN = "2.5.4.3";
  private static final String OID_SUBJECT_KEY_ID = "2.5.29.14";
  private static final String OID_KEY_USAGE = "2.5.29.15";
  private static final String OID_SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String OID_BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String OID_AUTHORITY_KEY_ID = "2.5.29.35";
  private static final String OID_EXT_KEY_USAGE = "2.5.29.37";
  private static final String OID_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String OID_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  private String subjectCn;
  private byte[] issuerName; // DER Name
  private byte[] authorityKeyId; // null: no authorityKeyIdentifier
  private BigInteger serial;
  private Instant notBefore;
  private Instant notAfter;
  private int keyUsage;
  private boolean clientAuth;
  private boolean serverAuth;
  private Boolean ca; // null: no basicConstraints extension
  private boolean subjectKeyId;
  private List<String> dnsNames = List.of();
  private List<byte[]> ipAddresses = List.of();

  private CertificateWriter() {}

  private CertificateWriter copy() {
    CertificateWriter c = new CertificateWriter();
    c.subjectCn = subjectCn;
    c.issuerName = issuerName;
    c.authorityKeyId = authorityKeyId;
    c.serial = serial;
    c.notBefore = notBefore;
    c.notAfter = notAfter;
    c.keyUsage = keyUsage;
    c.clientAuth = clientAuth;
    c.serverAuth = serverAuth;
    c.ca = ca;
    c.subjectKeyId = subjectKeyId;
    c.dnsNames = dnsNames;
    c.ipAddresses = ipAddresses;
    return c;
  }

  /**
   * A self-issued leaf: subject = issuer = {@code cn} (empty: an empty name), digitalSignature, no
   * EKU, no basicConstraints, no SANs, no key identifiers.
   *
   * @throws IllegalArgumentException if the serial is not positive or notAfter is before notBefore
   */
  public static CertificateWriter of(
      String cn, BigInteger serial, Instant notBefore, Instant notAfter) {
    Objects.requireNonNull(cn, "cn");
    if (serial.signum() <= 0) {
      throw new IllegalArgumentException("serial must be positive");
    }
    if (notAfter.isBefore(notBefore)) {
      throw new IllegalArgumentException("notAfter is before notBefore");
    }
    CertificateWriter w = new CertificateWriter();
    w.subjectCn = cn;
    w.issuerName = name(cn);
    w.serial = serial;
    w.notBefore = notBefore;
    w.notAfter = notAfter;
    w.keyUsage = DIGITAL_SIGNATURE;
    return w;
  }

  /** Same certificate, issued by {@code cn} (a name only: no authority key identifier). */
  public CertificateWriter issuer(String cn) {
    CertificateWriter c = copy();
    c.issuerName = name(cn);
    c.authorityKeyId = null;
    return c;
  }

  /**
   * Same certificate, issued by the CA of {@code issuer}: its subject (byte for byte) becomes the
   * issuer name, and its subject key identifier (or the SHA-1 of its public key, as RFC 5280
   * §4.2.1.2 method 1) the authority key identifier.
   */
  public CertificateWriter issuer(X509Certificate issuer) {
    CertificateWriter c = copy();
    c.issuerName = issuer.getSubjectX500Principal().getEncoded();
    byte[] ext = issuer.getExtensionValue(OID_SUBJECT_KEY_ID);
    c.authorityKeyId =
        ext != null
            ? Der.Tlv.parse(Der.Tlv.parse(ext).expect(0x04).content()).expect(0x04).content()
            : keyId(issuer.getPublicKey());
    return c;
  }

  /** Same certificate with the KeyUsage bits (first byte of the BIT STRING). */
  public CertificateWriter keyUsage(int bits) {
    CertificateWriter c = copy();
    c.keyUsage = bits;
    return c;
  }

  /** Same certificate with the extended key usages clientAuth and/or serverAuth. */
  public CertificateWriter extendedKeyUsage(boolean client, boolean server) {
    CertificateWriter c = copy();
    c.clientAuth = client;
    c.serverAuth = server;
    return c;
  }

  /** Same certificate with a critical basicConstraints extension, cA as given. */
  public CertificateWriter basicConstraints(boolean isCa) {
    CertificateWriter c = copy();
    c.ca = isCa;
    return c;
  }

  /** Same certificate with a subject key identifier (SHA-1 of the subject's public key). */
  public CertificateWriter subjectKeyIdentifier() {
    CertificateWriter c = copy();
    c.subjectKeyId = true;
    return c;
  }

  /**
   * Same certificate with these subject alternative names: DNS names, and IP addresses given as
   * literals ({@code 127.0.0.1}, {@code ::1}); none of either: no SAN extension.
   *
   * @throws IllegalArgumentException if an IP address is not an IPv4 or IPv6 literal
   */
  public CertificateWriter subjectAlternativeNames(List<String> dns, List<String> ips) {
    List<byte[]> addresses = new ArrayList<>();
    for (String ip : ips) {
      addresses.add(ipLiteral(ip));
    }
    CertificateWriter c = copy();
    c.dnsNames = List.copyOf(dns);
    c.ipAddresses = List.copyOf(addresses);
    return c;
  }

  /**
   * The bytes of an IP address literal, without any name lookup.
   *
   * @throws IllegalArgumentException if {@code ip} is not an IPv4 or IPv6 literal
   */
  static byte[] ipLiteral(String ip) {
    if (!ip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      throw new IllegalArgumentException("not an IP address: '" + ip + "'");
    }
    try {
      return InetAddress.getByName(ip).getAddress(); // a literal: no lookup
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: '" + ip + "'");
    }
  }

  /**
   * Signs the certificate for {@code subjectKey} with {@code signerKey} (SHA-256 with RSA or ECDSA,
   * or Ed25519) and parses it with the JDK's X.509 factory.
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
            issuerName,
            Der.sequence(Der.time(notBefore), Der.time(notAfter)),
            name(subjectCn),
            subjectKey.getEncoded(),
            Der.explicit(3, extensions(subjectKey)));
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
    if (cn.isEmpty()) {
      return Der.sequence();
    }
    return Der.sequence(Der.set(Der.sequence(Der.oid(OID_CN), Der.utf8String(cn))));
  }

  private byte[] extensions(PublicKey subjectKey) {
    List<byte[]> exts = new ArrayList<>();
    if (subjectKeyId) {
      exts.add(extension(OID_SUBJECT_KEY_ID, false, Der.octetString(keyId(subjectKey))));
    }
    if (authorityKeyId != null) {
      exts.add(
          extension(
              OID_AUTHORITY_KEY_ID, false, Der.sequence(Der.tlv(0x80, authorityKeyId)))); // [0]
    }
    exts.add(extension(OID_KEY_USAGE, true, keyUsageBitString(keyUsage)));
    if (clientAuth || serverAuth) {
      byte[] purposes =
          Der.concat(
              serverAuth ? Der.oid(OID_SERVER_AUTH) : new byte[0],
              clientAuth ? Der.oid(OID_CLIENT_AUTH) : new byte[0]);
      exts.add(extension(OID_EXT_KEY_USAGE, false, Der.tlv(0x30, purposes)));
    }
    if (ca != null) {
      exts.add(
          extension(
              OID_BASIC_CONSTRAINTS, true, ca ? Der.sequence(Der.bool(true)) : Der.sequence()));
    }
    if (!dnsNames.isEmpty() || !ipAddresses.isEmpty()) {
      List<byte[]> names = new ArrayList<>();
      for (String d : dnsNames) {
        names.add(Der.tlv(0x82, d.getBytes(StandardCharsets.US_ASCII))); // [2] dNSName
      }
      for (byte[] ip : ipAddresses) {
        names.add(Der.tlv(0x87, ip)); // [7] iPAddress
      }
      // critical when the subject is empty (RFC 5280 §4.2.1.6)
      exts.add(
          extension(
              OID_SUBJECT_ALT_NAME,
              subjectCn.isEmpty(),
              Der.sequence(names.toArray(new byte[0][]))));
    }
    return Der.sequence(exts.toArray(new byte[0][]));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
        : Der.sequence(Der.oid(oid), Der.octetString(value));
  }

  /** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bytes. */
  private static byte[] keyId(PublicKey key) {
    List<Der.Tlv> spki = Der.Tlv.parse(key.getEncoded()).expect(0x30).children();
    byte[] bits = spki.get(1).expect(0x03).content();
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(bits, 1, bits.length - 1); // skip the unused-bits byte
      return sha1.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
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
