package dev.kes4j.policy.internal.pki;

import java.math.BigInteger;
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
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Key pairs (Ed25519 or ECDSA P-256) and certificates for {@code kes4j server --dev}, {@code kes4j
 * identity new}, the examples and tests: the certificate profiles, written by {@link
 * CertificateWriter} (JDK only). Every certificate has a subject key identifier, a critical
 * basicConstraints and keyUsage; one issued by a CA also has the CA's name and key identifier.
 * Thread-safe; nothing here blocks beyond key generation.
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
   * @param commonName the subject CN; empty (an empty subject) only with an {@code issuer}: the JDK
   *     does not parse a certificate with an empty issuer
   * @param usage what the certificate is for
   * @param dns DNS SANs
   * @param ips IP SANs (literal addresses)
   * @param validity how long from now (minus one minute of clock skew allowance)
   * @param issuer the issuing CA, or null for self-signed
   * @throws IllegalArgumentException if an IP SAN is not an address literal
   * @throws IllegalStateException if the certificate cannot be signed or parsed (an empty
   *     self-signed name)
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
    BigInteger serial;
    do {
      serial = new BigInteger(128, RANDOM);
    } while (serial.signum() == 0);
    boolean ca = usage == Usage.CA;
    CertificateWriter w =
        CertificateWriter.of(
                commonName, serial, now.minus(Duration.ofMinutes(1)), now.plus(validity))
            .subjectKeyIdentifier()
            .basicConstraints(ca)
            .keyUsage(
                ca
                    ? CertificateWriter.KEY_CERT_SIGN
                        | CertificateWriter.CRL_SIGN
                        | CertificateWriter.DIGITAL_SIGNATURE
                    : CertificateWriter.DIGITAL_SIGNATURE)
            .extendedKeyUsage(usage != Usage.CA, usage == Usage.SERVER || usage == Usage.BOTH)
            .subjectAlternativeNames(dns, ips);
    if (issuer != null) {
      w = w.issuer(issuer.certificate());
    }
    PrivateKey signingKey = issuer == null ? subjectKeys.getPrivate() : issuer.privateKey();
    return new Issued(subjectKeys, w.sign(subjectKeys.getPublic(), signingKey));
  }

  /** Whether a public key is Ed25519. */
  public static boolean isEd25519(PublicKey key) {
    String a = key.getAlgorithm();
    return a.equalsIgnoreCase("Ed25519") || a.equalsIgnoreCase("EdDSA");
  }
}
