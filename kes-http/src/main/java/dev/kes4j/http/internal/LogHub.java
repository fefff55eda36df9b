package dev.kes4j.http.internal;

import dev.kes4j.http.ApiResponse;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Fans log lines (audit events, error messages) out to live subscribers of the streaming log
 * routes. Each subscriber has a bounded queue; a subscriber that falls behind loses lines rather
 * than slowing the publisher. {@link #publish} never blocks. Thread-safe.
 */
public final class LogHub {
  private static final byte[] CLOSE = new byte[0];
  private static final int CAPACITY = 4096;

  private final CopyOnWriteArrayList<BlockingQueue<byte[]>> subscribers =
      new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** Whether anyone is listening (callers may skip building lines otherwise). */
  public boolean hasSubscribers() {
    return !subscribers.isEmpty();
  }

  /** Sends one line (with its trailing newline) to every subscriber. Never blocks. */
  public void publish(byte[] line) {
    for (BlockingQueue<byte[]> q : subscribers) {
      q.offer(line); // full queue: the slow subscriber drops this line
    }
  }

  /**
   * A stream that subscribes when it starts and writes every published line until the client goes
   * away (the sink fails or reports closed) or the hub closes. Blocks while it runs.
   */
  public ApiResponse.EventStream stream() {
    return sink -> {
      BlockingQueue<byte[]> q = new ArrayBlockingQueue<>(CAPACITY);
      subscribers.add(q);
      try {
        while (!closed) {
          byte[] line = q.poll(1, TimeUnit.SECONDS);
          if (line == CLOSE) {
            return;
          }
          if (line != null) {
            sink.send(line);
          } else if (!sink.isOpen()) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      } finally {
        subscribers.remove(q);
      }
    };
  }

  /** Ends every running stream. Idempotent. */
  public void close() {
    closed = true;
    for (BlockingQueue<byte[]> q : subscribers) {
      q.clear();
      q.offer(CLOSE);
    }
  }
}
