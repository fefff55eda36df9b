package dev.kes4j.http.internal;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Rate-limits the "why was this client refused" log lines: at most one line per key (such as a
 * reason plus an identity or address) per interval; the next line after a quiet spell says how many
 * were suppressed. Memory is bounded (old keys are dropped beyond {@value #MAX_KEYS}). Thread-safe;
 * never blocks beyond the sink.
 */
public final class RefusalLog {
  static final int MAX_KEYS = 4096;

  private final long intervalMillis;
  private final LongSupplier millis;
  private final Consumer<String> sink;
  private final Map<String, long[]> last = new ConcurrentHashMap<>();

  /**
   * A log writing to {@code sink}.
   *
   * @param interval the least time between two lines of one key
   * @param millis the clock, in milliseconds
   * @param sink where lines go
   */
  public RefusalLog(Duration interval, LongSupplier millis, Consumer<String> sink) {
    this.intervalMillis = interval.toMillis();
    this.millis = Objects.requireNonNull(millis, "millis");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /**
   * Writes {@code message} unless a line with the same key was written within the interval.
   *
   * @return whether the line was written
   */
  public boolean log(String key, String message) {
    long now = millis.getAsLong();
    long[] state; // {last written, suppressed since}
    long suppressed;
    if (last.size() >= MAX_KEYS) {
      prune(now);
    }
    state = last.computeIfAbsent(key, k -> new long[] {Long.MIN_VALUE, 0});
    synchronized (state) {
      if (state[0] != Long.MIN_VALUE && now - state[0] < intervalMillis) {
        state[1]++;
        return false;
      }
      state[0] = now;
      suppressed = state[1];
      state[1] = 0;
    }
    sink.accept(suppressed == 0 ? message : message + " (" + suppressed + " similar suppressed)");
    return true;
  }

  private void prune(long now) {
    for (Iterator<long[]> it = last.values().iterator(); it.hasNext(); ) {
      long[] s = it.next();
      if (now - s[0] >= intervalMillis) {
        it.remove();
      }
    }
    if (last.size() >= MAX_KEYS) {
      last.clear();
    }
  }

  /**
   * Escapes control characters so that a request cannot forge log lines, and cuts very long values.
   */
  public static String clean(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 512) + 8);
    for (int i = 0; i < s.length() && i < 512; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > 512) {
      b.append('…');
    }
    return b.toString();
  }
}
