package dev.kes4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.Page;
import dev.kes4j.api.spi.KeyStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

// Over 600 lines: the conformance kit is one nested test class per KeyStore behaviour, kept in one
// file so a plug-in author extends a single class.
/**
 * The conformance tests every {@link KeyStore} must pass: the KES key store contract (spec §5.1)
 * plus kes4j's additions (copies at the boundary, paging, close semantics, concurrency). Extend it
 * in a JUnit 5 test of your store and implement {@link #newStore()}:
 *
 * <pre>{@code
 * class MyKeyStoreTest extends KeyStoreContract {
 *   @Override
 *   protected KeyStore newStore() {
 *     return new MyKeyStore(...);
 *   }
 * }
 * }</pre>
 *
 * <p>JUnit then runs every test below, grouped in {@link Nested} classes by behaviour (create, get,
 * delete, values, names, list, concurrency, status, close). Each test gets a store from {@link
 * #newStore()} before it and hands it to {@link #cleanup(KeyStore)} after it.
 *
 * <p><b>Shared backends.</b> Every name a test uses starts with a random per-test {@link
 * #namespace()}, and listings are made under that prefix, so the contract also runs against a store
 * that already holds other data (a real cloud project, a shared emulator). The single test that
 * lists with the empty prefix checks only that its own names appear, in order. The default {@link
 * #cleanup(KeyStore)} deletes what the test left under its namespace and closes the store.
 *
 * <p><b>What the contract requires</b> (each bullet is at least one test):
 *
 * <ul>
 *   <li>{@code create} stores only if absent; a second create throws {@link KeyExistsException} and
 *       keeps the first value; a deleted name can be created again; names are case-sensitive.
 *   <li>{@code get} and {@code delete} of a missing name throw {@link KeyNotFoundException}.
 *   <li>values round-trip byte-exact from 1 byte up to {@link #maxValueSize()}, whatever the bytes;
 *       the contract does not store empty values (the engine never does).
 *   <li>arrays are copied both ways: mutating the array passed to {@code create} or returned by
 *       {@code get} does not change the stored value.
 *   <li>names of 80 characters (the KES limit) and names using every character of the KES alphabet
 *       {@code 0-9 A-Z a-z _ -} are stored, read and listed.
 *   <li>{@code list} returns names with the prefix in ascending {@link String#compareTo} order;
 *       {@code continueAt} is inclusive and need not be a stored name; a page holds exactly {@code
 *       limit} names unless it is the last; its {@code continueAt} is the first name of the next
 *       page, or empty on the last page; following the chain visits every name exactly once; a
 *       limit of 0 or less means {@link KeyStore#DEFAULT_PAGE_SIZE}.
 *   <li>of {@link #concurrency()} threads creating one name at once exactly one wins, the others
 *       get {@link KeyExistsException}, and the stored value is the winner's.
 *   <li>{@code status} returns a non-negative duration.
 *   <li>{@code close} is idempotent and afterwards every method throws {@link
 *       IllegalStateException}.
 * </ul>
 *
 * <p><b>Hooks.</b> Override {@link #maxValueSize()} if the backend caps values below 1 MiB, {@link
 * #supportsLargeListings()} to skip the test that stores more than {@link
 * KeyStore#DEFAULT_PAGE_SIZE} names (slow on remote backends), {@link #concurrency()} to change the
 * number of racing threads, and {@link #cleanup(KeyStore)} to tear a store down differently.
 *
 * <p><b>Adding tests.</b> A subclass may add its own tests and {@link Nested} classes, but must not
 * declare a nested class named like one of the contract's ({@code ContractCreate}, {@code
 * ContractGet}, {@code ContractDelete}, {@code ContractValues}, {@code ContractNames}, {@code
 * ContractList}, {@code ContractConcurrency}, {@code ContractStatus}, {@code ContractClose}): Java
 * hides the inherited class and JUnit then skips its tests.
 *
 * <p>Against an in-memory store the whole contract takes a second or two. Not thread-safe itself:
 * JUnit runs one test of an instance at a time.
 */
public abstract class KeyStoreContract {
  /** The characters KES allows in key names (spec §6). */
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";

  private static final String NAMESPACE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

  private static final int MAX_NAME_LENGTH = 80;

  private KeyStore store;
  private String namespace;

  /** Creates the contract; subclasses need a no-argument constructor for JUnit. */
  protected KeyStoreContract() {}

  /**
   * Returns the store to test, called once before every test. The store may share a backend with
   * earlier stores, as long as it is open and usable; the contract keeps tests apart with {@link
   * #namespace()}.
   *
   * @return an open store; never null
   */
  protected abstract KeyStore newStore();

  /**
   * Tears down the store a test used, called once after every test, whether it passed or not, and
   * also after the tests that close the store themselves. The default deletes, on a best-effort
   * basis, every name under {@link #namespace()} (ignoring any error, so a broken or closed store
   * does not hide the test's own failure) and then closes the store.
   *
   * @param store the store returned by {@link #newStore()} for this test
   */
  protected void cleanup(KeyStore store) {
    try {
      String continueAt = "";
      List<String> names = new ArrayList<>();
      do {
        Page<String> page = store.list(namespace, continueAt, 0);
        names.addAll(page.items());
        continueAt = page.continueAt();
      } while (!continueAt.isEmpty());
      for (String name : names) {
        try {
          store.delete(name);
        } catch (KeyNotFoundException ignored) {
          // already gone
        }
      }
    } catch (RuntimeException ignored) {
      // best effort only: the store may be closed or broken by the test
    } finally {
      store.close();
    }
  }

  /**
   * Whether to run the test that stores more than {@link KeyStore#DEFAULT_PAGE_SIZE} names to check
   * the default page size. Default {@code true}; return {@code false} where creating a thousand
   * names is slow (remote backends).
   */
  protected boolean supportsLargeListings() {
    return true;
  }

  /**
   * The largest value the store must round-trip, in bytes. Default 1 MiB (1,048,576), the cap KES
   * reads values with (spec §5.1); lower it for backends with a smaller limit (GCP Secret Manager
   * holds at most 64 KiB per version). Must be at least 1024.
   */
  protected int maxValueSize() {
    return 1 << 20;
  }

  /** The number of threads that race in the concurrency tests. Default 8; at least 2. */
  protected int concurrency() {
    return 8;
  }

  /** The store of the running test (from {@link #newStore()}). */
  protected final KeyStore store() {
    return store;
  }

  /**
   * The running test's name prefix: 1 letter, 8 random lowercase letters or digits and {@code _},
   * so it is a valid KES name prefix. Every name the contract uses starts with it.
   */
  protected final String namespace() {
    return namespace;
  }

  /** Opens the store for the next test; runs before every test, nested ones included. */
  @BeforeEach
  protected final void openStoreForTest() {
    StringBuilder ns = new StringBuilder("t");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 8; i++) {
      ns.append(NAMESPACE_CHARS.charAt(random.nextInt(NAMESPACE_CHARS.length())));
    }
    namespace = ns.append('_').toString();
    store = newStore();
    assertThat(store).as("newStore()").isNotNull();
  }

  /** Hands the store to {@link #cleanup(KeyStore)}; runs after every test. */
  @AfterEach
  protected final void cleanupStoreAfterTest() {
    if (store != null) {
      KeyStore s = store;
      store = null;
      cleanup(s);
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  @DisplayName("create")
  class ContractCreate {
    @Test
    @DisplayName("stores a value under a free name")
    void storesUnderFreeName() {
      String name = name("key");
      store.create(name, bytes("value"));
      assertThat(store.get(name)).isEqualTo(bytes("value"));
    }

    @Test
    @DisplayName("of a taken name throws KeyExistsException and keeps the first value")
    void takenNameThrowsAndKeepsOriginal() {
      String name = name("key");
      store.create(name, bytes("first"));
      assertThatThrownBy(() -> store.create(name, bytes("second")))
          .isInstanceOf(KeyExistsException.class);
      assertThat(store.get(name)).isEqualTo(bytes("first"));
    }

    @Test
    @DisplayName("of a deleted name succeeds again")
    void deletedNameCanBeCreatedAgain() {
      String name = name("key");
      store.create(name, bytes("first"));
      store.delete(name);
      store.create(name, bytes("second"));
      assertThat(store.get(name)).isEqualTo(bytes("second"));
    }

    @Test
    @DisplayName("treats names case-sensitively")
    void namesAreCaseSensitive() {
      store.create(name("key"), bytes("lower"));
      store.create(name("KEY"), bytes("upper"));
      assertThat(store.get(name("key"))).isEqualTo(bytes("lower"));
      assertThat(store.get(name("KEY"))).isEqualTo(bytes("upper"));
    }

    @Test
    @DisplayName("copies the value: changing the caller's array later has no effect")
    void copiesInput() {
      byte[] value = bytes("value");
      store.create(name("key"), value);
      Arrays.fill(value, (byte) 0);
      assertThat(store.get(name("key"))).isEqualTo(bytes("value"));
    }
  }

  @Nested
  @DisplayName("get")
  class ContractGet {
    @Test
    @DisplayName("of a missing name throws KeyNotFoundException")
    void missingThrows() {
      assertThatThrownBy(() -> store.get(name("missing"))).isInstanceOf(KeyNotFoundException.class);
    }

    @Test
    @DisplayName("of a name that is only a prefix of a stored name throws KeyNotFoundException")
    void prefixIsNotAName() {
      store.create(name("key-1"), bytes("value"));
      assertThatThrownBy(() -> store.get(name("key"))).isInstanceOf(KeyNotFoundException.class);
    }

    @Test
    @DisplayName("returns a copy: changing it does not change the stored value")
    void returnsCopy() {
      store.create(name("key"), bytes("value"));
      byte[] first = store.get(name("key"));
      Arrays.fill(first, (byte) 0);
      assertThat(store.get(name("key"))).isEqualTo(bytes("value"));
    }
  }

  @Nested
  @DisplayName("delete")
  class ContractDelete {
    @Test
    @DisplayName("removes the value: get then throws KeyNotFoundException")
    void removes() {
      store.create(name("key"), bytes("value"));
      store.delete(name("key"));
      assertThatThrownBy(() -> store.get(name("key"))).isInstanceOf(KeyNotFoundException.class);
      assertThat(listAll(namespace, 0)).isEmpty();
    }

    @Test
    @DisplayName("of a missing name throws KeyNotFoundException")
    void missingThrows() {
      assertThatThrownBy(() -> store.delete(name("missing")))
          .isInstanceOf(KeyNotFoundException.class);
    }

    @Test
    @DisplayName("twice throws KeyNotFoundException the second time")
    void twiceThrows() {
      store.create(name("key"), bytes("value"));
      store.delete(name("key"));
      assertThatThrownBy(() -> store.delete(name("key"))).isInstanceOf(KeyNotFoundException.class);
    }

    @Test
    @DisplayName("removes exactly one name, not names it prefixes")
    void removesOnlyThatName() {
      store.create(name("key"), bytes("a"));
      store.create(name("key-1"), bytes("b"));
      store.create(name("kex"), bytes("c"));
      store.delete(name("key"));
      assertThat(store.get(name("key-1"))).isEqualTo(bytes("b"));
      assertThat(store.get(name("kex"))).isEqualTo(bytes("c"));
      assertThat(listAll(namespace, 0)).containsExactly(name("kex"), name("key-1"));
    }
  }

  @Nested
  @DisplayName("values")
  class ContractValues {
    @TestFactory
    @DisplayName("round-trip byte-exact")
    Stream<DynamicTest> roundTrip() {
      int max = maxValueSize();
      assertThat(max).as("maxValueSize()").isGreaterThanOrEqualTo(1024);
      byte[] everyByte = new byte[256];
      for (int i = 0; i < everyByte.length; i++) {
        everyByte[i] = (byte) i;
      }
      byte[] ones = new byte[64];
      Arrays.fill(ones, (byte) 0xFF);
      List<Object[]> table =
          List.of(
              new Object[] {"1 byte", new byte[] {42}},
              new Object[] {"a zero byte", new byte[1]},
              new Object[] {"32 zero bytes", new byte[32]},
              new Object[] {"64 bytes 0xFF", ones},
              new Object[] {"every byte value 0..255", everyByte},
              new Object[] {"invalid UTF-8", new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFE}},
              new Object[] {"a KES JSON key", bytes("{\"bytes\":\"" + "A".repeat(43) + "=\"}")},
              new Object[] {"1000 random bytes", random(1000, 1)},
              new Object[] {"maxValueSize() - 1 random bytes", random(max - 1, 2)},
              new Object[] {"maxValueSize() random bytes", random(max, 3)});
      List<DynamicTest> tests = new ArrayList<>();
      for (int i = 0; i < table.size(); i++) {
        String label = (String) table.get(i)[0];
        byte[] value = (byte[]) table.get(i)[1];
        String name = name("value-" + i);
        tests.add(
            DynamicTest.dynamicTest(
                label,
                () -> {
                  store.create(name, value);
                  byte[] read = store.get(name);
                  assertThat(read).hasSize(value.length);
                  assertThat(read).isEqualTo(value);
                }));
      }
      return tests.stream();
    }
  }

  @Nested
  @DisplayName("names")
  class ContractNames {
    @Test
    @DisplayName("of 80 characters, the KES limit, are stored and listed")
    void longestName() {
      String name = namespace + "k".repeat(MAX_NAME_LENGTH - namespace.length() - 1) + "z";
      assertThat(name).hasSize(MAX_NAME_LENGTH);
      store.create(name, bytes("value"));
      assertThat(store.get(name)).isEqualTo(bytes("value"));
      assertThat(listAll(namespace, 0)).containsExactly(name);
    }

    @Test
    @DisplayName("with every character of the KES alphabet are stored and listed")
    void wholeAlphabet() {
      String name = namespace + ALPHABET + "x";
      assertThat(name.length()).isLessThanOrEqualTo(MAX_NAME_LENGTH);
      store.create(name, bytes("value"));
      assertThat(store.get(name)).isEqualTo(bytes("value"));
      assertThat(listAll(namespace, 0)).containsExactly(name);
    }

    @Test
    @DisplayName("sort in UTF-16 code unit order: - < 0-9 < A-Z < _ < a-z")
    void sortOrder() {
      List<String> suffixes = List.of("z", "a", "_x", "Z", "A", "9", "0", "-x", "aa", "a-", "a_");
      for (String suffix : suffixes) {
        store.create(name(suffix), bytes(suffix));
      }
      assertThat(listAll(namespace, 0))
          .containsExactly(
              name("-x"),
              name("0"),
              name("9"),
              name("A"),
              name("Z"),
              name("_x"),
              name("a"),
              name("a-"),
              name("a_"),
              name("aa"),
              name("z"));
    }
  }

  @Nested
  @DisplayName("list")
  class ContractList {
    @Test
    @DisplayName("of a prefix nothing has returns an empty last page")
    void nothingMatches() {
      store.create(name("key"), bytes("value"));
      Page<String> page = store.list(name("other"), "", 0);
      assertThat(page.items()).isEmpty();
      assertThat(page.continueAt()).isEmpty();
    }

    @Test
    @DisplayName("returns exactly the names with the prefix, sorted")
    void filtersByPrefix() {
      for (String s :
          List.of("alpha-1", "alpha-2", "alpha-10", "alphabet", "alp", "beta-1", "al")) {
        store.create(name(s), bytes(s));
      }
      assertThat(listAll(name("alpha-"), 0))
          .containsExactly(name("alpha-1"), name("alpha-10"), name("alpha-2"));
      assertThat(listAll(name("alpha"), 0))
          .containsExactly(name("alpha-1"), name("alpha-10"), name("alpha-2"), name("alphabet"));
      assertThat(listAll(name("alp"), 0))
          .as("a prefix equal to a stored name includes that name")
          .containsExactly(
              name("alp"), name("alpha-1"), name("alpha-10"), name("alpha-2"), name("alphabet"));
      assertThat(listAll(name("beta"), 0)).containsExactly(name("beta-1"));
      assertThat(listAll(namespace, 0))
          .containsExactly(
              name("al"),
              name("alp"),
              name("alpha-1"),
              name("alpha-10"),
              name("alpha-2"),
              name("alphabet"),
              name("beta-1"));
    }

    @Test
    @DisplayName("with the empty prefix includes every name, sorted")
    void emptyPrefix() {
      List<String> ours = List.of(name("b"), name("a"), name("c"));
      for (String n : ours) {
        store.create(n, bytes(n));
      }
      List<String> all = listAll("", 0);
      assertThat(all).containsSubsequence(name("a"), name("b"), name("c"));
      assertStrictlyAscending(all);
    }

    @Test
    @DisplayName("starts at continueAt, inclusive")
    void continueAtInclusive() {
      List<String> names = createNumbered("k", 6);
      Page<String> page = store.list(namespace, names.get(2), 0);
      assertThat(page.items()).containsExactlyElementsOf(names.subList(2, 6));
      assertThat(page.continueAt()).isEmpty();
    }

    @Test
    @DisplayName("starts at the next name when continueAt is not stored")
    void continueAtBetweenNames() {
      List<String> names = createNumbered("k", 6);
      Page<String> page = store.list(namespace, names.get(2) + "-", 0);
      assertThat(page.items()).containsExactlyElementsOf(names.subList(3, 6));
    }

    @Test
    @DisplayName("starts at the prefix when continueAt sorts before it")
    void continueAtBeforePrefix() {
      store.create(name("a"), bytes("a"));
      store.create(name("b1"), bytes("b1"));
      store.create(name("b2"), bytes("b2"));
      Page<String> page = store.list(name("b"), name("a"), 0);
      assertThat(page.items()).containsExactly(name("b1"), name("b2"));
      assertThat(page.continueAt()).isEmpty();
    }

    @Test
    @DisplayName("returns an empty last page when continueAt sorts after every name")
    void continueAtAfterEverything() {
      createNumbered("k", 3);
      Page<String> page = store.list(namespace, name("z"), 0);
      assertThat(page.items()).isEmpty();
      assertThat(page.continueAt()).isEmpty();
    }

    @TestFactory
    @DisplayName("pages: full pages of `limit` names, continueAt chain visits each name once")
    Stream<DynamicTest> paging() {
      return Stream.of(1, 2, 5, 22, 23, 24, 100)
          .map(
              limit ->
                  DynamicTest.dynamicTest(
                      "23 names, limit " + limit,
                      () -> {
                        String prefix = name("p" + limit + "_");
                        List<String> names = createNumbered("p" + limit + "_", 23);
                        List<String> seen = new ArrayList<>();
                        String continueAt = "";
                        int pages = 0;
                        do {
                          Page<String> page = store.list(prefix, continueAt, limit);
                          pages++;
                          assertThat(pages).as("pages").isLessThanOrEqualTo(23 + 1);
                          if (page.hasMore()) {
                            assertThat(page.items()).as("a non-last page").hasSize(limit);
                            assertThat(page.continueAt())
                                .as("continueAt of a non-last page")
                                .isEqualTo(names.get(seen.size() + limit));
                          } else {
                            assertThat(page.items())
                                .as("the last page")
                                .hasSizeLessThanOrEqualTo(limit);
                          }
                          seen.addAll(page.items());
                          continueAt = page.continueAt();
                        } while (!continueAt.isEmpty());
                        assertThat(seen).containsExactlyElementsOf(names);
                        assertThat(pages).isEqualTo((23 + limit - 1) / limit);
                      }));
    }

    @Test
    @DisplayName("with a limit of 0 or less returns everything up to the default page size")
    void nonPositiveLimit() {
      List<String> names = createNumbered("k", 7);
      for (int limit : new int[] {0, -1, Integer.MIN_VALUE}) {
        Page<String> page = store.list(namespace, "", limit);
        assertThat(page.items()).as("limit %d", limit).containsExactlyElementsOf(names);
        assertThat(page.continueAt()).as("limit %d", limit).isEmpty();
      }
    }

    @Test
    @DisplayName("pages by KeyStore.DEFAULT_PAGE_SIZE when the limit is 0 or less")
    void defaultPageSize() {
      assumeTrue(supportsLargeListings(), "supportsLargeListings() is false");
      int count = KeyStore.DEFAULT_PAGE_SIZE + 6;
      List<String> names = createNumbered("k", count);
      for (int limit : new int[] {0, -5}) {
        Page<String> first = store.list(namespace, "", limit);
        assertThat(first.items()).containsExactlyElementsOf(names.subList(0, 1024));
        assertThat(first.continueAt()).isEqualTo(names.get(KeyStore.DEFAULT_PAGE_SIZE));
        Page<String> second = store.list(namespace, first.continueAt(), limit);
        assertThat(second.items())
            .containsExactlyElementsOf(names.subList(KeyStore.DEFAULT_PAGE_SIZE, count));
        assertThat(second.continueAt()).isEmpty();
      }
    }

    @Test
    @DisplayName("reflects creates and deletes")
    void reflectsChanges() {
      List<String> names = createNumbered("k", 4);
      store.delete(names.get(1));
      store.create(name("kextra"), bytes("x"));
      assertThat(listAll(namespace, 2))
          .containsExactly(names.get(0), names.get(2), names.get(3), name("kextra"));
    }
  }

  @Nested
  @DisplayName("concurrency")
  class ContractConcurrency {
    @Test
    @DisplayName("of concurrent creates of one name exactly one wins and its value is stored")
    void oneWinner() throws Exception {
      int threads = concurrency();
      assertThat(threads).as("concurrency()").isGreaterThanOrEqualTo(2);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        for (int round = 0; round < 10; round++) {
          String name = name("race-" + round);
          CountDownLatch start = new CountDownLatch(1);
          List<Future<Boolean>> outcomes = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            byte[] value = bytes("value-" + round + "-" + t);
            outcomes.add(
                pool.submit(
                    () -> {
                      start.await();
                      try {
                        store.create(name, value);
                        return true;
                      } catch (KeyExistsException e) {
                        return false;
                      }
                    }));
          }
          start.countDown();
          List<Integer> winners = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            if (await(outcomes.get(t))) {
              winners.add(t);
            }
          }
          assertThat(winners).as("winners of round %d", round).hasSize(1);
          assertThat(store.get(name)).isEqualTo(bytes("value-" + round + "-" + winners.get(0)));
        }
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    @DisplayName("concurrent creates of distinct names all succeed")
    void distinctNames() throws Exception {
      int threads = concurrency();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        TreeSet<String> expected = new TreeSet<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          for (int i = 0; i < 10; i++) {
            expected.add(name(String.format("t%02d-%02d", thread, i)));
          }
          outcomes.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < 10; i++) {
                      String n = name(String.format("t%02d-%02d", thread, i));
                      store.create(n, bytes(n));
                    }
                    return true;
                  }));
        }
        start.countDown();
        for (Future<Boolean> outcome : outcomes) {
          assertThat(await(outcome)).isTrue();
        }
        assertThat(listAll(namespace, 0)).containsExactlyElementsOf(expected);
        for (String n : expected) {
          assertThat(store.get(n)).isEqualTo(bytes(n));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Nested
  @DisplayName("status")
  class ContractStatus {
    @Test
    @DisplayName("returns a non-negative latency")
    void nonNegative() {
      Duration latency = store.status();
      assertThat(latency).isNotNull();
      assertThat(latency.isNegative()).as("negative latency " + latency).isFalse();
    }
  }

  @Nested
  @DisplayName("close")
  class ContractClose {
    @Test
    @DisplayName("is idempotent")
    void idempotent() {
      store.create(name("key"), bytes("value"));
      assertThatCode(
              () -> {
                store.close();
                store.close();
              })
          .doesNotThrowAnyException();
    }

    @TestFactory
    @DisplayName("makes every later call throw IllegalStateException")
    Stream<DynamicTest> callsAfterClose() {
      store.create(name("key"), bytes("value"));
      store.close();
      KeyStore closed = store;
      List<Call> calls =
          List.of(
              new Call("create", s -> s.create(name("new"), bytes("value"))),
              new Call("create of a taken name", s -> s.create(name("key"), bytes("value"))),
              new Call("get", s -> s.get(name("key"))),
              new Call("get of a missing name", s -> s.get(name("missing"))),
              new Call("delete", s -> s.delete(name("key"))),
              new Call("delete of a missing name", s -> s.delete(name("missing"))),
              new Call("list", s -> s.list(namespace, "", 0)),
              new Call("status", KeyStore::status));
      return calls.stream()
          .map(
              c ->
                  DynamicTest.dynamicTest(
                      c.label(),
                      () ->
                          assertThatThrownBy(() -> c.action().accept(closed))
                              .isInstanceOf(IllegalStateException.class)));
    }
  }

  /** One labelled call on a store. */
  private record Call(String label, Consumer<KeyStore> action) {}

  // ---------------------------------------------------------------------------------------------

  /** The namespaced name for {@code suffix}. */
  private String name(String suffix) {
    return namespace + suffix;
  }

  /** Creates {@code count} names {@code <namespace><stem>0000..}, returned in sorted order. */
  private List<String> createNumbered(String stem, int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String n = name(stem + String.format("%04d", i));
      store.create(n, bytes(n));
      names.add(n);
    }
    Collections.sort(names);
    return names;
  }

  /** Follows the continueAt chain from the start and returns every name, failing on a loop. */
  private List<String> listAll(String prefix, int limit) {
    List<String> all = new ArrayList<>();
    String continueAt = "";
    int pages = 0;
    do {
      Page<String> page = store.list(prefix, continueAt, limit);
      if (page.hasMore() && page.continueAt().equals(continueAt) && page.items().isEmpty()) {
        fail("list(%s, %s, %d) does not advance", prefix, continueAt, limit);
      }
      all.addAll(page.items());
      continueAt = page.continueAt();
      if (++pages > 1_000_000) {
        fail("list(%s, ..., %d) did not end", prefix, limit);
      }
    } while (!continueAt.isEmpty());
    assertStrictlyAscending(all);
    return all;
  }

  private static void assertStrictlyAscending(List<String> names) {
    for (int i = 1; i < names.size(); i++) {
      if (names.get(i - 1).compareTo(names.get(i)) >= 0) {
        fail(
            "names not strictly ascending at %d: '%s' then '%s'",
            i, names.get(i - 1), names.get(i));
      }
    }
  }

  private static <T> T await(Future<T> future) throws InterruptedException {
    try {
      return future.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("a racing call failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("a racing call did not finish within 60 s", e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
