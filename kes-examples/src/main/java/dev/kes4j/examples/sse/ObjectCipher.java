package dev.kes4j.examples.sse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The streaming object encryption of the SSE example: AES-256-GCM over 64 KiB chunks, each
 * authenticated on its own, so objects of any size are encrypted and decrypted with constant memory
 * and every chunk is verified before a byte of it is returned.
 *
 * <p><b>Format</b> (our own, in the spirit of MinIO's DARE format and the STREAM construction; not
 * compatible with either):
 *
 * <pre>
 * header  = "K4JS" ‖ version (1 byte, 1) ‖ log2(chunk size) (1 byte, 16) ‖ base nonce (12 random bytes)
 * chunk i = AES-256-GCM(data key, nonce_i, aad = header, plaintext_i)   (plaintext_i ‖ 16-byte tag)
 * nonce_i = base nonce XOR (0x00000000 ‖ uint64_be(i)), and byte 0 XOR 0x80 on the final chunk
 * </pre>
 *
 * Every chunk except the last holds exactly {@value #CHUNK_SIZE} plaintext bytes; the last holds 0
 * to {@value #CHUNK_SIZE} bytes (an empty object is one empty final chunk). Because the chunk index
 * and the final flag are part of the nonce, the reader detects:
 *
 * <ul>
 *   <li>a modified byte anywhere (the chunk's tag fails);
 *   <li>chunks swapped, duplicated or taken from another object (wrong index or key: tag fails);
 *   <li>truncation, even at a chunk boundary (the new last chunk was not sealed as final);
 *   <li>appended data (the real final chunk is followed by more bytes);
 *   <li>a modified header (it is the associated data of every chunk).
 * </ul>
 *
 * <p>The data key must be used for one object only (the store generates one per object), so the
 * random base nonce is belt and braces rather than a requirement.
 *
 * <p>Stateless and thread-safe; the streams it returns are not thread-safe.
 */
public final class ObjectCipher {
  /** Plaintext bytes per chunk: 64 KiB. */
  public static final int CHUNK_SIZE = 1 << 16;

  /** Bytes of the GCM tag that follows every chunk. */
  public static final int TAG_SIZE = 16;

  /** Bytes of the header in front of the first chunk. */
  public static final int HEADER_SIZE = 18;

  /** Bytes of a data key: AES-256. */
  public static final int KEY_SIZE = 32;

  private ObjectCipher() {}

  /**
   * Returns a stream that encrypts what is written to it into {@code out}. The header is written
   * immediately; a chunk is sealed once it is full and more data follows, and the final chunk when
   * the stream is closed, which also closes {@code out}. Until {@code close()} returns, {@code out}
   * does not hold a valid object.
   *
   * @param out where the ciphertext goes
   * @param key the 32-byte data key (copied)
   * @throws IOException if writing the header fails
   * @throws IllegalArgumentException if the key is not 32 bytes
   */
  public static OutputStream encrypt(OutputStream out, byte[] key) throws IOException {
    Objects.requireNonNull(out, "out");
    checkKey(key);
    return new EncryptingOutputStream(out, key);
  }

  /**
   * Returns a stream that decrypts {@code in}. The header is read and checked now; each chunk is
   * read whole, authenticated, and only then returned. A failure is an {@link
   * ObjectAuthenticationException} from {@code read} (the header's from this method), after which
   * the stream only rethrows it; the chunks returned before it are authentic, but the object as a
   * whole is not, and a caller must discard what it read. Closing the stream closes {@code in}.
   *
   * @param in the ciphertext, positioned at the header
   * @param key the 32-byte data key (copied)
   * @throws ObjectAuthenticationException if the header is missing or malformed
   * @throws IOException if reading fails
   * @throws IllegalArgumentException if the key is not 32 bytes
   */
  public static InputStream decrypt(InputStream in, byte[] key) throws IOException {
    Objects.requireNonNull(in, "in");
    checkKey(key);
    return new DecryptingInputStream(in, key);
  }

  /**
   * The exact ciphertext length of a plaintext of {@code plaintextSize} bytes: the header, the
   * plaintext, and one tag per chunk (at least one chunk).
   *
   * @throws IllegalArgumentException if the size is negative
   */
  public static long ciphertextSize(long plaintextSize) {
    if (plaintextSize < 0) {
      throw new IllegalArgumentException("negative size");
    }
    long chunks = Math.max(1, (plaintextSize + CHUNK_SIZE - 1) / CHUNK_SIZE);
    return HEADER_SIZE + plaintextSize + chunks * TAG_SIZE;
  }

  private static void checkKey(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length != KEY_SIZE) {
      throw new IllegalArgumentException("data key must be " + KEY_SIZE + " bytes");
    }
  }
}
