package dev.kes4j.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Key cache expiry (spec §8). A zero duration disables that kind of expiry.
 *
 * @param any every {@code any}, all cached keys are dropped
 * @param unused a key not used for between {@code unused/2} and {@code unused} is dropped
 * @param offline while the key store is unreachable: if positive, the other two are suspended (so
 *     cached keys keep serving) and everything is dropped every {@code offline}; if zero, being
 *     offline changes nothing
 */
public record CacheConfig(Duration any, Duration unused, Duration offline) {

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if a duration is negative
   */
  public CacheConfig {
    Objects.requireNonNull(any, "any");
    Objects.requireNonNull(unused, "unused");
    Objects.requireNonNull(offline, "offline");
    if (any.isNegative() || unused.isNegative() || offline.isNegative()) {
      throw new IllegalArgumentException("cache expiry durations must not be negative");
    }
  }

  /**
   * KES's intended defaults: {@code any} 5 min, {@code unused} 30 s, {@code offline} off. (Go KES
   * has a bug that turns {@code any} into 30 s when {@code unused} is unset; not mirrored.)
   */
  public static CacheConfig kesDefaults() {
    return new CacheConfig(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ZERO);
  }

  /** No expiry at all: keys stay cached until deleted (KES 0.16's default). */
  public static CacheConfig none() {
    return new CacheConfig(Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }
}
