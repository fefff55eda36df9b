package dev.kes4j.testkit;

import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.Page;
import dev.kes4j.api.spi.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A deliberately plain store for the kit's own tests: a map under one lock. Each {@link Bug} breaks
 * one rule of the contract, to show that {@link KeyStoreContract} notices.
 */
final class SimpleMapKeyStore implements KeyStore {

  /** One way to break the contract. */
  enum Bug {
    GET_RETURNS_INTERNAL_ARRAY,
    CREATE_KEEPS_CALLER_ARRAY,
    CREATE_OVERWRITES,
    DELETE_OF_MISSING_SUCCEEDS,
    GET_OF_MISSING_RETURNS_EMPTY,
    LIST_IGNORES_DEFAULT_PAGE_SIZE,
    LIST_CONTINUE_AT_EXCLUSIVE,
    LIST_UNSORTED,
    LIST_LAST_PAGE_HAS_CONTINUATION,
    CREATE_NOT_ATOMIC,
    NO_CLOSE_CHECK,
    NEGATIVE_STATUS,
  }

  private final Set<Bug> bugs;
  private final Map<String, byte[]> map;
  private boolean closed;

  SimpleMapKeyStore(Bug... bugs) {
    this.bugs = bugs.length == 0 ? EnumSet.noneOf(Bug.class) : EnumSet.of(bugs[0], bugs);
    this.map = this.bugs.contains(Bug.LIST_UNSORTED) ? new LinkedHashMap<>() : new TreeMap<>();
  }

  @Override
  public void create(String name, byte[] value) {
    if (bugs.contains(Bug.CREATE_NOT_ATOMIC)) {
      boolean taken;
      synchronized (this) {
        checkOpen();
        taken = map.containsKey(name);
      }
      if (taken) {
        throw new KeyExistsException();
      }
      sleepQuietly(5); // check-then-act: every racer passes the check
      synchronized (this) {
        map.put(name, value.clone());
      }
      return;
    }
    synchronized (this) {
      checkOpen();
      if (map.containsKey(name) && !bugs.contains(Bug.CREATE_OVERWRITES)) {
        throw new KeyExistsException();
      }
      map.put(name, bugs.contains(Bug.CREATE_KEEPS_CALLER_ARRAY) ? value : value.clone());
    }
  }

  @Override
  public synchronized byte[] get(String name) {
    checkOpen();
    byte[] value = map.get(name);
    if (value == null) {
      if (bugs.contains(Bug.GET_OF_MISSING_RETURNS_EMPTY)) {
        return new byte[0];
      }
      throw new KeyNotFoundException();
    }
    return bugs.contains(Bug.GET_RETURNS_INTERNAL_ARRAY) ? value : value.clone();
  }

  @Override
  public synchronized void delete(String name) {
    checkOpen();
    if (map.remove(name) == null && !bugs.contains(Bug.DELETE_OF_MISSING_SUCCEEDS)) {
      throw new KeyNotFoundException();
    }
  }

  @Override
  public synchronized Page<String> list(String prefix, String continueAt, int limit) {
    checkOpen();
    int size =
        limit > 0
            ? limit
            : bugs.contains(Bug.LIST_IGNORES_DEFAULT_PAGE_SIZE)
                ? Integer.MAX_VALUE
                : DEFAULT_PAGE_SIZE;
    List<String> items = new ArrayList<>();
    for (String name : map.keySet()) {
      boolean afterStart =
          bugs.contains(Bug.LIST_CONTINUE_AT_EXCLUSIVE)
              ? name.compareTo(continueAt) > 0
              : name.compareTo(continueAt) >= 0;
      if (!name.startsWith(prefix) || !afterStart) {
        continue;
      }
      if (items.size() == size) {
        return new Page<>(items, name);
      }
      items.add(name);
    }
    if (bugs.contains(Bug.LIST_LAST_PAGE_HAS_CONTINUATION) && !items.isEmpty()) {
      return new Page<>(items, items.get(items.size() - 1) + "~");
    }
    return Page.last(items);
  }

  @Override
  public synchronized Duration status() {
    checkOpen();
    return bugs.contains(Bug.NEGATIVE_STATUS) ? Duration.ofMillis(-1) : Duration.ZERO;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed && !bugs.contains(Bug.NO_CLOSE_CHECK)) {
      throw new IllegalStateException("closed");
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
