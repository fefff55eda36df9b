package dev.kes4j.api.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one Go-time codec of kes4j: RFC 3339 times as Go's {@code time.Time} marshals them to JSON
 * ({@code RFC3339Nano}: four-digit year, fraction without trailing zeros and omitted when zero, UTC
 * written as {@code Z}), and parsing as {@code time.Time.UnmarshalJSON} does. Go's {@code
 * MarshalJSON} returns an error for years outside 0..9999, so {@link #format} refuses such times
 * (callers decide: the key-blob writer refuses the key, HTTP answers fail) rather than printing
 * {@code +10000}. Internal: exported only to kes4j modules. Stateless and thread-safe.
 */
public final class GoTime {
  private static final Pattern RFC3339 =
      Pattern.compile(
          "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?(Z|([+-])(\\d{2}):(\\d{2}))");

  private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private GoTime() {}

  /** Whether Go can marshal {@code t} to JSON (years 0 through 9999). */
  public static boolean marshallable(Instant t) {
    return !t.isBefore(MIN) && !t.isAfter(MAX);
  }

  /**
   * Formats like Go's {@code time.Time.MarshalJSON} for a UTC time (without the quotes).
   *
   * @throws IllegalArgumentException if the year is outside 0..9999
   */
  public static String format(Instant t) {
    if (!marshallable(t)) {
      throw new IllegalArgumentException("time outside years 0..9999 cannot be written as JSON");
    }
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(30);
    pad(sb, d.getYear(), 4).append('-');
    pad(sb, d.getMonthValue(), 2).append('-');
    pad(sb, d.getDayOfMonth(), 2).append('T');
    pad(sb, d.getHour(), 2).append(':');
    pad(sb, d.getMinute(), 2).append(':');
    pad(sb, d.getSecond(), 2);
    int nanos = t.getNano();
    if (nanos != 0) {
      StringBuilder frac = new StringBuilder();
      pad(frac, nanos, 9);
      int len = 9;
      while (frac.charAt(len - 1) == '0') {
        len--;
      }
      sb.append('.').append(frac, 0, len);
    }
    return sb.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  /**
   * Parses an RFC 3339 time as Go's {@code time.Time.UnmarshalJSON} does (without the quotes):
   * seconds required, any fraction (digits beyond nanoseconds are dropped), {@code Z} or a {@code
   * ±hh:mm} offset.
   *
   * @throws IllegalArgumentException if malformed or out of range
   */
  public static Instant parse(String s) {
    Matcher m = RFC3339.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an RFC 3339 time");
    }
    try {
      int nanos = 0;
      String frac = m.group(7);
      if (frac != null) {
        String nine = (frac + "000000000").substring(0, 9);
        nanos = Integer.parseInt(nine);
      }
      int offsetSeconds = 0;
      if (m.group(9) != null) {
        int oh = Integer.parseInt(m.group(10));
        int om = Integer.parseInt(m.group(11));
        if (oh > 23 || om > 59) {
          throw new IllegalArgumentException("offset out of range");
        }
        offsetSeconds = (oh * 3600 + om * 60) * (m.group(9).equals("-") ? -1 : 1);
      }
      LocalDateTime local =
          LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)),
              Integer.parseInt(m.group(6)),
              nanos);
      return local.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("time out of range", e);
    }
  }
}
