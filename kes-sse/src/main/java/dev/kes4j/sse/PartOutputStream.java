package dev.kes4j.sse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Encrypts one part of a multipart upload as it is written, from {@link
 * MultipartUpload#encryptPart}: its own DARE 2.0 stream (sequence numbers from 0, its own random
 * nonce) under the part's key. {@link #close()} writes the final package and closes the underlying
 * stream; then {@link #part()} returns the part to pass to {@link MultipartUpload#complete}. Not
 * thread-safe; blocks as the underlying stream does.
 */
public final class PartOutputStream extends OutputStream {
  private final DareWriter writer;
  private final int number;
  private Part part;
  private boolean closed;

  PartOutputStream(OutputStream out, int number, byte[] partKey, CipherSuite suite) {
    this.number = number;
    this.writer = Dare.writer(out, partKey, suite);
  }

  @Override
  public void write(int b) throws IOException {
    writer.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    writer.write(b, off, len);
  }

  /** Flushes the underlying stream; up to 64 KiB of plaintext stay buffered until close. */
  @Override
  public void flush() throws IOException {
    writer.flush();
  }

  /** Writes the final package and closes the underlying stream. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    writer.close();
    part = new Part(number, writer.plaintextSize());
  }

  /**
   * The part's number and plaintext size.
   *
   * @throws IllegalStateException if the stream was not closed successfully
   */
  public Part part() {
    if (part == null) {
      throw new IllegalStateException("the part is complete only after close() succeeded");
    }
    return part;
  }
}
