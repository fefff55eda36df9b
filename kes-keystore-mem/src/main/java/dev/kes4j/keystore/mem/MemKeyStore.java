package dev.kes4j.keystore.mem;

import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.Page;
import dev.kes4j.api.spi.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link KeyStore} that keeps name → bytes in memory (spec §5.5): the store behind {@code kes4j
 * server --dev} and a convenient store for tests. Nothing survives the process.
 *
 * <ul>
 *   <li>{@link #create} stores a copy of the value only if the name is free; of many concurrent
 *       creates of one name exactly one wins.
 *   <li>{@link #get} returns a fresh copy on every call.
 *   <li>{@link #list} returns names in ascending {@link String#compareTo} order, paged as the
 *       {@link KeyStore} contract describes.
 *   <li>{@link #status} never fails while open and returns a fixed latency of {@link
 *       #STATUS_LATENCY} (1 ms), as KES's in-memory store reports; measuring a map lookup would
 *       only report noise.
 * </ul>
 *
 * <p>Names are not validated beyond being non-empty: the engine enforces KES's naming rules (spec
 * §6), and a store must be able to hold names that older KES versions accepted. The empty name is
 * refused because the empty string means "no further page" in a {@link Page}.
 *
 * <p>Values may hold up to {@link #MAX_VALUE_SIZE} bytes (1 MiB, the cap KES reads values with,
 * spec §5.1); the empty value is allowed.
 *
 * <p>Thread-safe and non-blocking: backed by a {@link ConcurrentSkipListMap}. Listing is weakly
 * consistent: a page reflects the map at some point during the call. After {@link #close()} every
 * method throws {@link IllegalStateException}.
 */
public final class MemKeyStore implements KeyStore {

  /** The largest value {@link #create} accepts: 1 MiB = 1,048,576 bytes (spec §5.1). */
  public static final int MAX_VALUE_SIZE = 1 << 20;

  /** What {@link #status()} reports: 1 ms, the latency KES's in-memory store reports (§5.5). */
  public static final Duration STATUS_LATENCY = Duration.ofMillis(1);

  private final ConcurrentSkipListMap<String, byte[]> entries = new ConcurrentSkipListMap<>();
  private volatile boolean closed;

  /** Creates an empty store. */
  public MemKeyStore() {}

  /**
   * Stores a copy of {@code value} under {@code name} if the name is free. Never blocks.
   *
   * @throws KeyExistsException if a value is already stored under {@code name}
   * @throws IllegalArgumentException if {@code name} is empty or {@code value} is longer than
   *     {@link #MAX_VALUE_SIZE}
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public void create(String name, byte[] value) {
    checkName(name);
    Objects.requireNonNull(value, "value");
    if (value.length > MAX_VALUE_SIZE) {
      throw new IllegalArgumentException(
          "value of " + value.length + " bytes exceeds the limit of " + MAX_VALUE_SIZE + " bytes");
    }
    checkOpen();
    // putIfAbsent is atomic: exactly one of many concurrent creates sees null.
    if (entries.putIfAbsent(name, value.clone()) != null) {
      throw new KeyExistsException();
    }
  }

  /**
   * Returns a copy of the value stored under {@code name}. Never blocks.
   *
   * @throws KeyNotFoundException if nothing is stored under {@code name}
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public byte[] get(String name) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    byte[] value = entries.get(name);
    if (value == null) {
      throw new KeyNotFoundException();
    }
    return value.clone();
  }

  /**
   * Removes the value stored under {@code name}. Never blocks.
   *
   * @throws KeyNotFoundException if nothing is stored under {@code name} (spec §5.5)
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public void delete(String name) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    if (entries.remove(name) == null) {
      throw new KeyNotFoundException();
    }
  }

  /**
   * Lists names starting with {@code prefix} in ascending order, from {@code continueAt}
   * (inclusive) on, at most {@code limit} of them ({@link #DEFAULT_PAGE_SIZE} if {@code limit <=
   * 0}). The page's {@code continueAt} is the next matching name, or empty on the last page. Never
   * blocks.
   *
   * @throws NullPointerException if {@code prefix} or {@code continueAt} is null
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public Page<String> list(String prefix, String continueAt, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(continueAt, "continueAt");
    checkOpen();
    int size = limit <= 0 ? DEFAULT_PAGE_SIZE : limit;
    // Names with a common prefix are contiguous in sorted order, so the matches at or after
    // continueAt start at max(prefix, continueAt) and end at the first name without the prefix.
    String from = continueAt.compareTo(prefix) > 0 ? continueAt : prefix;
    List<String> items = new ArrayList<>(Math.min(size, 64));
    Iterator<String> names = entries.tailMap(from, true).keySet().iterator();
    while (names.hasNext()) {
      String name = names.next();
      if (!name.startsWith(prefix)) {
        break;
      }
      if (items.size() == size) {
        return new Page<>(items, name);
      }
      items.add(name);
    }
    return Page.last(items);
  }

  /**
   * Returns {@link #STATUS_LATENCY}: an in-memory store is always reachable. Never blocks.
   *
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public Duration status() {
    checkOpen();
    return STATUS_LATENCY;
  }

  /** Drops every stored value and closes the store. Idempotent; never throws. */
  @Override
  public void close() {
    closed = true;
    entries.clear();
  }

  /** Shows the number of stored names only: values are key material. */
  @Override
  public String toString() {
    return closed ? "MemKeyStore[closed]" : "MemKeyStore[" + entries.size() + " names]";
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("key store is closed");
    }
  }
}
