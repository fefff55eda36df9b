package dev.kes4j.server.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificate generation with Bouncy Castle for {@code kes4j server --dev} and {@code kes4j
 * identity new}: key pairs (Ed25519 or ECDSA P-256) and X.509 v3 certificates, self-signed or
 * signed by a CA. Thread-safe; nothing here blocks beyond key generation.
 */
public final class Pki {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Pki() {}

  /** A key algorithm for generated identities and certificates. */
  public enum Algorithm {
    /** Ed25519, KES's default for identities. */
    ED25519,
    /** ECDSA over P-256 with SHA-256, what KES's dev server uses for its certificate. */
    ECDSA_P256;

    /** Parses {@code ed25519}, {@code ecdsa}, {@code p256}, {@code ecdsa-p256} (any case). */
    public static Algorithm parse(String s) {
      switch (s.toLowerCase(Locale.ROOT)) {
        case "ed25519":
          return ED25519;
        case "ecdsa":
        case "p256":
        case "p-256":
        case "ecdsa-p256":
        case "ecdsa_p256":
          return ECDSA_P256;
        default:
          throw new IllegalArgumentException(
              "unknown key algorithm '" + s + "': expected ed25519 or ecdsa");
      }
    }
  }

  /** A key pair and its certificate. The private key is a secret. */
  public record Issued(KeyPair keyPair, X509Certificate certificate) {
    /** Validates. */
    public Issued {
      Objects.requireNonNull(keyPair, "keyPair");
      Objects.requireNonNull(certificate, "certificate");
    }

    /** The private key. */
    public PrivateKey privateKey() {
      return keyPair.getPrivate();
    }

    @Override
    public String toString() {
      return "Issued[" + certificate.getSubjectX500Principal() + ", key=<redacted>]";
    }
  }

  /** What a certificate is for. */
  public enum Usage {
    /** A CA certificate (cA=true, keyCertSign). */
    CA,
    /** A TLS server certificate (serverAuth; also clientAuth so it can double as identity). */
    SERVER,
    /** A TLS client certificate (clientAuth). */
    CLIENT,
    /** Both server and client auth, as {@code kes identity new} writes. */
    BOTH
  }

  /** A fresh key pair. */
  public static KeyPair keyPair(Algorithm algorithm) {
    try {
      if (algorithm == Algorithm.ED25519) {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      }
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + algorithm + " key pair", e);
    }
  }

  /**
   * Issues a certificate.
   *
   * @param subjectKeys the subject's key pair
   * @param commonName the subject CN (may be empty)
   * @param usage what the certificate is for
   * @param dns DNS SANs
   * @param ips IP SANs (literal addresses)
   * @param validity how long from now (minus one minute of clock skew allowance)
   * @param issuer the issuing CA, or null for self-signed
   * @throws IllegalArgumentException if an IP SAN is not an address literal
   */
  public static Issued issue(
      KeyPair subjectKeys,
      String commonName,
      Usage usage,
      List<String> dns,
      List<String> ips,
      Duration validity,
      Issued issuer) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    X500Name subject = name(commonName);
    X500Name issuerName =
        issuer == null
            ? subject
            : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    BigInteger serial;
    do {
      serial = new BigInteger(128, RANDOM);
    } while (serial.signum() == 0);
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuerName,
              serial,
              Date.from(now.minus(Duration.ofMinutes(1))),
              Date.from(now.plus(validity)),
              subject,
              subjectKeys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
      if (issuer != null) {
        b.addExtension(
            Extension.authorityKeyIdentifier,
            false,
            ext.createAuthorityKeyIdentifier(issuer.certificate()));
      }
      boolean ca = usage == Usage.CA;
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      int ku =
          ca
              ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
              : KeyUsage.digitalSignature;
      b.addExtension(Extension.keyUsage, true, new KeyUsage(ku));
      List<KeyPurposeId> purposes = new ArrayList<>();
      if (usage == Usage.SERVER || usage == Usage.BOTH) {
        purposes.add(KeyPurposeId.id_kp_serverAuth);
      }
      if (usage == Usage.CLIENT || usage == Usage.BOTH || usage == Usage.SERVER) {
        purposes.add(KeyPurposeId.id_kp_clientAuth);
      }
      if (!purposes.isEmpty()) {
        b.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
      }
      List<GeneralName> sans = new ArrayList<>();
      for (String d : dns) {
        sans.add(new GeneralName(GeneralName.dNSName, d));
      }
      for (String ip : ips) {
        requireIpLiteral(ip);
        sans.add(new GeneralName(GeneralName.iPAddress, ip));
      }
      if (!sans.isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(sans.toArray(new GeneralName[0])));
      }
      PrivateKey signingKey = issuer == null ? subjectKeys.getPrivate() : issuer.privateKey();
      ContentSigner signer =
          new JcaContentSignerBuilder(signatureAlgorithm(signingKey)).build(signingKey);
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
      return new Issued(subjectKeys, cert);
    } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue certificate: " + e.getMessage(), e);
    }
  }

  private static void requireIpLiteral(String ip) {
    if (!ip.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      throw new IllegalArgumentException("not an IP address: '" + ip + "'");
    }
    try {
      InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: '" + ip + "'");
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    String alg = key.getAlgorithm();
    if (alg.equalsIgnoreCase("EC") || alg.equalsIgnoreCase("ECDSA")) {
      return "SHA256withECDSA";
    }
    if (alg.equalsIgnoreCase("RSA")) {
      return "SHA256withRSA";
    }
    return "Ed25519"; // Ed25519 / EdDSA
  }

  private static X500Name name(String commonName) {
    X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
    if (!commonName.isEmpty()) {
      nb.addRDN(BCStyle.CN, commonName);
    }
    return nb.build();
  }

  /** Whether a public key is Ed25519. */
  public static boolean isEd25519(PublicKey key) {
    String a = key.getAlgorithm();
    return a.equalsIgnoreCase("Ed25519") || a.equalsIgnoreCase("EdDSA");
  }
}
