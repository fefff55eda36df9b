package dev.kes4j.client.internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Receives a streamed response body and cuts it into lines for a consumer thread, with
 * back-pressure: no more body is requested while {@value #HIGH_WATER} lines wait unread. {@link
 * #close()} cancels the body (which closes the connection) and wakes a blocked consumer.
 *
 * <p>The JDK's HTTP client calls the subscriber methods; one consumer thread calls {@link #take} /
 * {@link #poll}; {@link #close()} may be called from any thread.
 */
public final class LineSubscriber implements HttpResponse.BodySubscriber<LineSubscriber> {
  private static final int HIGH_WATER = 1024;
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<LineSubscriber> body = CompletableFuture.completedFuture(this);
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final Object lock = new Object();
  private Flow.Subscription subscription; // guarded by lock
  private int buffered; // guarded by lock
  private boolean demandWithheld; // guarded by lock
  private boolean closed; // guarded by lock
  private volatile boolean ended;

  /** What ended the stream with a failure. */
  public static final class Failure {
    private final Throwable cause;

    Failure(Throwable cause) {
      this.cause = cause;
    }

    /** The failure. */
    public Throwable cause() {
      return cause;
    }
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    boolean cancel;
    synchronized (lock) {
      subscription = s;
      cancel = closed;
    }
    if (cancel) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    int lines = 0;
    for (ByteBuffer b : items) {
      while (b.hasRemaining()) {
        byte c = b.get();
        if (c == '\n') {
          lines += emit();
        } else {
          partial.write(c);
        }
      }
    }
    Flow.Subscription s;
    synchronized (lock) {
      if (closed) {
        return;
      }
      buffered += lines;
      if (buffered >= HIGH_WATER) {
        demandWithheld = true;
        return;
      }
      s = subscription;
    }
    s.request(1);
  }

  private int emit() {
    String line = new String(partial.toByteArray(), StandardCharsets.UTF_8);
    partial.reset();
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isBlank()) {
      return 0;
    }
    queue.add(line);
    return 1;
  }

  @Override
  public void onError(Throwable t) {
    queue.add(new Failure(t));
  }

  @Override
  public void onComplete() {
    if (partial.size() > 0) {
      emit();
    }
    queue.add(END);
  }

  @Override
  public CompletionStage<LineSubscriber> getBody() {
    return body;
  }

  /**
   * The next line, a {@link Failure}, or null once the stream has ended or was closed. Blocks until
   * one of them.
   */
  public Object take() throws InterruptedException {
    return consumed(ended ? END : queue.take());
  }

  /**
   * Like {@link #take} but waits at most {@code timeout}; returns {@link #TIMED_OUT} if nothing
   * arrived in time.
   */
  public Object poll(long timeout, TimeUnit unit) throws InterruptedException {
    if (ended) {
      return null;
    }
    Object o = queue.poll(timeout, unit);
    return o == null ? TIMED_OUT : consumed(o);
  }

  /** Returned by {@link #poll} when nothing arrived in time. */
  public static final Object TIMED_OUT = new Object();

  private Object consumed(Object o) {
    if (o == END) {
      ended = true;
      queue.add(END); // keep later calls from blocking
      return null;
    }
    if (o instanceof Failure) {
      ended = true;
      queue.add(END);
      return o;
    }
    Flow.Subscription s = null;
    synchronized (lock) {
      buffered--;
      if (demandWithheld && buffered < HIGH_WATER / 2 && !closed) {
        demandWithheld = false;
        s = subscription;
      }
    }
    if (s != null) {
      s.request(1);
    }
    return o;
  }

  /** Cancels the body and ends the stream for the consumer. Idempotent. */
  public void close() {
    Flow.Subscription s;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      s = subscription;
    }
    queue.clear();
    queue.add(END);
    if (s != null) {
      s.cancel();
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean closed() {
    synchronized (lock) {
      return closed;
    }
  }
}
