package dev.kes4j.keystore.mem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStoreProvider;
import dev.kes4j.api.spi.KeyStores;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MemKeyStoreProviderTest {

  @Nested
  class Discovery {
    @Test
    void serviceLoaderFindsTheProvider() {
      assertThat(ServiceLoader.load(KeyStoreProvider.class).stream())
          .anyMatch(p -> p.type() == MemKeyStoreProvider.class);
    }

    @Test
    void keyStoresDiscoverKnowsMem() {
      KeyStores stores = KeyStores.discover();
      assertThat(stores.ids()).contains("mem");
      assertThat(stores.provider("mem")).get().isInstanceOf(MemKeyStoreProvider.class);
    }

    @Test
    void opensAMemKeyStoreFromAKeystoreSection() {
      try (KeyStore store = KeyStores.discover().open(KeyStoreConfig.of(Map.of("mem", Map.of())))) {
        assertThat(store).isInstanceOf(MemKeyStore.class);
        store.create("k", new byte[] {1});
        assertThat(store.get("k")).containsExactly(1);
      }
    }

    @Test
    void opensWithANullSectionAsInYaml() {
      // `keystore: { mem: }` parses to a null value
      Map<String, Object> section = new HashMap<>();
      section.put("mem", null);
      try (KeyStore store =
          KeyStores.of(new MemKeyStoreProvider()).open(KeyStoreConfig.of(section))) {
        assertThat(store).isInstanceOf(MemKeyStore.class);
      }
    }
  }

  @Nested
  class Configuration {
    @Test
    void idIsMem() {
      assertThat(new MemKeyStoreProvider().id()).isEqualTo("mem").isEqualTo(MemKeyStoreProvider.ID);
    }

    @Test
    void everyOpenReturnsANewEmptyStore() {
      MemKeyStoreProvider provider = new MemKeyStoreProvider();
      KeyStore a = provider.open(KeyStoreConfig.of("keystore.mem", Map.of()));
      KeyStore b = provider.open(KeyStoreConfig.of("keystore.mem", Map.of()));
      a.create("k", new byte[] {1});
      assertThat(b).isNotSameAs(a);
      assertThat(b.list("", "", 0).items()).isEmpty();
    }

    @Test
    void rejectsSettingsNamingThem() {
      assertThatThrownBy(
              () ->
                  new MemKeyStoreProvider()
                      .open(KeyStoreConfig.of("keystore.mem", Map.of("path", "/tmp"))))
          .isInstanceOf(KesConfigException.class)
          .hasMessageStartingWith("keystore.mem.path: unknown setting");
    }
  }
}
