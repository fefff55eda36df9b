package dev.kes4j.policy;

import dev.kes4j.api.Identity;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Takes a request's {@link Identity} from its TLS connection with the newest KES rules (spec §2.1):
 * CA certificates (basicConstraints cA=true) in the peer's chain are skipped and exactly one
 * certificate must remain; its identity is the SHA-256 of its SubjectPublicKeyInfo ({@link
 * Identity#of(X509Certificate)}). Transport-independent: give it what your TLS stack reports.
 *
 * <p>Stateless and thread-safe; nothing here blocks.
 */
public final class Identities {
  /** {@value}: the request did not arrive over TLS (400). */
  public static final String TLS_REQUIRED = "insecure connection: TLS is required";

  /** {@value}: no (non-CA) client certificate (400). */
  public static final String CLIENT_CERTIFICATE_REQUIRED = "tls: client certificate is required";

  /** {@value}: more than one non-CA client certificate (400). */
  public static final String MORE_THAN_ONE_CERTIFICATE =
      "tls: received more than one client certificate";

  private Identities() {}

  /**
   * The identity of the one non-CA certificate among the peer's certificates.
   *
   * @param certsOrNull the peer certificates as the TLS stack reports them (such as {@code
   *     SSLSession.getPeerCertificates()} cast to X.509), or null / empty when the peer sent none
   * @return the identity of the single leaf
   * @throws PeerChainException (400) with {@value #CLIENT_CERTIFICATE_REQUIRED} if there is no
   *     certificate ({@link PeerChainException.Reason#NO_CERTIFICATE}) or only CA certificates
   *     ({@link PeerChainException.Reason#ONLY_CA_CERTIFICATES}), or with {@value
   *     #MORE_THAN_ONE_CERTIFICATE} if more than one certificate is not a CA
   * @throws NullPointerException if an element of the array is null
   * @throws IllegalArgumentException if the leaf certificate cannot be parsed
   */
  public static Identity fromPeerChain(X509Certificate[] certsOrNull) {
    X509Certificate leaf = leafOf(certsOrNull);
    return Identity.of(leaf);
  }

  /**
   * The one non-CA certificate among the peer's certificates, with the same rules and errors as
   * {@link #fromPeerChain}.
   */
  public static X509Certificate leafOf(X509Certificate[] certsOrNull) {
    if (certsOrNull == null || certsOrNull.length == 0) {
      throw new PeerChainException(PeerChainException.Reason.NO_CERTIFICATE, 0);
    }
    X509Certificate leaf = null;
    int leaves = 0;
    for (int i = 0; i < certsOrNull.length; i++) {
      X509Certificate c = Objects.requireNonNull(certsOrNull[i], "certificate");
      if (c.getBasicConstraints() >= 0) {
        continue; // a CA certificate, skipped like KES does
      }
      leaves++;
      leaf = c;
    }
    if (leaves == 0) {
      throw new PeerChainException(
          PeerChainException.Reason.ONLY_CA_CERTIFICATES, certsOrNull.length);
    }
    if (leaves > 1) {
      throw new PeerChainException(
          PeerChainException.Reason.MORE_THAN_ONE_CERTIFICATE, certsOrNull.length);
    }
    return leaf;
  }

  /**
   * Rejects a request that did not arrive over TLS.
   *
   * @param tls whether the connection is TLS
   * @throws PeerChainException (400, {@value #TLS_REQUIRED}, reason {@link
   *     PeerChainException.Reason#NOT_TLS}) if {@code tls} is false
   */
  public static void requireTls(boolean tls) {
    if (!tls) {
      throw notTls();
    }
  }

  /**
   * A new (400, {@value #TLS_REQUIRED}) error, reason {@link PeerChainException.Reason#NOT_TLS}.
   */
  public static PeerChainException notTls() {
    return new PeerChainException(PeerChainException.Reason.NOT_TLS, 0);
  }
}
