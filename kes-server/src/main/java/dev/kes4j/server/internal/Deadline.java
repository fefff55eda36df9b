package dev.kes4j.server.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection's timer that is cheap to arm and disarm once per request: arming writes a time and
 * schedules a task only when none is pending early enough; disarming writes a flag. When the task
 * runs it either finds the timer disarmed (and ends), armed for later (and reschedules itself for
 * the rest), or expired (and runs the action). On a keep-alive connection under load that is one
 * scheduled task per timeout period instead of a schedule and a cancel per request, which a profile
 * showed in the event loop's timer queue.
 *
 * <p>Confined to the connection's event loop: every method must be called on it.
 */
final class Deadline {
  private final EventExecutor loop;
  private final Runnable onExpiry;
  private boolean armed;
  private long at; // System.nanoTime() when it expires, while armed
  private ScheduledFuture<?> task;
  private long taskAt; // when the pending task runs

  /**
   * @param loop the connection's event loop
   * @param onExpiry what runs (on the loop) when an armed deadline passes
   */
  Deadline(EventExecutor loop, Runnable onExpiry) {
    this.loop = loop;
    this.onExpiry = onExpiry;
  }

  /** Arms (or re-arms) the deadline to expire {@code nanos} from now. */
  void arm(long nanos) {
    at = System.nanoTime() + nanos;
    armed = true;
    if (task != null && taskAt - at > 0) {
      task.cancel(false); // pending for later than this deadline: replace it
      task = null;
    }
    if (task == null) {
      schedule(nanos);
    }
  }

  /** Whether the deadline is armed. */
  boolean armed() {
    return armed;
  }

  /** Disarms it; a pending task finds nothing to do. */
  void disarm() {
    armed = false;
  }

  /** Disarms it and drops the pending task (the connection is closing). */
  void cancel() {
    armed = false;
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  private void schedule(long nanos) {
    taskAt = at;
    task = loop.schedule(this::fire, nanos, TimeUnit.NANOSECONDS);
  }

  private void fire() {
    task = null;
    if (!armed) {
      return;
    }
    long left = at - System.nanoTime();
    if (left > 0) {
      schedule(left);
      return;
    }
    armed = false;
    onExpiry.run();
  }
}
