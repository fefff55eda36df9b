package dev.kes4j.core.internal;

import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.core.CacheConfig;
import dev.kes4j.core.KesListener;
import dev.kes4j.crypto.KeyBlobs;
import dev.kes4j.crypto.KeyVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The key cache of spec §8, minus the Go bugs: decoded keys by name in front of the key store,
 * single-flight fills, expiry {@code any} / {@code unused} / {@code offline}, and the status probe
 * that switches offline mode.
 *
 * <p>Thread-safe. No lock is held across key store I/O, and no I/O runs inside a map's compute
 * function: one thread per name fetches, the others wait on its future. {@link #maintain()} runs
 * the sweeps and the probe that are due on the injected clock; the engine calls it periodically.
 */
public final class KeyCache {
  private static final class Entry {
    final KeyVersion key;
    volatile boolean used = true;

    Entry(KeyVersion key) {
      this.key = key;
    }
  }

  private final KeyStore store;
  private final CacheConfig config;
  private final Duration probeInterval;
  private final Clock clock;
  private final KesListener listener;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<KeyVersion>> loading =
      new ConcurrentHashMap<>();
  private final AtomicLong evictions = new AtomicLong();

  private volatile boolean offline;
  private volatile Duration lastLatency = Duration.ZERO;

  // sweep deadlines; only touched by maintain(), which is synchronized
  private Instant nextAny;
  private Instant nextUnused;
  private Instant nextOffline;
  private Instant nextProbe;

  /** Creates a cache over {@code store}; sweeps and probes are scheduled from {@code clock.now}. */
  public KeyCache(
      KeyStore store,
      CacheConfig config,
      Duration probeInterval,
      Clock clock,
      KesListener listener) {
    this.store = store;
    this.config = config;
    this.probeInterval = probeInterval;
    this.clock = clock;
    this.listener = listener;
    Instant now = clock.instant();
    this.nextAny = positive(config.any()) ? now.plus(config.any()) : null;
    this.nextUnused = positive(config.unused()) ? now.plus(config.unused().dividedBy(2)) : null;
    this.nextProbe = positive(probeInterval) ? now.plus(probeInterval) : null;
  }

  private static boolean positive(Duration d) {
    return !d.isZero() && !d.isNegative();
  }

  /**
   * Returns the key, from the cache or — once for all concurrent callers — from the store.
   *
   * @throws KesException what the store or the key blob parser threw
   */
  public KeyVersion get(String name) {
    Entry e = entries.get(name);
    if (e != null) {
      if (!e.used) {
        e.used = true;
      }
      listener.cacheHit(name);
      return e.key;
    }
    listener.cacheMiss(name);
    return load(name);
  }

  private KeyVersion load(String name) {
    CompletableFuture<KeyVersion> mine = new CompletableFuture<>();
    CompletableFuture<KeyVersion> running = loading.putIfAbsent(name, mine);
    if (running != null) {
      return await(running);
    }
    try {
      Entry cached = entries.get(name); // filled while we raced for the slot?
      if (cached != null) {
        mine.complete(cached.key);
        return cached.key;
      }
      long epoch = evictions.get();
      KeyVersion key = KeyBlobs.parse(ask(() -> store.get(name)));
      Entry entry = new Entry(key);
      entries.put(name, entry);
      if (evictions.get() != epoch) {
        entries.remove(name, entry); // a delete raced with this fetch: don't resurrect the key
      }
      mine.complete(key);
      return key;
    } catch (RuntimeException ex) {
      mine.completeExceptionally(ex);
      throw ex;
    } finally {
      loading.remove(name, mine);
    }
  }

  private static KeyVersion await(CompletableFuture<KeyVersion> future) {
    try {
      return future.join();
    } catch (CompletionException ex) {
      if (ex.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw ex;
    }
  }

  /** Drops the entry for {@code name}, and any fetch of it still running. */
  public void evict(String name) {
    evictions.incrementAndGet();
    entries.remove(name);
  }

  /** Whether {@code name} is cached now (it may expire a moment later). */
  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /** Number of cached keys. */
  public int size() {
    return entries.size();
  }

  /** Whether the last probe found the key store unreachable. */
  public boolean offline() {
    return offline;
  }

  /**
   * Runs a call to the key store. Any answer — a value, or that a key exists or does not — proves
   * the store reachable, so offline mode (and readiness) ends with it rather than at the next
   * probe. Cheap when online.
   *
   * @throws RuntimeException what the call threw
   */
  public <T> T ask(Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (KeyExistsException | KeyNotFoundException e) {
      answered();
      throw e;
    }
    answered();
    return result;
  }

  private void answered() {
    if (offline) {
      setOffline(false);
    }
  }

  /** Latency of the last successful probe; zero before the first. */
  public Duration lastLatency() {
    return lastLatency;
  }

  /**
   * Probes the key store now and updates offline mode.
   *
   * @return whether the store was reachable
   */
  public boolean probe() {
    boolean reachable;
    try {
      lastLatency = store.status();
      reachable = true;
    } catch (KesException | IllegalStateException e) {
      reachable = false;
    }
    setOffline(!reachable);
    return reachable;
  }

  private synchronized void setOffline(boolean value) {
    if (offline == value) {
      return;
    }
    offline = value;
    if (value && positive(config.offline())) {
      nextOffline = clock.instant().plus(config.offline());
    }
    listener.offlineChanged(value);
  }

  /** Runs every sweep and probe that is due at the clock's current time. */
  public synchronized void maintain() {
    Instant now = clock.instant();
    if (nextProbe != null && !now.isBefore(nextProbe)) {
      nextProbe = now.plus(probeInterval);
      probe();
    }
    if (offline && positive(config.offline())) {
      if (nextOffline != null && !now.isBefore(nextOffline)) {
        entries.clear();
        nextOffline = now.plus(config.offline());
      }
      return; // spec §8: the any/unused sweeps are suspended while offline
    }
    if (nextAny != null && !now.isBefore(nextAny)) {
      entries.clear();
      nextAny = now.plus(config.any());
    }
    if (nextUnused != null && !now.isBefore(nextUnused)) {
      for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Entry> e = it.next();
        if (e.getValue().used) {
          e.getValue().used = false;
        } else {
          it.remove();
        }
      }
      nextUnused = now.plus(config.unused().dividedBy(2));
    }
  }

  /** How often {@link #maintain()} should run to honour every deadline closely. */
  public Duration tickPeriod() {
    Duration tick = Duration.ofSeconds(1);
    for (Duration d :
        new Duration[] {
          config.any(), config.unused().dividedBy(2), config.offline(), probeInterval
        }) {
      if (positive(d) && d.compareTo(tick) < 0) {
        tick = d;
      }
    }
    return tick.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : tick;
  }
}
