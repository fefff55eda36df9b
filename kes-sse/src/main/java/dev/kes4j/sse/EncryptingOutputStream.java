package dev.kes4j.sse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Encrypts one object as it is written, from {@link ObjectEncryptor#encrypt}: a DARE 2.0 stream
 * under the object's fresh data key. {@link #close()} writes the final package and closes the
 * underlying stream; then {@link #metadata()} returns what must be stored with the object. Not
 * thread-safe; blocks as the underlying stream does.
 */
public final class EncryptingOutputStream extends OutputStream {
  private final DareWriter writer;
  private final String keyName;
  private final byte[] sealedKey;
  private byte[] objectKey;
  private ObjectMetadata metadata;

  EncryptingOutputStream(
      OutputStream out, String keyName, byte[] objectKey, byte[] sealedKey, CipherSuite suite) {
    this.keyName = keyName;
    this.sealedKey = sealedKey;
    this.objectKey = objectKey;
    this.writer = Dare.writer(out, objectKey, suite);
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

  /**
   * Writes the final package, closes the underlying stream, computes the metadata and forgets the
   * data key. Idempotent. If it throws, the object is incomplete and {@link #metadata()} stays
   * unavailable.
   */
  @Override
  public void close() throws IOException {
    if (objectKey == null) {
      return;
    }
    try {
      writer.close();
      List<Part> parts = List.of(new Part(0, writer.plaintextSize()));
      metadata =
          ObjectMetadata.of(keyName, sealedKey, parts, ObjectKeys.metadataMac(objectKey, parts));
    } finally {
      Arrays.fill(objectKey, (byte) 0);
      objectKey = null;
    }
  }

  /**
   * What to store with the object: key name, sealed data key, size and MAC.
   *
   * @throws IllegalStateException if the stream was not closed successfully
   */
  public ObjectMetadata metadata() {
    if (metadata == null) {
      throw new IllegalStateException("the object is complete only after close() succeeded");
    }
    return metadata;
  }
}
