package dev.kes4j.crypto;

import dev.kes4j.api.KesException;

/**
 * A stored key value is not in any format KES ever wrote (HTTP 500, {@value #MESSAGE}). Carries no
 * detail from the value and no cause, so that a corrupted store never leaks key material into logs
 * or responses. Immutable and thread-safe.
 */
public final class InvalidKeyBlobException extends KesException {
  private static final long serialVersionUID = 1L;

  /** The fixed message. */
  public static final String MESSAGE = "failed to read key: invalid key format";

  /** Creates the error. */
  public InvalidKeyBlobException() {
    super(500, MESSAGE);
  }
}
