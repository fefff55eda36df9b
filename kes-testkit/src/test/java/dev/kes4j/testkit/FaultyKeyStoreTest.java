package dev.kes4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.testkit.FaultyKeyStore.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class FaultyKeyStoreTest {
  private static final byte[] VALUE = "value".getBytes(StandardCharsets.UTF_8);

  private SimpleMapKeyStore backend;
  private AtomicReference<Instant> now;
  private FaultyKeyStore store;

  @BeforeEach
  void setUp() {
    backend = new SimpleMapKeyStore();
    backend.create("existing", VALUE);
    now = new AtomicReference<>(Instant.parse("2024-01-01T00:00:00Z"));
    store = FaultyKeyStore.wrap(backend, () -> now.get());
  }

  /** Calls {@code op} once with arguments that succeed on a healthy store. */
  private void call(Operation op) {
    switch (op) {
      case CREATE -> store.create("new-" + System.nanoTime(), VALUE);
      case GET -> store.get("existing");
      case DELETE -> {
        store.delete("existing");
        backend.create("existing", VALUE);
      }
      case LIST -> store.list("", "", 0);
      case STATUS -> store.status();
    }
  }

  private boolean fails(Operation op) {
    try {
      call(op);
      return false;
    } catch (KeyStoreUnreachableException e) {
      return true;
    }
  }

  private void advance(Duration d) {
    now.updateAndGet(t -> t.plus(d));
  }

  static Stream<Arguments> messages() {
    return Stream.of(
        Arguments.of(Operation.CREATE, "failed to create key"),
        Arguments.of(Operation.GET, "failed to read key"),
        Arguments.of(Operation.DELETE, "failed to delete key"),
        Arguments.of(Operation.LIST, "failed to list keys"),
        Arguments.of(Operation.STATUS, "key store is not reachable"));
  }

  @Nested
  class Outage {
    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("dev.kes4j.testkit.FaultyKeyStoreTest#messages")
    void failsEveryOperationWithItsKesMessage(Operation op, String message) {
      store.outage();
      assertThatThrownBy(() -> call(op))
          .isInstanceOf(KeyStoreUnreachableException.class)
          .hasMessage(message)
          .extracting(e -> ((KesException) e).status())
          .isEqualTo(502);
      assertThat(op.message()).isEqualTo(message);
      assertThat(store.failures(op)).isEqualTo(1);
    }

    @Test
    void failedCallsDoNotReachTheWrappedStore() {
      store.outage();
      assertThatThrownBy(() -> store.create("lost", VALUE))
          .isInstanceOf(KeyStoreUnreachableException.class);
      assertThatThrownBy(() -> store.delete("existing"))
          .isInstanceOf(KeyStoreUnreachableException.class);
      assertThatThrownBy(() -> backend.get("lost")).isInstanceOf(KeyNotFoundException.class);
      assertThat(backend.get("existing")).isEqualTo(VALUE);
    }

    @Test
    void recoverRestoresService() {
      store.outage();
      assertThat(fails(Operation.GET)).isTrue();
      store.recover();
      assertThat(store.get("existing")).isEqualTo(VALUE);
      assertThat(store.status()).isEqualTo(Duration.ZERO);
    }

    @Test
    void recoverEndsEveryInjectedFailureButKeepsScope() {
      store.only(Operation.GET).outage().failNext(5).failRate(1.0, 1).flapping(ofSec(1), ofSec(1));
      store.recover();
      for (int i = 0; i < 10; i++) {
        advance(ofSec(1));
        assertThat(fails(Operation.GET)).isFalse();
      }
      store.outage();
      assertThat(fails(Operation.LIST)).as("LIST is out of scope").isFalse();
      assertThat(fails(Operation.GET)).isTrue();
    }
  }

  @Nested
  class FailNext {
    @Test
    void failsExactlyTheNextCalls() {
      store.failNext(2);
      assertThat(fails(Operation.GET)).isTrue();
      assertThat(fails(Operation.LIST)).isTrue();
      assertThat(fails(Operation.GET)).isFalse();
      assertThat(store.failures(Operation.GET)).isEqualTo(1);
      assertThat(store.failures(Operation.LIST)).isEqualTo(1);
    }

    @Test
    void throwsTheSuppliedError() {
      store.failNext(1, () -> new KesException(502, "failed to read key"));
      assertThatThrownBy(() -> store.get("existing"))
          .isExactlyInstanceOf(KesException.class)
          .hasMessage("failed to read key");
      assertThat(store.get("existing")).isEqualTo(VALUE);
    }

    @Test
    void zeroCancelsAndALaterCallReplaces() {
      store.failNext(3).failNext(0);
      assertThat(fails(Operation.GET)).isFalse();
      store.failNext(5).failNext(1);
      assertThat(fails(Operation.GET)).isTrue();
      assertThat(fails(Operation.GET)).isFalse();
    }

    @Test
    void onlyCallsInScopeUseTheBudget() {
      store.only(Operation.CREATE).failNext(1);
      assertThat(fails(Operation.GET)).isFalse();
      assertThat(fails(Operation.LIST)).isFalse();
      assertThat(fails(Operation.CREATE)).isTrue();
      assertThat(fails(Operation.CREATE)).isFalse();
    }

    @Test
    void budgetIsExactUnderConcurrency() throws Exception {
      store.failNext(100);
      AtomicInteger failed = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          futures.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 50; i++) {
                      try {
                        store.get("existing");
                      } catch (KeyStoreUnreachableException e) {
                        failed.incrementAndGet();
                      }
                    }
                  }));
        }
        for (Future<?> f : futures) {
          f.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(failed).hasValue(100);
      assertThat(store.calls(Operation.GET)).isEqualTo(400);
      assertThat(store.failures(Operation.GET)).isEqualTo(100);
    }

    @Test
    void rejectsNegativeCounts() {
      assertThatThrownBy(() -> store.failNext(-1)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class FailRate {
    private List<Boolean> pattern(FaultyKeyStore s, int calls) {
      List<Boolean> out = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        try {
          s.status();
          out.add(false);
        } catch (KeyStoreUnreachableException e) {
          out.add(true);
        }
      }
      return out;
    }

    @Test
    void sameSeedFailsTheSameCalls() {
      List<Boolean> a = pattern(FaultyKeyStore.wrap(new SimpleMapKeyStore()).failRate(0.3, 7), 200);
      List<Boolean> b = pattern(FaultyKeyStore.wrap(new SimpleMapKeyStore()).failRate(0.3, 7), 200);
      List<Boolean> c = pattern(FaultyKeyStore.wrap(new SimpleMapKeyStore()).failRate(0.3, 8), 200);
      assertThat(a).isEqualTo(b).isNotEqualTo(c);
      long failures = a.stream().filter(x -> x).count();
      assertThat(failures).isBetween(30L, 90L); // 0.3 × 200 = 60, fixed by the seed
    }

    @Test
    void zeroNeverFailsAndOneAlwaysFails() {
      assertThat(pattern(store.failRate(0, 1), 50)).containsOnly(false);
      assertThat(pattern(store.failRate(1, 1), 50)).containsOnly(true);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(doubles = {-0.1, 1.1, Double.NaN})
    void rejectsInvalidProbabilities(double p) {
      assertThatThrownBy(() -> store.failRate(p, 1)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Flapping {
    @Test
    void alternatesUpAndDownByTheTimeSource() {
      store.flapping(ofSec(10), ofSec(5));
      assertThat(fails(Operation.GET)).as("t=0").isFalse();
      advance(Duration.ofMillis(9_999));
      assertThat(fails(Operation.GET)).as("t=9.999").isFalse();
      advance(Duration.ofMillis(1));
      assertThat(fails(Operation.GET)).as("t=10").isTrue();
      assertThat(fails(Operation.STATUS)).as("t=10 status").isTrue();
      advance(Duration.ofMillis(4_999));
      assertThat(fails(Operation.GET)).as("t=14.999").isTrue();
      advance(Duration.ofMillis(1));
      assertThat(fails(Operation.GET)).as("t=15").isFalse();
      advance(ofSec(10));
      assertThat(fails(Operation.GET)).as("t=25").isTrue();
      advance(ofSec(15 * 1000));
      assertThat(fails(Operation.GET)).as("t=15025").isTrue();
      store.recover();
      assertThat(fails(Operation.GET)).as("recovered").isFalse();
    }

    @Test
    void timeGoingBackwardsCountsAsUp() {
      store.flapping(ofSec(1), ofSec(1));
      now.updateAndGet(t -> t.minusSeconds(30));
      assertThat(fails(Operation.GET)).isFalse();
    }

    @Test
    void rejectsNonPositiveDurations() {
      assertThatThrownBy(() -> store.flapping(Duration.ZERO, ofSec(1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.flapping(ofSec(1), ofSec(-1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () -> store.flapping(Duration.ofDays(200 * 365), Duration.ofDays(200 * 365)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Latency {
    @Test
    void delaysCallsInScope() {
      store.latency(Duration.ofMillis(30));
      long start = System.nanoTime();
      assertThat(store.get("existing")).isEqualTo(VALUE);
      // a lower bound only: Thread.sleep never wakes early
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(30_000_000L);
    }

    @Test
    void anInterruptCutsItShortWith504() throws Exception {
      store.latency(Duration.ofHours(1));
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicBoolean interruptedAfter = new AtomicBoolean();
      Thread caller =
          new Thread(
              () -> {
                try {
                  store.get("existing");
                } catch (RuntimeException e) {
                  thrown.set(e);
                }
                interruptedAfter.set(Thread.currentThread().isInterrupted());
              });
      caller.start();
      while (store.calls(Operation.GET) == 0) {
        Thread.onSpinWait();
      }
      caller.interrupt();
      caller.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(caller.isAlive()).isFalse();
      assertThat(thrown.get())
          .isInstanceOf(KeyStoreUnreachableException.class)
          .hasMessage("failed to read key")
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(((KesException) thrown.get()).status()).isEqualTo(504);
      assertThat(interruptedAfter).isTrue();
      assertThat(store.failures(Operation.GET)).isEqualTo(1);
    }

    @Test
    void zeroRemovesItAndNegativeIsRejected() {
      store.latency(Duration.ofHours(1)).latency(Duration.ZERO);
      assertThat(store.get("existing")).isEqualTo(VALUE);
      assertThatThrownBy(() -> store.latency(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appliesOnlyInScope() {
      store.only(Operation.CREATE).latency(Duration.ofHours(1));
      assertThat(store.get("existing")).isEqualTo(VALUE); // would hang for an hour otherwise
    }
  }

  @Nested
  class Scope {
    @ParameterizedTest
    @EnumSource(Operation.class)
    void restrictsFaultsToTheNamedOperations(Operation only) {
      store.only(only).outage();
      for (Operation op : Operation.values()) {
        assertThat(fails(op)).as("%s while only %s is faulty", op, only).isEqualTo(op == only);
      }
    }

    @Test
    void noArgumentsMeansEveryOperation() {
      store.only(Operation.GET).only().outage();
      for (Operation op : Operation.values()) {
        assertThat(fails(op)).as(op.name()).isTrue();
      }
    }
  }

  @Nested
  class Counters {
    @Test
    void countEveryCallAndEveryInjectedFailure() {
      store.get("existing");
      store.list("", "", 0);
      assertThatThrownBy(() -> store.get("missing")).isInstanceOf(KeyNotFoundException.class);
      store.failNext(1);
      assertThat(fails(Operation.GET)).isTrue();
      assertThat(store.calls(Operation.GET)).isEqualTo(3);
      assertThat(store.calls(Operation.LIST)).isEqualTo(1);
      assertThat(store.calls(Operation.CREATE)).isZero();
      assertThat(store.failures(Operation.GET))
          .as("the wrapped store's own KeyNotFoundException is not an injected failure")
          .isEqualTo(1);
      store.resetCounters();
      for (Operation op : Operation.values()) {
        assertThat(store.calls(op)).isZero();
        assertThat(store.failures(op)).isZero();
      }
    }
  }

  @Nested
  class Close {
    @Test
    void closesTheWrappedStoreAndWinsOverFaults() {
      store.outage().latency(Duration.ofHours(1));
      store.close();
      assertThatCode(store::close).doesNotThrowAnyException();
      List<Consumer<FaultyKeyStore>> calls =
          List.of(
              s -> s.create("x", VALUE),
              s -> s.get("existing"),
              s -> s.delete("existing"),
              s -> s.list("", "", 0),
              FaultyKeyStore::status);
      for (Consumer<FaultyKeyStore> c : calls) {
        assertThatThrownBy(() -> c.accept(store)).isInstanceOf(IllegalStateException.class);
      }
      assertThatThrownBy(() -> backend.get("existing")).isInstanceOf(IllegalStateException.class);
      for (Operation op : Operation.values()) {
        assertThat(store.calls(op)).as("calls after close are not counted").isZero();
      }
    }
  }

  @Test
  void toStringShowsTheFaultsButNoValues() {
    store.outage().failNext(2);
    assertThat(store.toString()).contains("outage", "failNext=2").doesNotContain("value");
    assertThat(store.delegate()).isSameAs(backend);
  }

  private static Duration ofSec(long s) {
    return Duration.ofSeconds(s);
  }
}
