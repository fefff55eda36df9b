package dev.kes4j.sse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Where a range read gets its ciphertext: opens the stored object at a byte offset, so that only
 * the packages a range needs are read (for example a file channel positioned there, or an HTTP
 * {@code Range: bytes=offset-} request to a backend).
 *
 * <p>The stream returned must deliver the object's bytes from {@code offset} onwards (it may end
 * early only where the object ends); the caller closes it. Implementations must be safe for the use
 * their caller makes of them; the ones returned by {@link #of(Path)} and {@link #of(byte[])} are
 * thread-safe.
 */
@FunctionalInterface
public interface CiphertextSource {
  /**
   * Opens the ciphertext at {@code offset}.
   *
   * @param offset a byte offset into the stored (encrypted) object, {@code >= 0}
   * @return a stream positioned at {@code offset}, closed by the caller
   * @throws IOException if it cannot be opened
   */
  InputStream openAt(long offset) throws IOException;

  /** A file, opened afresh for every range, positioned with {@link FileChannel#position(long)}. */
  static CiphertextSource of(Path file) {
    Objects.requireNonNull(file, "file");
    return offset -> {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      try {
        ch.position(offset);
        return Channels.newInputStream(ch);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    };
  }

  /** Bytes in memory (not copied: the caller must not change them while ranges are read). */
  static CiphertextSource of(byte[] ciphertext) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    return offset -> {
      int from = (int) Math.min(offset, ciphertext.length);
      return new ByteArrayInputStream(ciphertext, from, ciphertext.length - from);
    };
  }
}
