package dev.kes4j.benchmarks;

import dev.kes4j.api.KeyInfo;
import dev.kes4j.core.CacheConfig;
import dev.kes4j.core.Kes;
import dev.kes4j.keystore.mem.MemKeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cache-miss path under two threads: every call first expires the cache, so both threads miss
 * on the same key and the single-flight fill collapses them onto one key store read plus one
 * key-blob decode. Measures the miss path's own cost over the in-memory store (a real store adds
 * its network round trip).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
public class CacheMissBenchmark {

  /** An engine whose {@code any} expiry is due on every maintenance run. */
  @State(Scope.Benchmark)
  public static class Engine {
    Kes kes;

    @Setup(Level.Trial)
    public void setUp() {
      kes =
          Kes.builder()
              .keyStore(new MemKeyStore())
              .cache(new CacheConfig(Duration.ofNanos(1), Duration.ZERO, Duration.ZERO))
              .probeInterval(Duration.ZERO)
              .manualMaintenance()
              .build();
      kes.createKey("bench-key");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      kes.close();
    }
  }

  /** Expire everything, then read the key: a miss, shared by whichever threads race for it. */
  @Benchmark
  public KeyInfo missThenFill(Engine e) {
    e.kes.runMaintenance();
    return e.kes.describeKey("bench-key");
  }
}
