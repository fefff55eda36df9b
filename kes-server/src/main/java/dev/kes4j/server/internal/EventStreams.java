package dev.kes4j.server.internal;

import dev.kes4j.http.ApiResponse;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What HTTP/1.1 and HTTP/2 share when they serve a streamed response (the log streams): the bound
 * on each chunk's write, and running the stream on its own pool. Stateless.
 */
final class EventStreams {
  /** A client that has not taken a chunk within this many seconds is treated as gone. */
  private static final long SEND_BOUND_SECONDS = 10;

  private EventStreams() {}

  /**
   * Blocks until a chunk's write completes.
   *
   * @throws IOException if it failed or did not complete within the bound ({@code client went
   *     away}), or the thread was interrupted
   */
  static void awaitSent(Future<?> write) throws IOException {
    try {
      if (!write.await(SEND_BOUND_SECONDS, TimeUnit.SECONDS) || !write.isSuccess()) {
        throw new IOException("client went away");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  /**
   * Runs {@code stream} into {@code sink} on {@code pool}; {@code end} runs after it whether it
   * ended, failed or the client left. If the pool refuses the stream (the server is stopping),
   * {@code refused} runs instead, on the calling thread.
   */
  static void run(
      ExecutorService pool,
      ApiResponse.EventStream stream,
      ApiResponse.EventSink sink,
      Runnable end,
      Runnable refused) {
    try {
      pool.execute(
          () -> {
            try {
              stream.run(sink);
            } catch (IOException | RuntimeException e) {
              // the client left or the stream failed: end the response either way
            } finally {
              end.run();
            }
          });
    } catch (RejectedExecutionException e) {
      refused.run();
    }
  }
}
