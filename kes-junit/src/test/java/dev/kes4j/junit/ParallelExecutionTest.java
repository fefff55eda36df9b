package dev.kes4j.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.core.Kes;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Under JUnit's parallel execution (every test and class concurrent), tests that share an engine
 * never overlap, keys stay fresh per test, and per-test engines run side by side.
 */
class ParallelExecutionTest {
  static final Map<String, String> PARALLEL =
      Map.of(
          "junit.jupiter.execution.parallel.enabled", "true",
          "junit.jupiter.execution.parallel.mode.default", "concurrent",
          "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
          "junit.jupiter.execution.parallel.config.strategy", "fixed",
          "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");

  static final AtomicInteger runningA = new AtomicInteger();
  static final AtomicInteger runningB = new AtomicInteger();
  static final AtomicInteger overlapsA = new AtomicInteger();
  static final AtomicInteger overlapsB = new AtomicInteger();

  @Test
  void sharedEnginesSerializeTheirTestsAndKeysStayFresh() {
    overlapsA.set(0);
    overlapsB.set(0);
    SharedByField.overlaps.set(0);
    EngineExecutionResults r =
        EngineRuns.run(
            PARALLEL, SharedA.class, SharedB.class, SharedByField.class, PerTestEngines.class);
    assertThat(EngineRuns.failures(r)).isEmpty();
    r.testEvents().assertStatistics(s -> s.started(80).succeeded(80));
    assertThat(overlapsA).hasValue(0);
    assertThat(overlapsB).hasValue(0);
    assertThat(SharedByField.overlaps).hasValue(0);
  }

  static void exercise(Kes kes, AtomicInteger running, AtomicInteger overlaps) {
    if (running.incrementAndGet() != 1) {
      overlaps.incrementAndGet();
    }
    try {
      assertThat(kes.listKeys("*", "", 0).items()).containsExactly("k");
      kes.createKey("mine");
      kes.deleteKey("k");
      assertThat(kes.listKeys("*", "", 0).items()).containsExactly("mine");
    } finally {
      running.decrementAndGet();
    }
  }

  @KesTest(keys = "k")
  static class SharedA {
    @RepeatedTest(20)
    void test(Kes kes) {
      exercise(kes, runningA, overlapsA);
    }
  }

  @KesTest(keys = "k")
  static class SharedB {
    @RepeatedTest(20)
    void test(Kes kes) {
      exercise(kes, runningB, overlapsB);
    }
  }

  /** No resource lock: the extension's own guard keeps the tests apart. */
  static class SharedByField {
    static final AtomicInteger running = new AtomicInteger();
    static final AtomicInteger overlaps = new AtomicInteger();

    @org.junit.jupiter.api.extension.RegisterExtension
    static KesExtension kes = KesExtension.builder().keys("k").build();

    @RepeatedTest(20)
    void test(Kes kes) {
      exercise(kes, running, overlaps);
    }
  }

  @KesTest(keys = "k", scope = KesTest.Scope.PER_TEST)
  static class PerTestEngines {
    @RepeatedTest(20)
    void test(Kes kes) {
      assertThat(kes.listKeys("*", "", 0).items()).containsExactly("k");
      kes.createKey("mine");
      kes.deleteKey("k");
      assertThat(kes.listKeys("*", "", 0).items()).containsExactly("mine");
    }
  }
}
