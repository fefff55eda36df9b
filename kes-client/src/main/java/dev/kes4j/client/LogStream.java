package dev.kes4j.client;

import dev.kes4j.api.KesException;
import dev.kes4j.client.internal.LineSubscriber;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A live KES log stream ({@code /v1/log/audit} or {@code /v1/log/error}): each element is one raw
 * JSON line as the server sent it, such as an audit event {@code
 * {"time":..,"request":{..},"response":{..}}} or an error event {@code {"message":".."}}.
 *
 * <pre>{@code
 * try (LogStream log = client.auditLog()) {
 *   while (log.hasNext()) {
 *     System.out.println(log.next());
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #hasNext()} blocks until a line arrives or the stream ends; it returns false once the
 * server ended the stream or {@link #close()} was called. {@link #close()} may be called from any
 * thread, also while another thread is blocked in {@link #hasNext()}: it cancels the response,
 * closes its connection and wakes that thread. Iteration itself is for one thread at a time.
 */
public final class LogStream implements Iterator<String>, AutoCloseable {
  private final LineSubscriber lines;
  private final String source;
  private final Runnable onClose;
  private String next;
  private boolean done;

  LogStream(LineSubscriber lines, String source, Runnable onClose) {
    this.lines = lines;
    this.source = source;
    this.onClose = onClose;
  }

  /**
   * Whether another line follows; blocks until one arrives or the stream ends.
   *
   * @throws KesException 503 if the connection failed (not when it was closed by {@link #close()})
   */
  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    if (done) {
      return false;
    }
    try {
      return accept(lines.take());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KesException(503, "interrupted while reading the log stream from " + source, e);
    }
  }

  /**
   * The next line; blocks like {@link #hasNext()}.
   *
   * @throws NoSuchElementException if the stream has ended
   */
  @Override
  public String next() {
    if (!hasNext()) {
      throw new NoSuchElementException("log stream ended");
    }
    String line = next;
    next = null;
    return line;
  }

  /**
   * The next line if one arrives within {@code timeout}; empty if none did or the stream has ended
   * (tell the two apart with {@link #isOpen()}).
   *
   * @throws KesException 503 if the connection failed
   */
  public Optional<String> poll(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (next == null && !done) {
      try {
        Object o = lines.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        if (o != LineSubscriber.TIMED_OUT) {
          accept(o);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KesException(503, "interrupted while reading the log stream from " + source, e);
      }
    }
    String line = next;
    next = null;
    return Optional.ofNullable(line);
  }

  private boolean accept(Object o) {
    if (o == null) {
      done = true;
      return false;
    }
    if (o instanceof LineSubscriber.Failure) {
      done = true;
      if (lines.closed()) {
        return false;
      }
      Throwable cause = ((LineSubscriber.Failure) o).cause();
      throw new KesException(503, "log stream from " + source + " failed: " + cause, cause);
    }
    next = (String) o;
    return true;
  }

  /** Whether the stream may still deliver lines (not closed, not ended by the server). */
  public boolean isOpen() {
    return next != null || (!done && !lines.closed());
  }

  /**
   * The remaining lines as a sequential {@link Stream}; closing the stream closes this log stream.
   */
  public Stream<String> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(this::close);
  }

  @Override
  public void forEachRemaining(Consumer<? super String> action) {
    Objects.requireNonNull(action, "action");
    while (hasNext()) {
      action.accept(next());
    }
  }

  /** Ends the stream and closes its connection. Idempotent; never blocks for long. */
  @Override
  public void close() {
    lines.close();
    onClose.run();
  }

  @Override
  public String toString() {
    return "LogStream[" + source + (lines.closed() ? ", closed" : "") + "]";
  }
}
