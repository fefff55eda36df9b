package dev.kes4j.http.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The number of objects on the JVM heap, reachable or not yet collected — what Go reports as {@code
 * runtime.MemStats.HeapObjects} — for the {@code kes_system_mem_heap_objects} gauge.
 *
 * <p>The JVM keeps no such count. It is taken by a heap inspection, the diagnostic command {@code
 * GC.class_histogram -all}: no collection is forced, but the heap is walked while every thread is
 * stopped, 10–40 ns per object (10–19 ms for the reference server's heap, 51 ms for 5.4 million
 * objects; docs/performance.md). So {@link #count} inspects at most once per interval and otherwise
 * returns the last count; with {@link Duration#ZERO} it never inspects and returns 0. On a JVM
 * without the diagnostic command the count stays 0 (logged once).
 *
 * <p>Thread-safe. {@link #count} blocks for the inspection when the last one is older than the
 * interval; a caller arriving during an inspection gets the previous count instead of waiting.
 */
public final class HeapObjects {
  private static final Logger LOG = LoggerFactory.getLogger(HeapObjects.class);

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final LongSupplier inspection;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile long count;
  private volatile long countedAt;
  private volatile boolean counted;
  private volatile boolean unavailable;

  /** Counts by heap inspection at most once per {@code interval} (not negative); zero = never. */
  public static HeapObjects every(Duration interval) {
    return new HeapObjects(interval, System::nanoTime, HeapObjects::inspect);
  }

  HeapObjects(Duration interval, LongSupplier nanoTime, LongSupplier inspection) {
    this.intervalNanos = interval.toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.inspection = Objects.requireNonNull(inspection, "inspection");
  }

  /** The last count, taken now if the last one is older than the interval; 0 if never counted. */
  public long count() {
    if (intervalNanos == 0 || unavailable) {
      return count;
    }
    if ((!counted || nanoTime.getAsLong() - countedAt >= intervalNanos) && lock.tryLock()) {
      try {
        if (!counted || nanoTime.getAsLong() - countedAt >= intervalNanos) {
          count = inspection.getAsLong();
          countedAt = nanoTime.getAsLong();
          counted = true;
        }
      } catch (RuntimeException e) {
        unavailable = true;
        count = 0;
        LOG.warn(
            "kes_system_mem_heap_objects stays 0: this JVM cannot inspect its heap ({})",
            e.toString());
      } finally {
        lock.unlock();
      }
    }
    return count;
  }

  /**
   * One heap inspection: the object total of the {@code GC.class_histogram -all} diagnostic command
   * (its last line reads {@code Total <objects> <bytes>}).
   *
   * @throws IllegalStateException if the JVM has no such command or its answer has no total
   */
  static long inspect() {
    String out;
    try {
      out =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "gcClassHistogram",
                      new Object[] {new String[] {"-all"}},
                      new String[] {String[].class.getName()});
    } catch (Exception e) { // JMException or a JVM without com.sun.management
      throw new IllegalStateException("GC.class_histogram failed: " + e, e);
    }
    return total(out);
  }

  /**
   * The object count in a class histogram's {@code Total} line.
   *
   * @throws IllegalStateException if there is none
   */
  static long total(String histogram) {
    int at = histogram.lastIndexOf("\nTotal ");
    if (at >= 0) {
      String[] fields = histogram.substring(at + 1).trim().split("\\s+");
      if (fields.length >= 2 && fields[1].chars().allMatch(Character::isDigit)) {
        return Long.parseLong(fields[1]);
      }
    }
    throw new IllegalStateException("no Total line in the class histogram");
  }
}
