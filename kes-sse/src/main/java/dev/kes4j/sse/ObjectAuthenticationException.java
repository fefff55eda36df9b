package dev.kes4j.sse;

import java.io.IOException;
import java.util.Objects;

/**
 * Encrypted data or its metadata cannot be trusted: it was modified, truncated, extended or
 * reordered, it was encrypted under another key, or its data key does not unseal with the context
 * given. Thrown before any plaintext of the failing package is returned; the message says where and
 * what failed, and never contains key material or plaintext.
 *
 * <p>The one exception of this module for "do not trust these bytes": callers that only need to
 * reject the object catch it; {@link #reason()} is for logs and metrics. A checked {@link
 * IOException}, because it surfaces from {@link java.io.InputStream#read} in the middle of a
 * streamed object, where the JDK only allows I/O exceptions. Once a stream has thrown it, every
 * further read throws it again. Immutable.
 */
public final class ObjectAuthenticationException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What failed. */
  public enum Reason {
    /**
     * The key service refused to unseal the object's data key: the context differs from the one it
     * was sealed with (the object was moved or copied), or the sealed key or key name in the
     * metadata was replaced.
     */
    WRONG_KEY_OR_CONTEXT,
    /**
     * A package or the metadata failed authentication: modified, reordered, duplicated, taken from
     * another stream, or encrypted with another key.
     */
    TAMPERED,
    /** The data ends before its final package (or before the size the metadata records). */
    TRUNCATED,
    /** Data follows the final package (or the object is longer than the metadata records). */
    EXTENDED,
    /** Not DARE 2.0 data or not kes-sse metadata: unknown version, cipher suite or layout. */
    MALFORMED
  }

  private final Reason reason;

  /**
   * Creates the error, for hosts that detect a problem of their own (their metadata file, say).
   *
   * @param reason what failed
   * @param message where and what failed, without secrets
   */
  public ObjectAuthenticationException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Creates the error with a cause, for logs.
   *
   * @param reason what failed
   * @param message where and what failed, without secrets
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
