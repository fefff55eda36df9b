package dev.kes4j.policy;

import dev.kes4j.api.KesException;

/**
 * The TLS peer did not present exactly one client (non-CA) certificate, or the connection is not
 * TLS (HTTP 400, spec §2.1). The message is KES's exact text and is what a client sees; {@link
 * #reason()} tells the cases apart for server-side logs, where KES's messages do not (no
 * certificate at all and only CA certificates both read {@value
 * Identities#CLIENT_CERTIFICATE_REQUIRED}).
 *
 * <p>Immutable and thread-safe.
 */
public final class PeerChainException extends KesException {
  private static final long serialVersionUID = 1L;

  /** Why no identity could be taken from the connection. */
  public enum Reason {
    /** The connection is not TLS: {@value Identities#TLS_REQUIRED}. */
    NOT_TLS,
    /** The peer sent no certificate at all: {@value Identities#CLIENT_CERTIFICATE_REQUIRED}. */
    NO_CERTIFICATE,
    /**
     * The peer sent only CA certificates (basicConstraints cA=true), which KES skips: {@value
     * Identities#CLIENT_CERTIFICATE_REQUIRED}.
     */
    ONLY_CA_CERTIFICATES,
    /**
     * The peer sent more than one non-CA certificate: {@value
     * Identities#MORE_THAN_ONE_CERTIFICATE}.
     */
    MORE_THAN_ONE_CERTIFICATE
  }

  private final Reason reason;
  private final int certificates;

  PeerChainException(Reason reason, int certificates) {
    super(400, messageOf(reason));
    this.reason = reason;
    this.certificates = certificates;
  }

  private static String messageOf(Reason reason) {
    switch (reason) {
      case NOT_TLS:
        return Identities.TLS_REQUIRED;
      case MORE_THAN_ONE_CERTIFICATE:
        return Identities.MORE_THAN_ONE_CERTIFICATE;
      default:
        return Identities.CLIENT_CERTIFICATE_REQUIRED;
    }
  }

  /** Why the peer has no identity; for logs, not for clients. */
  public Reason reason() {
    return reason;
  }

  /** How many certificates the peer presented, CA certificates included (0 if not TLS). */
  public int certificateCount() {
    return certificates;
  }

  /**
   * A one-line description for server logs, such as {@code tls: client certificate is required
   * (peer sent 2 certificates, all CA)}. Not for clients: send {@link #getMessage()}.
   */
  public String diagnostic() {
    switch (reason) {
      case NOT_TLS:
        return getMessage() + " (plain connection)";
      case NO_CERTIFICATE:
        return getMessage() + " (peer sent no certificate)";
      case ONLY_CA_CERTIFICATES:
        return getMessage() + " (peer sent " + certificates + " certificate(s), all CA)";
      default:
        return getMessage() + " (peer sent " + certificates + " certificates)";
    }
  }
}
