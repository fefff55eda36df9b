package dev.kes4j.examples.sse;

import java.util.Objects;

/**
 * What the store knows about an object without decrypting it.
 *
 * @param bucket the bucket
 * @param object the object name
 * @param size the plaintext size in bytes
 * @param keyName the KES key the object's data key is sealed under
 */
public record ObjectInfo(String bucket, String object, long size, String keyName) {
  /** Validates. */
  public ObjectInfo {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(keyName, "keyName");
    if (size < 0) {
      throw new IllegalArgumentException("negative size");
    }
  }
}
