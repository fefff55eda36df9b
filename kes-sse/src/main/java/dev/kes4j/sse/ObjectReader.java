package dev.kes4j.sse;

import dev.kes4j.sse.ObjectAuthenticationException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The plaintext of an object (or of a range of it) as one stream over its parts: opens one {@link
 * DareReader} per part in turn. In whole-object mode all parts come from one shared input, which
 * must end after the last part. Not thread-safe. Package-private.
 */
final class ObjectReader extends InputStream {
  /** Opens the reader of one part. */
  interface Segment {
    InputStream open() throws IOException;
  }

  private final Deque<Segment> segments;
  private final InputStream shared; // whole-object mode: the one ciphertext stream, else null
  private final String label;
  private InputStream current;
  private boolean closed;
  private IOException failure;

  ObjectReader(List<Segment> segments, InputStream shared, String label) {
    this.segments = new ArrayDeque<>(segments);
    this.shared = shared;
    this.label = label;
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
    try {
      while (true) {
        if (current == null) {
          Segment next = segments.poll();
          if (next == null) {
            return -1;
          }
          current = next.open();
          if (segments.isEmpty() && shared != null) {
            current = new TrailingCheck(current);
          }
        }
        int n = current.read(b, off, len);
        if (n >= 0) {
          return n;
        }
        current.close();
        current = null;
      }
    } catch (ObjectAuthenticationException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (current != null) {
        current.close();
      }
    } finally {
      if (shared != null) {
        shared.close();
      }
    }
  }

  /** After the last part of a whole object: the stored object must end there. */
  private final class TrailingCheck extends InputStream {
    private final InputStream last;

    TrailingCheck(InputStream last) {
      this.last = last;
    }

    @Override
    public int read() throws IOException {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = last.read(b, off, len);
      if (n < 0 && shared.read() >= 0) {
        throw new ObjectAuthenticationException(
            Reason.EXTENDED,
            label + ": data follows the object's last part (extended, or the metadata is stale)");
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      last.close();
    }
  }
}
