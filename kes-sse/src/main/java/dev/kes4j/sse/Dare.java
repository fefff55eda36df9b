package dev.kes4j.sse;

import static dev.kes4j.sse.DareFormat.HEADER;
import static dev.kes4j.sse.DareFormat.MAX_PACKAGE;
import static dev.kes4j.sse.DareFormat.MAX_PACKAGES;
import static dev.kes4j.sse.DareFormat.MAX_PAYLOAD;
import static dev.kes4j.sse.DareFormat.TAG;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The raw DARE 2.0 stream layer: streaming encryption and decryption, and range reads, with a
 * 32-byte key. Byte-compatible with MinIO's {@code minio/sio} for {@code Config{MinVersion:
 * Version20, Key: key}}: what {@link #encrypt} writes, {@code sio.Decrypt} reads, and what {@code
 * sio.Encrypt} writes, {@link #decrypt} reads.
 *
 * <p><b>Format.</b> The plaintext is cut into packages of 64 KiB (the last one 1 byte to 64 KiB);
 * each package is {@code header (16) ‖ ciphertext ‖ tag (16)}, with the header {@code 0x20 ‖ cipher
 * suite ‖ uint16_le(length − 1) ‖ 12-byte random value}; bit 7 of the random value's first byte
 * marks the final package, and the AEAD nonce is the random value with its last four bytes XOR the
 * package's sequence number (little endian). The header's first four bytes are the associated data.
 * An empty plaintext encrypts to an empty stream (no package), as in sio; and as in sio, decrypting
 * an empty stream fails ({@code TRUNCATED}): a stream cut to nothing looks the same. Store the
 * plaintext size with the object and skip decryption for empty objects ({@link ObjectEncryptor}
 * does).
 *
 * <p><b>Keys.</b> sio derives nothing: the key is used as given, for AES-256-GCM or
 * ChaCha20-Poly1305. A key must encrypt <em>one</em> stream only (DARE's security assumes it: two
 * streams under one key allow swapping packages of equal sequence number between them). {@link
 * ObjectEncryptor} takes care of that with a fresh data key per object; callers of this class must
 * do the same, for example by deriving a key per stream from a random value.
 *
 * <p><b>What decryption detects</b>, each as an {@link ObjectAuthenticationException} before any
 * byte of the affected package is returned: any modified byte, packages reordered, duplicated or
 * taken from another stream, the wrong key, the stream cut anywhere (even at a package boundary:
 * the last package read is not final, or nothing is left), and data after the final package.
 *
 * <p>Stateless and thread-safe; the streams it returns are not thread-safe. Streams block as their
 * underlying streams do.
 */
public final class Dare {
  /** Plaintext bytes in every package but the last: 64 KiB. */
  public static final int PACKAGE_SIZE = MAX_PAYLOAD;

  /** Bytes each package adds: a 16-byte header and a 16-byte tag. */
  public static final int PACKAGE_OVERHEAD = HEADER + TAG;

  /** Bytes of a key: 32. */
  public static final int KEY_SIZE = DareFormat.KEY;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Dare() {}

  /**
   * Encrypts with AES-256-GCM; see {@link #encrypt(OutputStream, byte[], CipherSuite)}.
   *
   * @throws IllegalArgumentException if the key is not 32 bytes
   */
  public static OutputStream encrypt(OutputStream ciphertext, byte[] key) {
    return encrypt(ciphertext, key, CipherSuite.AES_256_GCM);
  }

  /**
   * Returns a stream that encrypts what is written to it into {@code ciphertext}, under a fresh
   * random nonce. A package is written once it is full and more data follows; the final package is
   * written by {@code close()}, which also closes {@code ciphertext}. Until {@code close()}
   * returns, {@code ciphertext} does not hold a valid stream. Writing fails with an {@link
   * IOException} beyond 2^32 packages (256 TiB).
   *
   * @param ciphertext where the packages go
   * @param key the 32-byte key (copied), to be used for this stream only
   * @param suite the AEAD cipher
   * @throws IllegalArgumentException if the key is not 32 bytes
   */
  public static OutputStream encrypt(OutputStream ciphertext, byte[] key, CipherSuite suite) {
    byte[] random = new byte[DareFormat.NONCE];
    RANDOM.nextBytes(random);
    return encrypt(ciphertext, key, suite, random, 0);
  }

  /** With a given random value and first sequence number: for known-answer tests only. */
  static OutputStream encrypt(
      OutputStream ciphertext, byte[] key, CipherSuite suite, byte[] random, long firstSequence) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(suite, "suite");
    DareFormat.checkKey(key);
    return new DareWriter(ciphertext, key, suite, random, firstSequence, true);
  }

  /**
   * Returns a stream that decrypts a whole DARE 2.0 stream, in either cipher suite. Each package is
   * read whole, authenticated, and only then returned; after the final package, {@code ciphertext}
   * must end. A failure is an {@link ObjectAuthenticationException} from {@code read}, after which
   * the stream only rethrows it; the packages returned before it were authentic, but the stream as
   * a whole is not, and the caller must discard what it read. Closing the stream closes {@code
   * ciphertext}.
   *
   * @param ciphertext the stream, from its first byte
   * @param key the 32-byte key (copied)
   * @throws IllegalArgumentException if the key is not 32 bytes
   */
  public static InputStream decrypt(InputStream ciphertext, byte[] key) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    DareFormat.checkKey(key);
    return new DareReader(ciphertext, true, key, "DARE stream", 0, 0, -1, -1);
  }

  /**
   * Decrypts the plaintext bytes {@code [offset, offset + length)} of a stream, reading only the
   * packages that hold them: the stream is opened once, with {@link CiphertextSource#openAt} at the
   * start of the package that holds {@code offset} ({@code (offset / 64 KiB) × (64 KiB + 32)}), and
   * read up to the package that holds the range's last byte. The first package's sequence number is
   * checked as in a whole read, so packages cannot be moved. The returned stream delivers exactly
   * {@code length} bytes, or fails with {@link ObjectAuthenticationException}: as in {@link
   * #decrypt}, and with {@link ObjectAuthenticationException.Reason#TRUNCATED} if the stream ends
   * (in data or with its final package) before the range does, so keep ranges within {@link
   * #plaintextSize(long) the plaintext}. Closing it closes the opened stream. Packages after the
   * range are not read, so their damage is not detected.
   *
   * @param source opens the ciphertext at an offset
   * @param key the 32-byte key (copied)
   * @param offset the first plaintext byte, {@code >= 0}
   * @param length how many bytes, {@code >= 0}; {@code 0} opens nothing
   * @throws IOException if opening the source fails
   * @throws IllegalArgumentException if the key is not 32 bytes, or the range is negative or beyond
   *     the largest DARE stream
   */
  public static InputStream decryptRange(
      CiphertextSource source, byte[] key, long offset, long length) throws IOException {
    Objects.requireNonNull(source, "source");
    DareFormat.checkKey(key);
    checkRange(offset, length);
    if (length == 0) {
      return InputStream.nullInputStream();
    }
    long first = offset / MAX_PAYLOAD;
    InputStream in = source.openAt(first * MAX_PACKAGE);
    return new DareReader(
        in, true, key, "DARE stream", first, (int) (offset % MAX_PAYLOAD), length, -1);
  }

  /**
   * The exact length of the DARE 2.0 stream of a plaintext of {@code plaintextSize} bytes: the
   * plaintext plus 32 bytes per package ({@code sio.EncryptedSize}).
   *
   * @throws IllegalArgumentException if the size is negative or above 256 TiB
   */
  public static long ciphertextSize(long plaintextSize) {
    if (plaintextSize < 0 || plaintextSize > MAX_PACKAGES * MAX_PAYLOAD) {
      throw new IllegalArgumentException("plaintext size out of range: " + plaintextSize);
    }
    long packages = (plaintextSize + MAX_PAYLOAD - 1) / MAX_PAYLOAD;
    return plaintextSize + packages * PACKAGE_OVERHEAD;
  }

  /**
   * The plaintext length of a DARE 2.0 stream of {@code ciphertextSize} bytes, the inverse of
   * {@link #ciphertextSize} ({@code sio.DecryptedSize}).
   *
   * @throws IllegalArgumentException if no stream has that length (negative, too large, or a last
   *     package without payload)
   */
  public static long plaintextSize(long ciphertextSize) {
    if (ciphertextSize < 0 || ciphertextSize > MAX_PACKAGES * MAX_PACKAGE) {
      throw new IllegalArgumentException("ciphertext size out of range: " + ciphertextSize);
    }
    long full = ciphertextSize / MAX_PACKAGE;
    long rest = ciphertextSize % MAX_PACKAGE;
    if (rest > 0 && rest <= PACKAGE_OVERHEAD) {
      throw new IllegalArgumentException("not the length of a DARE 2.0 stream: " + ciphertextSize);
    }
    return full * MAX_PAYLOAD + (rest > 0 ? rest - PACKAGE_OVERHEAD : 0);
  }

  /** A writer with a fresh random value that closes {@code out}; the key is checked by callers. */
  static DareWriter writer(OutputStream out, byte[] key, CipherSuite suite) {
    Objects.requireNonNull(out, "out");
    byte[] random = new byte[DareFormat.NONCE];
    RANDOM.nextBytes(random);
    return new DareWriter(out, key, suite, random, 0, true);
  }

  static void checkRange(long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative range: offset " + offset + ", length " + length);
    }
    if (offset > MAX_PACKAGES * MAX_PAYLOAD - length) {
      throw new IllegalArgumentException("range beyond the largest DARE 2.0 stream");
    }
  }
}
