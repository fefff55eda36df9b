package dev.kes4j.sse;

import static dev.kes4j.sse.DareFormat.HEADER;
import static dev.kes4j.sse.DareFormat.MAX_PACKAGES;
import static dev.kes4j.sse.DareFormat.MAX_PAYLOAD;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writer side of DARE 2.0: buffers up to one payload and seals a full package only once more data
 * arrives, so that the last package can always be sealed as final on {@link #close()}. Large writes
 * are sealed straight from the caller's array. Not thread-safe. Package-private: see {@link Dare}.
 */
final class DareWriter extends OutputStream {
  private final OutputStream out;
  private final boolean closeOut;
  private final CipherSuite suite;
  private final SecretKeySpec key;
  private final byte[] random;
  private final Cipher cipher;
  private final byte[] plain = new byte[MAX_PAYLOAD];
  private final byte[] sealed = new byte[DareFormat.MAX_PACKAGE];
  private int buffered;
  private long sequence;
  private long written;
  private boolean closed;

  DareWriter(
      OutputStream out,
      byte[] key,
      CipherSuite suite,
      byte[] random,
      long firstSequence,
      boolean closeOut) {
    this.out = out;
    this.sequence = firstSequence;
    this.closeOut = closeOut;
    this.suite = suite;
    this.key = DareFormat.keySpec(suite, key);
    this.random = random.clone();
    this.cipher = DareFormat.newCipher(suite);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    while (len > 0) {
      if (buffered == MAX_PAYLOAD) {
        // more data follows a full buffer: it is not the final package
        seal(plain, 0, MAX_PAYLOAD, false);
        buffered = 0;
      }
      if (buffered == 0 && len > MAX_PAYLOAD) {
        // a whole package that is not the last: seal it from the caller's array, no copy
        seal(b, off, MAX_PAYLOAD, false);
        off += MAX_PAYLOAD;
        len -= MAX_PAYLOAD;
        continue;
      }
      int n = Math.min(len, MAX_PAYLOAD - buffered);
      System.arraycopy(b, off, plain, buffered, n);
      buffered += n;
      off += n;
      len -= n;
    }
  }

  /** Flushes the underlying stream; buffered plaintext stays until a package is full or closed. */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    out.flush();
  }

  /** Seals the final package (none for an empty stream), then closes or flushes {@code out}. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (buffered > 0) {
        seal(plain, 0, buffered, true);
      }
    } finally {
      Arrays.fill(plain, (byte) 0);
      buffered = 0;
      if (closeOut) {
        out.close();
      } else {
        out.flush();
      }
    }
  }

  /** Plaintext bytes written so far. */
  long plaintextSize() {
    return written + buffered;
  }

  private void seal(byte[] src, int off, int len, boolean last) throws IOException {
    if (sequence >= MAX_PACKAGES) {
      throw new IOException("a DARE 2.0 stream holds at most 2^32 packages (256 TiB)");
    }
    DareFormat.writeHeader(sealed, suite, len, random, last);
    int n;
    try {
      DareFormat.init(cipher, suite, Cipher.ENCRYPT_MODE, key, sealed, sequence);
      n = cipher.doFinal(src, off, len, sealed, HEADER);
    } catch (GeneralSecurityException e) {
      throw new IOException(suite + " encryption failed", e);
    }
    out.write(sealed, 0, HEADER + n);
    sequence++;
    written += len;
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
  }
}
