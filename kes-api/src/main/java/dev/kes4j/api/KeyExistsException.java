package dev.kes4j.api;

/**
 * A key with that name already exists (HTTP 400). The message is the newest KES text {@value
 * #MESSAGE}; KES ≤ 0.17 clients expect {@value #LEGACY_MESSAGE}, which the HTTP face can send
 * instead (spec §1.2).
 */
public final class KeyExistsException extends KesException {
  private static final long serialVersionUID = 1L;

  /** The newest KES message. */
  public static final String MESSAGE = "key already exists";

  /** The KES ≤ 0.17 message, understood by every client generation. */
  public static final String LEGACY_MESSAGE = "key does already exist";

  /** Creates the error. */
  public KeyExistsException() {
    super(400, MESSAGE);
  }
}
