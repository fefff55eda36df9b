package dev.kes4j.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HeapObjectsTest {

  @Nested
  class RealInspection {
    @Test
    void countsAtLeastTheObjectsThisTestHolds() {
      List<Object> held = new ArrayList<>();
      for (int i = 0; i < 200_000; i++) {
        held.add(new Object());
      }
      long count = HeapObjects.every(Duration.ofMinutes(1)).count();
      assertThat(count).isGreaterThan(held.size());
      assertThat(held).hasSize(200_000); // held until after the count
    }

    @Test
    void zeroIntervalNeverInspects() {
      assertThat(HeapObjects.every(Duration.ZERO).count()).isZero();
    }
  }

  @Nested
  class RateLimit {
    final AtomicLong now = new AtomicLong(1_000);
    final AtomicInteger inspections = new AtomicInteger();

    HeapObjects counter(Duration interval) {
      return new HeapObjects(interval, now::get, () -> 100L * inspections.incrementAndGet());
    }

    @Test
    void countsOnFirstUseThenOncePerInterval() {
      HeapObjects h = counter(Duration.ofNanos(50));
      assertThat(h.count()).isEqualTo(100);
      now.addAndGet(49);
      assertThat(h.count()).isEqualTo(100);
      now.addAndGet(1);
      assertThat(h.count()).isEqualTo(200);
      assertThat(h.count()).isEqualTo(200);
      assertThat(inspections).hasValue(2);
    }

    @Test
    void zeroIntervalNeverCallsTheInspection() {
      HeapObjects h = counter(Duration.ZERO);
      assertThat(h.count()).isZero();
      now.addAndGet(1_000_000);
      assertThat(h.count()).isZero();
      assertThat(inspections).hasValue(0);
    }

    @Test
    void aCallerDuringAnInspectionGetsThePreviousCount() throws Exception {
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger calls = new AtomicInteger();
      HeapObjects h =
          new HeapObjects(
              Duration.ofNanos(1),
              now::incrementAndGet,
              () -> {
                if (calls.incrementAndGet() == 2) {
                  inside.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
                return 10L * calls.get();
              });
      assertThat(h.count()).isEqualTo(10);
      AtomicLong slow = new AtomicLong();
      Thread t = new Thread(() -> slow.set(h.count()));
      t.start();
      inside.await();
      assertThat(h.count()).isEqualTo(10); // no second walk, no waiting
      release.countDown();
      t.join();
      assertThat(slow).hasValue(20);
      assertThat(calls).hasValue(2);
    }

    /** A counter whose inspection answers 42 for the first {@code successes} calls, then fails. */
    HeapObjects failingAfter(int successes) {
      return new HeapObjects(
          Duration.ofNanos(1),
          now::incrementAndGet,
          () -> {
            if (inspections.incrementAndGet() > successes) {
              throw new IllegalStateException("GC.class_histogram failed");
            }
            return 42L;
          });
    }

    @Test
    void aJvmThatCannotInspectReportsZeroAndStopsTrying() {
      HeapObjects h = failingAfter(0);
      assertThat(h.count()).isZero();
      assertThat(h.count()).isZero();
      assertThat(inspections).hasValue(1);
    }

    @Test
    void anInspectionThatFailsAfterACountDropsTheStaleCount() {
      HeapObjects h = failingAfter(1);
      assertThat(h.count()).isEqualTo(42);
      assertThat(h.count()).isZero();
      assertThat(h.count()).isZero();
      assertThat(inspections).hasValue(2);
    }
  }

  @Nested
  class HistogramTotal {
    @Test
    void readsTheObjectCountOfTheTotalLine() {
      String histogram =
          " num     #instances         #bytes  class name (module)\n"
              + "-------------------------------------------------------\n"
              + "   1:         72946        6419048  [B (java.base@25)\n"
              + "   2:         10403         998688  java.lang.Class (java.base@25)\n"
              + "Total        279211       25886248\n";
      assertThat(HeapObjects.total(histogram)).isEqualTo(279_211);
    }

    @Test
    void aHistogramWithoutTotalIsAnError() {
      assertThatThrownBy(() -> HeapObjects.total("   1:  7  48  [B\nTotals x y\n"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("no Total line in the class histogram");
      assertThatThrownBy(() -> HeapObjects.total("\nTotal many 1\n"))
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
