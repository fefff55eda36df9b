package dev.kes4j.policy;

import dev.kes4j.api.KesException;

/**
 * The TLS peer's chain yields no identity: no certificate, a CA first certificate, a later
 * certificate that is not a CA, or no TLS at all (HTTP 400, spec §2.1; see {@link Identities}). The
 * message is KES's exact text and is what a client sees; {@link #reason()} tells the cases apart
 * for server-side logs, where KES's messages do not (no certificate at all and a CA certificate
 * both read {@value Identities#CLIENT_CERTIFICATE_REQUIRED}).
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
     * The peer's first certificate — the one whose key signed the handshake — is a CA
     * (basicConstraints cA=true), which is never an identity: {@value
     * Identities#CLIENT_CERTIFICATE_REQUIRED}.
     */
    CA_CERTIFICATE,
    /**
     * A certificate after the first is not a CA either: {@value
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
   * (peer's first of 2 certificate(s) is a CA)}. Not for clients: send {@link #getMessage()}.
   */
  public String diagnostic() {
    switch (reason) {
      case NOT_TLS:
        return getMessage() + " (plain connection)";
      case NO_CERTIFICATE:
        return getMessage() + " (peer sent no certificate)";
      case CA_CERTIFICATE:
        return getMessage() + " (peer's first of " + certificates + " certificate(s) is a CA)";
      default:
        return getMessage() + " (peer sent " + certificates + " certificates, several not CA)";
    }
  }
}
