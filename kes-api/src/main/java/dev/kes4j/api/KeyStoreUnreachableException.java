package dev.kes4j.api;

/**
 * The key store could not be reached in time: network failure, outage or deadline exceeded. Status
 * 504 when a deadline passed, 502 otherwise. The message is the KES text for the failed operation
 * (for example {@code failed to read key}); the cause, for logs only, tells what happened. The
 * engine uses this type to switch to offline mode (spec §8).
 */
public final class KeyStoreUnreachableException extends KesException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param timedOut whether a deadline passed (504) rather than the store refusing or failing to
   *     connect (502)
   * @param message the KES text for the failed operation, e.g. {@code failed to read key}
   * @param cause what happened, for logs only; may be null
   */
  public KeyStoreUnreachableException(boolean timedOut, String message, Throwable cause) {
    super(timedOut ? 504 : 502, message, cause);
  }
}
