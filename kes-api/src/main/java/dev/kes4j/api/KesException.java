package dev.kes4j.api;

/**
 * Root of every kes4j error. Unchecked; carries the HTTP status KES answers with and KES's exact
 * message, so that every face of kes4j (in-process, HTTP, client) reports the same error.
 *
 * <p>The message is safe to show to a client: it never contains key material. A cause, when
 * present, is for server-side logs only and must not be sent to clients.
 *
 * <p>Instances are immutable and thread-safe.
 */
public class KesException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * Creates an error with an HTTP status and a client-safe message.
   *
   * @param status the HTTP status code KES answers with (400..599)
   * @param message KES's message text, never containing secrets
   */
  public KesException(int status, String message) {
    this(status, message, null);
  }

  /**
   * Creates an error with an HTTP status, a client-safe message and a cause for logs.
   *
   * @param status the HTTP status code KES answers with (400..599)
   * @param message KES's message text, never containing secrets
   * @param cause the underlying failure, for server-side logs only; may be null
   */
  public KesException(int status, String message, Throwable cause) {
    super(message, cause);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
    }
    this.status = status;
  }

  /** The HTTP status code KES answers with for this error. */
  public int status() {
    return status;
  }
}
