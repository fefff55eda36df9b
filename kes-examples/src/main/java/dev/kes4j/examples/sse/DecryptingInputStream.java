package dev.kes4j.examples.sse;

import dev.kes4j.examples.sse.ObjectAuthenticationException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reader side of {@link ObjectCipher}: reads one sealed chunk at a time, authenticates it, and only
 * then hands out its plaintext. Not thread-safe.
 */
final class DecryptingInputStream extends InputStream {
  private final InputStream in;
  private final SecretKeySpec key;
  private final String label;
  private final byte[] header = new byte[ObjectCipher.HEADER_SIZE];
  private final Cipher cipher = ChunkFormat.newCipher();
  private final byte[] sealed = new byte[ChunkFormat.SEALED_CHUNK];
  private final byte[] plain = new byte[ObjectCipher.CHUNK_SIZE];
  private int carried; // bytes of the next chunk already read (the look-ahead byte)
  private int pos;
  private int limit;
  private long index;
  private boolean finished;
  private boolean closed;
  private ObjectAuthenticationException failure;

  DecryptingInputStream(InputStream in, byte[] key) throws IOException {
    this(in, key, "object");
  }

  DecryptingInputStream(InputStream in, byte[] key, String label) throws IOException {
    this.in = in;
    this.key = new SecretKeySpec(key, "AES");
    this.label = Objects.requireNonNull(label, "label");
    int n = in.readNBytes(header, 0, header.length);
    if (n < header.length || !ChunkFormat.validHeader(header)) {
      throw new ObjectAuthenticationException(
          Reason.MALFORMED, label + ": the data does not start with a valid kes4j SSE header");
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("stream closed");
    }
    if (failure != null) {
      throw failure;
    }
    if (len == 0) {
      return 0;
    }
    while (pos == limit) {
      if (finished) {
        return -1;
      }
      try {
        nextChunk();
      } catch (ObjectAuthenticationException e) {
        failure = e;
        throw e;
      }
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(plain, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return limit - pos;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      Arrays.fill(plain, (byte) 0);
      in.close();
    }
  }

  /** Reads, authenticates and decrypts the next chunk into {@code plain}. */
  private void nextChunk() throws IOException {
    int n = carried + in.readNBytes(sealed, carried, sealed.length - carried);
    carried = 0;
    if (n < ObjectCipher.TAG_SIZE) {
      throw new ObjectAuthenticationException(
          Reason.TRUNCATED,
          label + ": the data ends in chunk " + index + ", before the final chunk (truncated)");
    }
    // Only the final chunk may be short; a full chunk is final only if nothing follows it.
    int next = n < sealed.length ? -1 : in.read();
    boolean last = next < 0;
    limit = open(n, last);
    pos = 0;
    if (!last) {
      sealed[0] = (byte) next; // the look-ahead byte starts the next chunk
      carried = 1;
    }
    finished = last;
    index++;
  }

  /**
   * Authenticates and decrypts {@code sealed[0..n)} as chunk {@link #index}. On failure, tells
   * truncation and extension apart from tampering by trying the opposite final flag: a chunk that
   * opens as non-final but was read as the last one means the rest was cut off; one that opens as
   * final but has data after it means data was appended.
   */
  private int open(int n, boolean last) throws IOException {
    try {
      return decrypt(n, last);
    } catch (AEADBadTagException e) {
      Arrays.fill(plain, (byte) 0);
      if (opens(n, !last)) {
        Arrays.fill(plain, (byte) 0);
        throw last
            ? new ObjectAuthenticationException(
                Reason.TRUNCATED,
                label
                    + ": the data ends after chunk "
                    + index
                    + ", which is not the final chunk"
                    + " (truncated)")
            : new ObjectAuthenticationException(
                Reason.EXTENDED, label + ": data follows the final chunk " + index + " (extended)");
      }
      throw new ObjectAuthenticationException(
          Reason.TAMPERED,
          label
              + ": chunk "
              + index
              + " is not authentic (modified, reordered, truncated or from another object)");
    } catch (GeneralSecurityException e) {
      throw new IOException("AES-GCM decryption failed", e);
    }
  }

  private boolean opens(int n, boolean last) {
    try {
      decrypt(n, last);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private int decrypt(int n, boolean last) throws GeneralSecurityException {
    ChunkFormat.init(cipher, Cipher.DECRYPT_MODE, key, header, index, last);
    // GCM verifies the tag before doFinal returns; nothing of plain is handed out before that.
    return cipher.doFinal(sealed, 0, n, plain, 0);
  }
}
