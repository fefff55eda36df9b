package dev.kes4j.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Deadline} on a real event loop, with short times. */
class DeadlineTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private final DefaultEventLoop loop = new DefaultEventLoop();
  private final AtomicInteger expired = new AtomicInteger();
  private final AtomicLong expiredAt = new AtomicLong();
  private final Deadline deadline =
      new Deadline(
          loop,
          () -> {
            expiredAt.set(System.nanoTime());
            expired.incrementAndGet();
          });

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private <T> T onLoop(Callable<T> c) throws Exception {
    return loop.submit(c).get(5, TimeUnit.SECONDS);
  }

  /** Arms the deadline for 50 ms on the loop and, in the same task, runs {@code then}. */
  private void armAndThen(Runnable then) throws Exception {
    onLoop(
        () -> {
          deadline.arm(50 * MS);
          then.run();
          return null;
        });
  }

  /** Arms the deadline on the loop; returns when it was armed. */
  private long arm(long nanos) throws Exception {
    return onLoop(
        () -> {
          deadline.arm(nanos);
          return System.nanoTime();
        });
  }

  @Test
  void anArmedDeadlineExpiresOnceAfterItsTime() throws Exception {
    long armedAt = arm(50 * MS);
    Thread.sleep(300);
    assertThat(expired).hasValue(1);
    assertThat(expiredAt.get() - armedAt).isGreaterThanOrEqualTo(50 * MS);
    assertThat(onLoop(deadline::armed)).isFalse();
  }

  @Test
  void aDisarmedDeadlineNeverExpires() throws Exception {
    armAndThen(deadline::disarm);
    Thread.sleep(300);
    assertThat(expired).hasValue(0);
  }

  @Test
  void reArmingPushesTheExpiryBack() throws Exception {
    // re-armed every 20 ms with a 300 ms deadline: it must not expire meanwhile, only 300 ms after
    // the last arming (measured on the loop, so a slow sleep on a busy machine does not matter)
    long firstArmedAt = arm(300 * MS);
    long lastArmedAt = firstArmedAt;
    for (int i = 0; i < 9; i++) {
      Thread.sleep(20);
      lastArmedAt = arm(300 * MS);
    }
    assertThat(expired).hasValue(0);
    Thread.sleep(800);
    assertThat(expired).hasValue(1);
    assertThat(expiredAt.get() - lastArmedAt).isGreaterThanOrEqualTo(300 * MS);
  }

  @Test
  void aShorterDeadlineReplacesALaterPendingOne() throws Exception {
    arm(TimeUnit.SECONDS.toNanos(10));
    long armedAt = arm(50 * MS);
    Thread.sleep(400);
    assertThat(expired).hasValue(1);
    assertThat(expiredAt.get() - armedAt).isBetween(50 * MS, TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void aDisarmedThenReArmedDeadlineExpiresAtTheNewTime() throws Exception {
    armAndThen(deadline::disarm);
    Thread.sleep(100); // the old task has run and found nothing to do
    long armedAt = arm(50 * MS);
    Thread.sleep(300);
    assertThat(expired).hasValue(1);
    assertThat(expiredAt.get() - armedAt).isGreaterThanOrEqualTo(50 * MS);
  }

  @Test
  void cancelDropsThePendingTask() throws Exception {
    armAndThen(deadline::cancel);
    Thread.sleep(300);
    assertThat(expired).hasValue(0);
  }
}
