package dev.kes4j.cli.internal;

import dev.kes4j.api.Identity;
import dev.kes4j.policy.Identities;
import dev.kes4j.policy.PeerChainException;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Whether KES would accept a certificate (chain) as a client identity (spec §2.1): exactly one
 * non-CA certificate, its identity, key type and validity. Immutable.
 *
 * @param identity the identity KES would compute (of the leaf; of the first certificate if there is
 *     no single leaf)
 * @param accepted whether KES identifies a client presenting these certificates
 * @param verdict one sentence: accepted, or why not and how to fix it
 * @param warnings things that work with {@code tls.auth: off} but not with {@code on}, or soon fail
 * @param certificates one description per certificate
 */
public record CertReport(
    String identity,
    boolean accepted,
    String verdict,
    List<String> warnings,
    List<Cert> certificates) {
  /** Validates and copies. */
  public CertReport {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(verdict, "verdict");
    warnings = List.copyOf(warnings);
    certificates = List.copyOf(certificates);
  }

  /**
   * One certificate.
   *
   * @param subject the subject DN
   * @param issuer the issuer DN
   * @param ca whether basicConstraints says CA:TRUE
   * @param keyType such as {@code Ed25519}, {@code ECDSA P-256}, {@code RSA 2048}
   * @param notBefore start of validity
   * @param notAfter end of validity
   * @param clientAuth whether its extended key usage allows TLS client authentication (or it has
   *     none, which allows every use)
   */
  public record Cert(
      String subject,
      String issuer,
      boolean ca,
      String keyType,
      Instant notBefore,
      Instant notAfter,
      boolean clientAuth) {}

  /** What {@code openssl req -x509} users need to hear when their certificate is a CA. */
  public static final String CA_HINT =
      "a certificate with basicConstraints CA:TRUE is never a client identity, and"
          + " 'openssl req -x509' marks certificates as CA by default; create a leaf certificate"
          + " with 'kes4j identity new --key client.key --cert client.crt' (or openssl with"
          + " '-addext basicConstraints=critical,CA:FALSE')";

  /**
   * Analyses {@code certs} (leaf first, as a client would send them) at time {@code now}.
   *
   * @throws IllegalArgumentException if {@code certs} is empty
   */
  public static CertReport of(List<X509Certificate> certs, Instant now) {
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("no certificate");
    }
    List<Cert> described = new ArrayList<>();
    for (X509Certificate c : certs) {
      described.add(
          new Cert(
              c.getSubjectX500Principal().getName(),
              c.getIssuerX500Principal().getName(),
              c.getBasicConstraints() >= 0,
              keyType(c.getPublicKey()),
              c.getNotBefore().toInstant(),
              c.getNotAfter().toInstant(),
              clientAuth(c)));
    }
    X509Certificate leaf;
    String verdict;
    boolean accepted;
    try {
      leaf = Identities.leafOf(certs.toArray(new X509Certificate[0]));
      accepted = true;
      verdict =
          "accepted: KES identifies a client presenting this certificate by the identity above";
    } catch (PeerChainException e) {
      leaf = certs.get(0);
      accepted = false;
      if (e.reason() == PeerChainException.Reason.CA_CERTIFICATE) {
        verdict =
            "refused: the first certificate is a CA certificate; kes4j identifies a client by its"
                + " first certificate only: "
                + CA_HINT;
      } else {
        verdict =
            "refused: "
                + certs.stream().filter(c -> c.getBasicConstraints() < 0).count()
                + " non-CA certificates; send the leaf first and only CA certificates"
                + " (intermediates) after it";
      }
    }
    List<String> warnings = new ArrayList<>();
    Instant notAfter = leaf.getNotAfter().toInstant();
    Instant notBefore = leaf.getNotBefore().toInstant();
    if (now.isAfter(notAfter)) {
      warnings.add(
          "expired on "
              + notAfter
              + ": accepted only by servers that do not verify client certificates"
              + " (tls.auth off)");
    } else if (now.isBefore(notBefore)) {
      warnings.add("not valid before " + notBefore + " (check the clocks)");
    } else if (Duration.between(now, notAfter).compareTo(Duration.ofDays(7)) < 0) {
      warnings.add("expires in " + Out.duration(Duration.between(now, notAfter)));
    }
    if (!clientAuth(leaf)) {
      warnings.add(
          "its extended key usage does not include TLS client authentication: servers that"
              + " verify client certificates (tls.auth on) refuse it");
    }
    if (leaf.getPublicKey().getAlgorithm().toUpperCase(Locale.ROOT).startsWith("ED")) {
      warnings.add(
          "Ed25519 key: kes4j servers using --tls-provider openssl (BoringSSL) cannot accept it");
    }
    return new CertReport(Identity.of(leaf).value(), accepted, verdict, warnings, described);
  }

  /** The identity only, for scripts. */
  @Override
  public String toString() {
    return identity;
  }

  static String keyType(PublicKey k) {
    if (k instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return "ECDSA P-" + (bits == 521 ? 521 : bits);
    }
    if (k instanceof RSAPublicKey rsa) {
      return "RSA " + rsa.getModulus().bitLength();
    }
    String a = k.getAlgorithm();
    if (a.equalsIgnoreCase("EdDSA") || a.equalsIgnoreCase("Ed25519")) {
      return "Ed25519";
    }
    return a;
  }

  static boolean clientAuth(X509Certificate c) {
    try {
      List<String> eku = c.getExtendedKeyUsage();
      return eku == null
          || eku.contains("1.3.6.1.5.5.7.3.2")
          || eku.contains("2.5.29.37.0"); // anyExtendedKeyUsage
    } catch (CertificateParsingException e) {
      return false;
    }
  }
}
