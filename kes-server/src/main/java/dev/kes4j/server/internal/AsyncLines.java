package dev.kes4j.server.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes lines to a stream from a background thread, so request threads never wait on stdout.
 * Buffered; flushed whenever the queue runs empty. Lines are dropped when 65,536 are pending.
 * Thread-safe.
 */
public final class AsyncLines implements AutoCloseable {
  private static final String STOP = new String("stop");

  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(1 << 16);
  private final Thread thread;

  /** Starts the writer thread. */
  public AsyncLines(PrintStream out, String threadName) {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    thread = new Thread(() -> run(w), threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues one line (without newline). Never blocks. */
  public void add(String line) {
    queue.offer(line);
  }

  private void run(Writer w) {
    List<String> batch = new ArrayList<>(256);
    try {
      while (true) {
        String first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 4096);
        for (String line : batch) {
          if (line == STOP) {
            w.flush();
            return;
          }
          w.write(line);
          w.write('\n');
        }
        batch.clear();
        if (queue.isEmpty()) {
          w.flush();
        }
      }
    } catch (IOException | InterruptedException e) {
      // stdout closed or shutting down
    }
  }

  /** Writes what is queued and stops. */
  @Override
  public void close() {
    try {
      queue.put(STOP);
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
