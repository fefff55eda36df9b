package dev.kes4j.api;

/** No key with that name exists (HTTP 404, {@value #MESSAGE}). */
public final class KeyNotFoundException extends KesException {
  private static final long serialVersionUID = 1L;

  /** KES's message, the same in every version. */
  public static final String MESSAGE = "key does not exist";

  /** Creates the error. */
  public KeyNotFoundException() {
    super(404, MESSAGE);
  }
}
