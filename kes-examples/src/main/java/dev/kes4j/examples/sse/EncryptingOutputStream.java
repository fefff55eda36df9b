package dev.kes4j.examples.sse;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/** Writer side of {@link ObjectCipher}. Not thread-safe. */
final class EncryptingOutputStream extends OutputStream {
  private final OutputStream out;
  private final SecretKeySpec key;
  private final byte[] header;
  private final Cipher cipher = ChunkFormat.newCipher();
  private final byte[] plain = new byte[ObjectCipher.CHUNK_SIZE];
  private final byte[] sealed = new byte[ChunkFormat.SEALED_CHUNK];
  private int buffered;
  private long index;
  private boolean closed;

  EncryptingOutputStream(OutputStream out, byte[] key) throws IOException {
    this.out = out;
    this.key = new SecretKeySpec(key, "AES");
    this.header = ChunkFormat.newHeader();
    out.write(header);
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
      if (buffered == plain.length) {
        // A full chunk is sealed only once more data arrives: if none does, close() seals it as
        // the final chunk.
        seal(false);
      }
      int n = Math.min(len, plain.length - buffered);
      System.arraycopy(b, off, plain, buffered, n);
      buffered += n;
      off += n;
      len -= n;
    }
  }

  /** Flushes {@code out}; a partly filled chunk stays buffered until it is full or closed. */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    out.flush();
  }

  /** Seals the final chunk (possibly empty) and closes the underlying stream. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      seal(true);
    } finally {
      closed = true;
      Arrays.fill(plain, (byte) 0);
      out.close();
    }
  }

  private void seal(boolean last) throws IOException {
    int n;
    try {
      ChunkFormat.init(cipher, Cipher.ENCRYPT_MODE, key, header, index, last);
      n = cipher.doFinal(plain, 0, buffered, sealed, 0);
    } catch (GeneralSecurityException e) {
      throw new IOException("AES-GCM encryption failed", e);
    }
    out.write(sealed, 0, n);
    index++;
    buffered = 0;
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
  }
}
