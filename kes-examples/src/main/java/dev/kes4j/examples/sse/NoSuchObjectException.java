package dev.kes4j.examples.sse;

import java.io.IOException;

/** No object is stored under that bucket and name (S3's {@code NoSuchKey}). Immutable. */
public final class NoSuchObjectException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param bucket the bucket
   * @param object the object name
   */
  public NoSuchObjectException(String bucket, String object) {
    super("no such object: " + bucket + "/" + object);
  }
}
