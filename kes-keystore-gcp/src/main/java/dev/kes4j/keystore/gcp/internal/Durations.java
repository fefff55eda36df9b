package dev.kes4j.keystore.gcp.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/** Parses Go duration strings ({@code 500ms}, {@code 5s}, {@code 1m30s}, {@code 1.5s}). */
public final class Durations {
  private Durations() {}

  /**
   * Parses a Go duration.
   *
   * @throws IllegalArgumentException if the text is not a valid Go duration
   */
  public static Duration parseGo(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    if (s.isEmpty()) {
      throw new IllegalArgumentException("invalid duration: " + text);
    }
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      if (start == i) {
        throw new IllegalArgumentException("invalid duration: " + text);
      }
      BigDecimal number;
      try {
        number = new BigDecimal(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid duration: " + text, e);
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      long unit =
          switch (s.substring(unitStart, i)) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalArgumentException("invalid duration unit: " + text);
          };
      nanos = nanos.add(number.multiply(BigDecimal.valueOf(unit)));
    }
    Duration d;
    try {
      d = Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration out of range: " + text, e);
    }
    return negative ? d.negated() : d;
  }
}
