package dev.kes4j.api;

/**
 * A ciphertext could not be opened: malformed, tampered, truncated, sealed under another key or
 * with another context (HTTP 400, {@value #MESSAGE}). Deliberately carries no detail and no cause,
 * so that failures cannot be told apart by a caller (spec §4.3).
 */
public final class DecryptionException extends KesException {
  private static final long serialVersionUID = 1L;

  /** KES's fixed message. */
  public static final String MESSAGE = "decryption failed: ciphertext is not authentic";

  /** Creates the error. */
  public DecryptionException() {
    super(400, MESSAGE);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // thrown on every bad ciphertext; a stack trace would only cost time
  }
}
