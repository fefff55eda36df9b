package dev.kes4j.core.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Data-key randomness: one {@code DRBG} {@link SecureRandom} per thread. The JDK's default
 * NativePRNG serialises every instance on one global lock (PERF-NOTES finding 3); per-thread DRBGs
 * scale, and each draw here is a single call.
 */
public final class Randoms {
  private static final ThreadLocal<SecureRandom> RANDOM =
      ThreadLocal.withInitial(
          () -> {
            try {
              return SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
              return new SecureRandom();
            }
          });

  private Randoms() {}

  /** {@code n} fresh random bytes. */
  public static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.get().nextBytes(b);
    return b;
  }
}
