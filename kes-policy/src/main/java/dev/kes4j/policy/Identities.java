package dev.kes4j.policy;

import dev.kes4j.api.Identity;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Takes a request's {@link Identity} from its TLS connection (spec §2.1): the identity is the
 * SHA-256 of the SubjectPublicKeyInfo ({@link Identity#of(X509Certificate)}) of the <b>first</b>
 * certificate of the peer chain — the end-entity certificate whose private key signed the TLS
 * handshake. This is the only place kes4j turns a peer chain into an identity; every face (the
 * reference server with either TLS provider, the HTTP API mounted on a host's own server, the
 * engine's {@code as(identity)} callers) goes through it.
 *
 * <p><b>Deliberately not Go KES:</b> KES skips every CA certificate of the chain and takes the one
 * that remains, so a client that sends {@code [its own CA:TRUE certificate, the admin's
 * certificate]} and signs the handshake with its own key is identified as the admin. Here nothing
 * after the first certificate is ever an identity (later certificates only serve chain verification
 * with {@code tls.auth: on}), and a first certificate that is a CA (basicConstraints cA=true) is
 * refused with KES's {@value #CLIENT_CERTIFICATE_REQUIRED}. A later certificate that is not a CA is
 * refused as KES refuses it ({@value #MORE_THAN_ONE_CERTIFICATE}): an honest chain is {@code [leaf,
 * intermediates…]}, and intermediates are CAs.
 *
 * <p>Transport-independent: give it what your TLS stack reports, in the order the peer sent it
 * (such as {@code SSLSession.getPeerCertificates()}). Stateless and thread-safe; nothing here
 * blocks.
 */
public final class Identities {
  /** {@value}: the request did not arrive over TLS (400). */
  public static final String TLS_REQUIRED = "insecure connection: TLS is required";

  /** {@value}: no client certificate, or its first certificate is a CA (400). */
  public static final String CLIENT_CERTIFICATE_REQUIRED = "tls: client certificate is required";

  /** {@value}: a certificate after the first is not a CA either (400). */
  public static final String MORE_THAN_ONE_CERTIFICATE =
      "tls: received more than one client certificate";

  private Identities() {}

  /**
   * The identity of the peer: that of the first certificate of its chain.
   *
   * @param certsOrNull the peer certificates as the TLS stack reports them, first the one whose key
   *     signed the handshake, or null / empty when the peer sent none
   * @return the identity of the first certificate
   * @throws PeerChainException (400) with {@value #CLIENT_CERTIFICATE_REQUIRED} if there is no
   *     certificate ({@link PeerChainException.Reason#NO_CERTIFICATE}) or the first one is a CA
   *     ({@link PeerChainException.Reason#CA_CERTIFICATE}), or with {@value
   *     #MORE_THAN_ONE_CERTIFICATE} if a later certificate is not a CA
   * @throws NullPointerException if an element of the array is null
   * @throws IllegalArgumentException if the first certificate cannot be parsed
   */
  public static Identity fromPeerChain(X509Certificate[] certsOrNull) {
    return Identity.of(leafOf(certsOrNull));
  }

  /**
   * The certificate that identifies the peer — its first — with the same rules and errors as {@link
   * #fromPeerChain}.
   */
  public static X509Certificate leafOf(X509Certificate[] certsOrNull) {
    if (certsOrNull == null || certsOrNull.length == 0) {
      throw new PeerChainException(PeerChainException.Reason.NO_CERTIFICATE, 0);
    }
    for (X509Certificate c : certsOrNull) {
      Objects.requireNonNull(c, "certificate");
    }
    X509Certificate leaf = certsOrNull[0];
    if (isCa(leaf)) {
      // spec §2.1 "don't mirror": a CA first certificate is never skipped to find a later one
      throw new PeerChainException(PeerChainException.Reason.CA_CERTIFICATE, certsOrNull.length);
    }
    for (int i = 1; i < certsOrNull.length; i++) {
      if (!isCa(certsOrNull[i])) {
        throw new PeerChainException(
            PeerChainException.Reason.MORE_THAN_ONE_CERTIFICATE, certsOrNull.length);
      }
    }
    return leaf;
  }

  /** Whether {@code certificate} is a CA (basicConstraints cA=true). */
  public static boolean isCa(X509Certificate certificate) {
    return certificate.getBasicConstraints() >= 0;
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
