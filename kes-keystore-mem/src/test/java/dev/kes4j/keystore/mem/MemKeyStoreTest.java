package dev.kes4j.keystore.mem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.Page;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.testkit.KeyStoreContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The key store contract plus what is specific to {@link MemKeyStore}. */
class MemKeyStoreTest extends KeyStoreContract {

  @Override
  protected KeyStore newStore() {
    return new MemKeyStore();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Nested
  class MemValues {
    @Test
    void acceptsTheEmptyValue() {
      MemKeyStore store = new MemKeyStore();
      store.create("empty", new byte[0]);
      assertThat(store.get("empty")).isEmpty();
    }

    @Test
    void acceptsExactlyOneMiB() {
      MemKeyStore store = new MemKeyStore();
      store.create("max", new byte[MemKeyStore.MAX_VALUE_SIZE]);
      assertThat(store.get("max")).hasSize(1 << 20);
    }

    @Test
    void rejectsMoreThanOneMiBAndStoresNothing() {
      MemKeyStore store = new MemKeyStore();
      assertThatThrownBy(() -> store.create("big", new byte[MemKeyStore.MAX_VALUE_SIZE + 1]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1048576");
      assertThatThrownBy(() -> store.get("big")).isInstanceOf(KeyNotFoundException.class);
    }
  }

  @Nested
  class MemArguments {
    @Test
    void rejectsNullsAndTheEmptyName() {
      MemKeyStore store = new MemKeyStore();
      assertThatThrownBy(() -> store.create(null, new byte[1]))
          .isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> store.create("k", null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> store.create("", new byte[1]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> store.delete(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> store.list(null, "", 0)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> store.list("", null, 0)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void storesNamesOutsideTheKesAlphabet() {
      // spec §6: names from KES 0.16.1 may hold characters the newest rules reject
      MemKeyStore store = new MemKeyStore();
      store.create("my.key", bytes("a"));
      store.create("ключ", bytes("b"));
      assertThat(store.get("my.key")).isEqualTo(bytes("a"));
      assertThat(store.list("", "", 0).items()).containsExactly("my.key", "ключ");
    }
  }

  @Nested
  class MemStatus {
    @Test
    void reportsOneMillisecondAsKes() {
      assertThat(new MemKeyStore().status()).isEqualTo(Duration.ofMillis(1));
    }
  }

  @Nested
  class MemClose {
    @Test
    void dropsTheValuesAndPrintsNoSecrets() {
      MemKeyStore store = new MemKeyStore();
      store.create("k", bytes("secret-bytes"));
      assertThat(store.toString()).isEqualTo("MemKeyStore[1 names]").doesNotContain("secret");
      store.close();
      assertThat(store.toString()).isEqualTo("MemKeyStore[closed]");
      assertThatThrownBy(() -> store.get("k")).isInstanceOf(IllegalStateException.class);
    }
  }

  // --- properties (jqwik) ----------------------------------------------------------------------

  /** Every name created is listed exactly once when following the pages, in order. */
  @Property(tries = 150)
  void pagingVisitsEveryMatchingNameOnce(
      @ForAll @Size(max = 60)
          List<@AlphaChars @NumericChars @StringLength(min = 1, max = 4) String> names,
      @ForAll @AlphaChars @StringLength(max = 2) String prefix,
      @ForAll @IntRange(min = -1, max = 7) int limit) {
    MemKeyStore store = new MemKeyStore();
    TreeSet<String> expected = new TreeSet<>();
    for (String n : names) {
      try {
        store.create(n, bytes(n));
        if (n.startsWith(prefix)) {
          expected.add(n);
        }
      } catch (KeyExistsException duplicate) {
        assertThat(expected.contains(n) || !n.startsWith(prefix)).isTrue();
      }
    }
    List<String> seen = new ArrayList<>();
    String continueAt = "";
    do {
      Page<String> page = store.list(prefix, continueAt, limit);
      if (page.hasMore()) {
        assertThat(page.items()).hasSize(limit <= 0 ? KeyStore.DEFAULT_PAGE_SIZE : limit);
      }
      seen.addAll(page.items());
      continueAt = page.continueAt();
    } while (!continueAt.isEmpty());
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  /** Starting anywhere, a listing returns exactly the matching names at or after that point. */
  @Property(tries = 150)
  void continueAtIsInclusiveLowerBound(
      @ForAll @Size(max = 40) List<@AlphaChars @StringLength(min = 1, max = 3) String> names,
      @ForAll @AlphaChars @StringLength(max = 1) String prefix,
      @ForAll @AlphaChars @StringLength(max = 3) String continueAt) {
    MemKeyStore store = new MemKeyStore();
    TreeSet<String> all = new TreeSet<>(names);
    all.forEach(n -> store.create(n, bytes(n)));
    List<String> expected =
        all.stream().filter(n -> n.startsWith(prefix) && n.compareTo(continueAt) >= 0).toList();
    Page<String> page = store.list(prefix, continueAt, 0);
    assertThat(page.items()).containsExactlyElementsOf(expected);
    assertThat(page.continueAt()).isEmpty();
  }
}
