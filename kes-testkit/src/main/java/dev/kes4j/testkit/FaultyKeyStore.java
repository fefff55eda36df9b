package dev.kes4j.testkit;

import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.Page;
import dev.kes4j.api.spi.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link KeyStore} that wraps another and injects faults: latency, failures of the next calls,
 * outages, flapping and random failures. Use it to test what sits above a store (caches, offline
 * mode, retries, error mapping) without a real broken backend.
 *
 * <pre>{@code
 * FaultyKeyStore store = FaultyKeyStore.wrap(new MemKeyStore());
 * store.outage();                 // every call now throws KeyStoreUnreachableException
 * store.recover();                // healthy again
 * store.only(Operation.GET).failNext(2);           // the next two gets fail
 * store.latency(Duration.ofMillis(50));            // every get now takes ≥ 50 ms
 * long gets = store.calls(Operation.GET);
 * }</pre>
 *
 * <p><b>How a call runs.</b> Once closed, every call throws {@link IllegalStateException}, whatever
 * the faults. Otherwise the call is counted in {@link #calls}; if its operation is in the fault
 * scope ({@link #only}; all operations by default) it is first delayed by the {@link #latency} and
 * then fails if, checked in this order, an {@link #outage()} is on, {@link #flapping} is in a down
 * phase, a {@link #failNext} budget remains (using one up), or the {@link #failRate} draw says so.
 * A failed call never reaches the wrapped store, so it has no effect there; a call that passes all
 * checks is delegated unchanged, and the wrapped store's own results and exceptions pass through.
 *
 * <p><b>Injected errors</b> are, unless {@link #failNext(int, Supplier)} names another, a new
 * {@link KeyStoreUnreachableException} (502) with the KES message of the operation: {@code failed
 * to create key}, {@code failed to read key}, {@code failed to delete key}, {@code failed to list
 * keys}, and {@code key store is not reachable} for {@code status} (see {@link
 * Operation#message()}). A latency cut short by an interrupt throws a {@link
 * KeyStoreUnreachableException} with status 504 (a deadline passed) and keeps the thread's
 * interrupt flag set.
 *
 * <p><b>Time.</b> {@link #flapping} phases follow the {@link InstantSource} given to {@link
 * #wrap(KeyStore, InstantSource)}, so tests can move time by hand; latency is real ({@link
 * Thread#sleep}), so that a caller's timeout or interrupt can cut it short.
 *
 * <p>Thread-safe: faults may be changed while other threads call the store; each call sees the
 * settings of the moment it checks them. Configuration methods return {@code this} for chaining and
 * never block.
 */
public final class FaultyKeyStore implements KeyStore {

  /** The operations of a {@link KeyStore}, for {@link #only} and the counters. */
  public enum Operation {
    /** {@link KeyStore#create}. */
    CREATE("failed to create key"),
    /** {@link KeyStore#get}. */
    GET("failed to read key"),
    /** {@link KeyStore#delete}. */
    DELETE("failed to delete key"),
    /** {@link KeyStore#list}. */
    LIST("failed to list keys"),
    /** {@link KeyStore#status}. */
    STATUS("key store is not reachable");

    private final String message;

    Operation(String message) {
      this.message = message;
    }

    /**
     * The KES error message for this operation failing at the store (spec §1.2, §5.3): {@code
     * failed to create key}, {@code failed to read key}, {@code failed to delete key}, {@code
     * failed to list keys}, or {@code key store is not reachable} for {@link #STATUS}.
     */
    public String message() {
      return message;
    }

    /** A new {@link KeyStoreUnreachableException} (502) with {@link #message()} and no cause. */
    public KeyStoreUnreachableException unreachable() {
      return new KeyStoreUnreachableException(false, message, null);
    }
  }

  private record FailNext(AtomicInteger remaining, Function<Operation, RuntimeException> error) {}

  private record Flapping(Instant start, Duration up, Duration down) {
    boolean isDown(Instant now) {
      long elapsed = Math.max(0, Duration.between(start, now).toNanos());
      long cycle = up.toNanos() + down.toNanos();
      return elapsed % cycle >= up.toNanos();
    }
  }

  private record FailRate(double probability, Random random) {
    boolean draw() {
      synchronized (random) {
        return random.nextDouble() < probability;
      }
    }
  }

  /** Thread.sleep's longest wait; longer latencies are cut to it (it is 292 million years). */
  private static final Duration LONGEST_SLEEP = Duration.ofMillis(Long.MAX_VALUE);

  private final KeyStore delegate;
  private final InstantSource time;
  private final Map<Operation, AtomicLong> calls = new EnumMap<>(Operation.class);
  private final Map<Operation, AtomicLong> failures = new EnumMap<>(Operation.class);

  private volatile Duration latency = Duration.ZERO;
  private volatile Set<Operation> scope =
      Collections.unmodifiableSet(EnumSet.allOf(Operation.class));
  private volatile boolean outage;
  private volatile Flapping flapping;
  private volatile FailNext failNext;
  private volatile FailRate failRate;
  private volatile boolean closed;

  private FaultyKeyStore(KeyStore delegate, InstantSource time) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.time = Objects.requireNonNull(time, "time");
    for (Operation op : Operation.values()) {
      calls.put(op, new AtomicLong());
      failures.put(op, new AtomicLong());
    }
  }

  /**
   * Wraps {@code delegate} with no faults, timing {@link #flapping} by the system clock.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  public static FaultyKeyStore wrap(KeyStore delegate) {
    return new FaultyKeyStore(delegate, InstantSource.system());
  }

  /**
   * Wraps {@code delegate} with no faults, timing {@link #flapping} by {@code time}; pass a source
   * the test controls, such as {@code () -> now.get()} over an {@code AtomicReference<Instant>}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static FaultyKeyStore wrap(KeyStore delegate, InstantSource time) {
    return new FaultyKeyStore(delegate, time);
  }

  /** The wrapped store. */
  public KeyStore delegate() {
    return delegate;
  }

  // --- configuration ---------------------------------------------------------------------------

  /**
   * Delays every call in scope by {@code latency} before anything else happens, with {@link
   * Thread#sleep} (so an interrupt cuts it short). {@link Duration#ZERO} removes the delay.
   *
   * @throws IllegalArgumentException if {@code latency} is negative
   * @throws NullPointerException if {@code latency} is null
   */
  public FaultyKeyStore latency(Duration latency) {
    Objects.requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + latency);
    }
    this.latency = latency;
    return this;
  }

  /**
   * Makes the next {@code n} calls in scope fail with {@link Operation#unreachable()}; replaces any
   * earlier {@code failNext} budget. {@code n = 0} cancels it.
   *
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public FaultyKeyStore failNext(int n) {
    return failNext(n, Operation::unreachable);
  }

  /**
   * Makes the next {@code n} calls in scope throw {@code error.get()}; replaces any earlier {@code
   * failNext} budget. {@code n = 0} cancels it. Use it to inject other errors, such as a {@link
   * dev.kes4j.api.KesException} 502 or a timed-out {@link KeyStoreUnreachableException}.
   *
   * @throws IllegalArgumentException if {@code n} is negative
   * @throws NullPointerException if {@code error} is null, or (at call time) returns null
   */
  public FaultyKeyStore failNext(int n, Supplier<? extends RuntimeException> error) {
    Objects.requireNonNull(error, "error");
    return failNext(n, op -> Objects.requireNonNull(error.get(), "error.get()"));
  }

  private FaultyKeyStore failNext(int n, Function<Operation, RuntimeException> error) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative: " + n);
    }
    failNext = n == 0 ? null : new FailNext(new AtomicInteger(n), error);
    return this;
  }

  /**
   * Starts an outage: every call in scope fails with {@link Operation#unreachable()} until {@link
   * #recover()}.
   */
  public FaultyKeyStore outage() {
    outage = true;
    return this;
  }

  /**
   * Ends every injected failure: the outage, flapping, the {@link #failNext} budget and the {@link
   * #failRate}. Latency, the scope and the counters stay.
   */
  public FaultyKeyStore recover() {
    outage = false;
    flapping = null;
    failNext = null;
    failRate = null;
    return this;
  }

  /**
   * Makes the store flap, starting now (by the time source): up (healthy) for {@code up}, then down
   * (every call in scope fails with {@link Operation#unreachable()}) for {@code down}, then up
   * again, and so on until {@link #recover()}. Replaces earlier flapping.
   *
   * @throws IllegalArgumentException if a duration is zero or negative, or their sum exceeds 292
   *     years
   * @throws NullPointerException if a duration is null
   */
  public FaultyKeyStore flapping(Duration up, Duration down) {
    Objects.requireNonNull(up, "up");
    Objects.requireNonNull(down, "down");
    if (up.isNegative() || up.isZero() || down.isNegative() || down.isZero()) {
      throw new IllegalArgumentException("up and down must be positive: " + up + ", " + down);
    }
    try {
      Math.addExact(up.toNanos(), down.toNanos());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("up + down must be shorter than 292 years", e);
    }
    flapping = new Flapping(time.instant(), up, down);
    return this;
  }

  /**
   * Makes each call in scope fail with {@link Operation#unreachable()} with the given probability,
   * drawn from a {@link Random} seeded with {@code seed}: the same sequence of calls fails the same
   * way in every run (with several threads the order of draws is up to the scheduler). Replaces an
   * earlier rate; {@code 0} removes it.
   *
   * @throws IllegalArgumentException if {@code probability} is not within [0, 1]
   */
  public FaultyKeyStore failRate(double probability, long seed) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be within [0, 1]: " + probability);
    }
    failRate = probability == 0 ? null : new FailRate(probability, new Random(seed));
    return this;
  }

  /**
   * Restricts every fault (latency included) to these operations; calls of other operations go
   * straight to the wrapped store. With no arguments, faults apply to every operation again (the
   * default). A {@link #failNext} budget is only used up by calls in scope.
   *
   * @throws NullPointerException if an operation is null
   */
  public FaultyKeyStore only(Operation... operations) {
    EnumSet<Operation> set = EnumSet.noneOf(Operation.class);
    for (Operation op : operations) {
      set.add(Objects.requireNonNull(op, "operation"));
    }
    scope =
        Collections.unmodifiableSet(operations.length == 0 ? EnumSet.allOf(Operation.class) : set);
    return this;
  }

  // --- counters --------------------------------------------------------------------------------

  /**
   * How many calls of {@code operation} were made while the store was open, whether they failed,
   * were injected a fault or passed through, since creation or {@link #resetCounters()}.
   */
  public long calls(Operation operation) {
    return calls.get(Objects.requireNonNull(operation, "operation")).get();
  }

  /**
   * How many calls of {@code operation} failed because of an injected fault (including an
   * interrupted latency); failures of the wrapped store itself are not counted.
   */
  public long failures(Operation operation) {
    return failures.get(Objects.requireNonNull(operation, "operation")).get();
  }

  /** Sets every counter back to zero. */
  public FaultyKeyStore resetCounters() {
    for (Operation op : Operation.values()) {
      calls.get(op).set(0);
      failures.get(op).set(0);
    }
    return this;
  }

  // --- KeyStore --------------------------------------------------------------------------------

  /**
   * Injects the faults in effect for {@link Operation#CREATE}, then delegates.
   *
   * @throws KeyStoreUnreachableException (or the {@link #failNext(int, Supplier)} error) when a
   *     fault is injected, or whatever the wrapped store throws
   * @throws IllegalStateException if this store is closed
   */
  @Override
  public void create(String name, byte[] value) {
    before(Operation.CREATE);
    delegate.create(name, value);
  }

  /**
   * Injects the faults in effect for {@link Operation#GET}, then delegates.
   *
   * @throws KeyStoreUnreachableException (or the {@link #failNext(int, Supplier)} error) when a
   *     fault is injected, or whatever the wrapped store throws
   * @throws IllegalStateException if this store is closed
   */
  @Override
  public byte[] get(String name) {
    before(Operation.GET);
    return delegate.get(name);
  }

  /**
   * Injects the faults in effect for {@link Operation#DELETE}, then delegates.
   *
   * @throws KeyStoreUnreachableException (or the {@link #failNext(int, Supplier)} error) when a
   *     fault is injected, or whatever the wrapped store throws
   * @throws IllegalStateException if this store is closed
   */
  @Override
  public void delete(String name) {
    before(Operation.DELETE);
    delegate.delete(name);
  }

  /**
   * Injects the faults in effect for {@link Operation#LIST}, then delegates.
   *
   * @throws KeyStoreUnreachableException (or the {@link #failNext(int, Supplier)} error) when a
   *     fault is injected, or whatever the wrapped store throws
   * @throws IllegalStateException if this store is closed
   */
  @Override
  public Page<String> list(String prefix, String continueAt, int limit) {
    before(Operation.LIST);
    return delegate.list(prefix, continueAt, limit);
  }

  /**
   * Injects the faults in effect for {@link Operation#STATUS}, then delegates. The latency returned
   * is the wrapped store's; injected latency is not added to it.
   *
   * @throws KeyStoreUnreachableException (or the {@link #failNext(int, Supplier)} error) when a
   *     fault is injected, or whatever the wrapped store throws
   * @throws IllegalStateException if this store is closed
   */
  @Override
  public Duration status() {
    before(Operation.STATUS);
    return delegate.status();
  }

  /** Closes this store and the wrapped one. Idempotent; never throws. */
  @Override
  public void close() {
    closed = true;
    delegate.close();
  }

  @Override
  public String toString() {
    return "FaultyKeyStore["
        + delegate
        + ", scope="
        + scope
        + ", latency="
        + latency
        + (outage ? ", outage" : "")
        + (flapping != null ? ", flapping" : "")
        + (failNext != null ? ", failNext=" + failNext.remaining().get() : "")
        + (failRate != null ? ", failRate=" + failRate.probability() : "")
        + (closed ? ", closed" : "")
        + "]";
  }

  private void before(Operation op) {
    if (closed) {
      throw new IllegalStateException("key store is closed");
    }
    calls.get(op).incrementAndGet();
    if (!scope.contains(op)) {
      return;
    }
    sleep(op, latency);
    RuntimeException error = injected(op);
    if (error != null) {
      failures.get(op).incrementAndGet();
      throw error;
    }
  }

  private RuntimeException injected(Operation op) {
    if (outage) {
      return op.unreachable();
    }
    Flapping f = flapping;
    if (f != null && f.isDown(time.instant())) {
      return op.unreachable();
    }
    FailNext next = failNext;
    if (next != null && next.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      return next.error().apply(op);
    }
    FailRate rate = failRate;
    if (rate != null && rate.draw()) {
      return op.unreachable();
    }
    return null;
  }

  private void sleep(Operation op, Duration delay) {
    if (delay.isZero()) {
      return;
    }
    Duration d = delay.compareTo(LONGEST_SLEEP) > 0 ? LONGEST_SLEEP : delay;
    try {
      Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's code must still see the interrupt
      failures.get(op).incrementAndGet();
      throw new KeyStoreUnreachableException(true, op.message(), e);
    }
  }
}
