package dev.kes4j.client;

import dev.kes4j.api.KesException;
import dev.kes4j.client.internal.LineSubscriber;
import dev.kes4j.client.internal.Transport.Response;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * server ended the stream or {@link #close()} was called. It waits without a time limit, also for
 * the server's first answer: Go KES sends a log stream's headers only with its first event. {@link
 * #close()} may be called from any thread, also while another thread is blocked in {@link
 * #hasNext()}: it cancels the response, closes its connection and wakes that thread. Iteration
 * itself is for one thread at a time.
 */
public final class LogStream implements Iterator<String>, AutoCloseable {
  private final CompletableFuture<Response> response;
  private final String source;
  private final Runnable onClose;
  private volatile boolean closed;
  private LineSubscriber lines;
  private String next;
  private boolean done;

  LogStream(CompletableFuture<Response> response, String source, Runnable onClose) {
    this.response = response;
    this.source = source;
    this.onClose = onClose;
  }

  /**
   * The line source once the server answered 200; null if it has not answered within {@code nanos}
   * (negative: wait without limit) or the stream is over ({@link #done} set).
   *
   * @throws KesException the server's error answer, or why the exchange failed
   */
  private LineSubscriber lines(long nanos) throws InterruptedException {
    if (lines != null) {
      return lines;
    }
    Response r;
    try {
      r = nanos < 0 ? response.get() : response.get(nanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (CancellationException e) {
      done = true;
      return null; // closed while waiting for the headers
    } catch (ExecutionException e) {
      done = true;
      if (closed) {
        return null;
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof KesException) {
        throw (KesException) cause;
      }
      throw new KesException(503, "log stream from " + source + " failed: " + cause, cause);
    }
    if (!r.ok()) {
      done = true;
      throw r.error();
    }
    lines = r.lines();
    if (closed) {
      lines.close();
    }
    return lines;
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
      LineSubscriber l = lines(-1);
      return l != null && accept(l.take());
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
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        LineSubscriber l = lines(Math.max(0, timeout.toNanos()));
        if (l != null) {
          Object o = l.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          if (o != LineSubscriber.TIMED_OUT) {
            accept(o);
          }
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
      if (closed || lines.closed()) {
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
    return next != null || (!done && !closed && (lines == null || !lines.closed()));
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
    closed = true;
    if (!response.cancel(true) && !response.isCompletedExceptionally()) {
      Response r = response.join(); // completed: close its body
      if (r.lines() != null) {
        r.lines().close();
      }
    }
    onClose.run();
  }

  @Override
  public String toString() {
    return "LogStream[" + source + (isOpen() ? "" : ", closed") + "]";
  }
}
