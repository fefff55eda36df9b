package dev.kes4j.http.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Go's {@code time.Time} JSON form: RFC 3339 with nanoseconds, trailing zeros trimmed, UTC. */
public final class GoTime {
  private static final DateTimeFormatter RFC3339_NANO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private GoTime() {}

  /** Formats {@code t} as Go marshals a UTC {@code time.Time}. */
  public static String format(Instant t) {
    String s = RFC3339_NANO.format(t);
    int dot = s.indexOf('.');
    int end = s.length() - 1; // before 'Z'
    while (end > dot && s.charAt(end - 1) == '0') {
      end--;
    }
    if (end == dot + 1) {
      end = dot; // no fraction left
    }
    return s.substring(0, end) + "Z";
  }
}
