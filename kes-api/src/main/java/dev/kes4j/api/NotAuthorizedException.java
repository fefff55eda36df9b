package dev.kes4j.api;

/**
 * The caller's identity may not perform the request (HTTP 403). The message is the newest KES text
 * {@value #MESSAGE}; KES ≤ 0.17 clients expect {@value #LEGACY_MESSAGE} (spec §1.2).
 */
public final class NotAuthorizedException extends KesException {
  private static final long serialVersionUID = 1L;

  /** The newest KES message. */
  public static final String MESSAGE = "not authorized: insufficient permissions";

  /** The KES ≤ 0.17 message, understood by every client generation. */
  public static final String LEGACY_MESSAGE = "prohibited by policy";

  /** Creates the error. */
  public NotAuthorizedException() {
    super(403, MESSAGE);
  }
}
