package dev.kes4j.examples.sse;

import java.io.IOException;
import java.util.Objects;

/**
 * An encrypted object cannot be trusted: its sealed data key does not open for the object's path,
 * or its data was modified, truncated, extended or reordered. Thrown before any plaintext of the
 * failing part is returned. The message names the object and what failed; it never contains key
 * material or plaintext.
 *
 * <p>A checked {@link IOException}, because it surfaces from {@link java.io.InputStream#read} in
 * the middle of a streamed object, where the JDK only allows I/O exceptions. Immutable.
 */
public final class ObjectAuthenticationException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What failed. */
  public enum Reason {
    /**
     * The data key does not unseal with the object's context: the object (data and metadata) was
     * moved or copied from another bucket/path, or the sealed key in its metadata was replaced.
     */
    WRONG_CONTEXT,
    /** A chunk failed authentication: modified, swapped, duplicated or from another object. */
    TAMPERED,
    /** The data ends before the final chunk. */
    TRUNCATED,
    /** Data follows the final chunk. */
    EXTENDED,
    /** The header or the metadata file is not in the expected format. */
    MALFORMED
  }

  private final Reason reason;

  /**
   * Creates the error.
   *
   * @param reason what failed
   * @param message a description naming the object, without secrets
   */
  public ObjectAuthenticationException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Creates the error with a cause, for logs.
   *
   * @param reason what failed
   * @param message a description naming the object, without secrets
   * @param cause the underlying failure
   */
  public ObjectAuthenticationException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** What failed. */
  public Reason reason() {
    return reason;
  }
}
