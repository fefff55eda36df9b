package dev.kes4j.sse;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One multipart upload of an encrypted object, from {@link ObjectEncryptor#startMultipart}: holds
 * the object's data key (unsealed) while parts are encrypted. Every part is its own DARE 2.0 stream
 * with its own random nonce and sequence numbers from 0, under the part key {@code
 * HMAC-SHA256(dataKey, uint32_le(partNumber))} — MinIO's {@code DerivePartKey} — so parts can be
 * encrypted in any order, concurrently, and re-uploaded. The stored object is the parts'
 * ciphertexts concatenated in part-number order; {@link #complete} gives its metadata.
 *
 * <p>Other processes encrypt parts of the same upload with {@link ObjectEncryptor#resumeMultipart},
 * given {@link #keyName()} and {@link #sealedKey()} (store them with the upload, as S3 servers keep
 * an upload's state).
 *
 * <p>Thread-safe. {@link #close()} forgets the data key; close the upload when done (it is {@link
 * AutoCloseable}).
 */
public final class MultipartUpload implements AutoCloseable {
  private final String keyName;
  private final byte[] sealedKey;
  private final CipherSuite suite;
  private final byte[] objectKey;
  private volatile boolean closed;

  MultipartUpload(String keyName, byte[] sealedKey, byte[] objectKey, CipherSuite suite) {
    this.keyName = keyName;
    this.sealedKey = sealedKey;
    this.objectKey = objectKey;
    this.suite = suite;
  }

  /**
   * Returns a stream that encrypts part {@code partNumber} into {@code ciphertext}; close it, then
   * take its {@link PartOutputStream#part()}. Encrypting a part number again replaces that part
   * (use the new part's ciphertext and {@code Part}).
   *
   * @param partNumber {@code >= 1}
   * @param ciphertext where the part's DARE 2.0 stream goes (closed with the returned stream)
   * @throws IllegalArgumentException if the part number is below 1
   * @throws IllegalStateException if the upload was closed
   */
  public PartOutputStream encryptPart(int partNumber, OutputStream ciphertext) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    if (partNumber < 1) {
      throw new IllegalArgumentException("part numbers start at 1: " + partNumber);
    }
    byte[] partKey;
    synchronized (this) {
      checkOpen();
      partKey = ObjectKeys.partKey(objectKey, partNumber);
    }
    try {
      return new PartOutputStream(ciphertext, partNumber, partKey, suite);
    } finally {
      Arrays.fill(partKey, (byte) 0); // the writer holds its own key spec
    }
  }

  /**
   * The metadata of the object made of {@code parts}, in ascending part-number order (the parts
   * S3's CompleteMultipartUpload names, with the sizes their streams reported). Does not close the
   * upload.
   *
   * @throws IllegalArgumentException if there are no parts, or their numbers do not ascend
   * @throws IllegalStateException if the upload was closed
   */
  public ObjectMetadata complete(List<Part> parts) {
    List<Part> copy = List.copyOf(parts);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("an object has at least one part");
    }
    if (copy.get(0).number() == 0) {
      throw new IllegalArgumentException("part numbers start at 1");
    }
    byte[] mac;
    synchronized (this) {
      checkOpen();
      mac = ObjectKeys.metadataMac(objectKey, copy);
    }
    return ObjectMetadata.of(keyName, sealedKey, copy, mac);
  }

  /** The KES key the upload's data key is sealed under. */
  public String keyName() {
    return keyName;
  }

  /** The sealed data key (a copy), for {@link ObjectEncryptor#resumeMultipart}. */
  public byte[] sealedKey() {
    return sealedKey.clone();
  }

  /** Forgets the data key. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    Arrays.fill(objectKey, (byte) 0);
  }

  @Override
  public String toString() {
    return "MultipartUpload[keyName=" + keyName + (closed ? ", closed" : "") + "]";
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the upload was closed");
    }
  }
}
