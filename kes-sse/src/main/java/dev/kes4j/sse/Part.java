package dev.kes4j.sse;

/**
 * One part of an encrypted object: its number and its plaintext size. A single-part object (from
 * {@link ObjectEncryptor#encrypt}) has one part, number {@code 0}, encrypted under the object key
 * itself; the parts of a multipart upload are numbered from {@code 1} (S3 allows 1 to 10,000), each
 * its own DARE 2.0 stream under its own part key.
 *
 * @param number the part number: {@code 0} for a single-part object, {@code >= 1} for a multipart
 *     part
 * @param plaintextSize the part's plaintext bytes
 */
public record Part(int number, long plaintextSize) {
  /**
   * Validates.
   *
   * @throws IllegalArgumentException if the number or the size is negative, or the size is beyond a
   *     DARE 2.0 stream
   */
  public Part {
    if (number < 0) {
      throw new IllegalArgumentException("negative part number: " + number);
    }
    Dare.ciphertextSize(plaintextSize); // validates the size
  }

  /** The part's encrypted size: {@link Dare#ciphertextSize(long)} of its plaintext size. */
  public long ciphertextSize() {
    return Dare.ciphertextSize(plaintextSize);
  }
}
