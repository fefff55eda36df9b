package dev.kes4j.core;

import java.time.Duration;

/**
 * Observes the engine, for metrics. Every method has a no-op default; implementations must be
 * thread-safe, fast and must not throw — they run on the caller's thread.
 */
public interface KesListener {
  /** A listener that ignores everything; the default. */
  KesListener NONE = new KesListener() {};

  /**
   * An operation ended.
   *
   * @param path the request path the HTTP API would use ({@code /v1/key/generate/my-key})
   * @param status 200 on success, otherwise the error's HTTP status
   * @param duration how long it took
   */
  default void operationEnded(String path, int status, Duration duration) {}

  /** A key was served from the cache. */
  default void cacheHit(String keyName) {}

  /** A key was not cached and had to be fetched from the key store. */
  default void cacheMiss(String keyName) {}

  /** The key store probe found the store unreachable ({@code true}) or reachable again. */
  default void offlineChanged(boolean offline) {}
}
