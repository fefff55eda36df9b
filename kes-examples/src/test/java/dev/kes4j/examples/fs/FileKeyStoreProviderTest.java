package dev.kes4j.examples.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plug-in as users meet it: found by ServiceLoader, selected by {@code keystore: fs:}. */
class FileKeyStoreProviderTest {
  @TempDir Path tmp;

  private String config(Path keys) {
    return "admin:\n"
        + "  identity: disabled\n"
        + "keys:\n"
        + "  - name: my-app-key\n"
        + "keystore:\n"
        + "  fs:\n"
        + "    path: "
        + keys
        + "\n";
  }

  @Test
  void serviceLoaderFindsTheProviderUnderItsId() {
    KeyStores stores = KeyStores.discover();
    assertThat(stores.ids()).contains("fs", "mem");
    assertThat(stores.provider("fs")).get().isInstanceOf(FileKeyStoreProvider.class);
  }

  @Test
  void aKesConfigWithAnFsSectionStoresKeysAsFiles() throws IOException {
    Path keys = tmp.resolve("keys");
    byte[] context = "{\"bucket\":\"bucket/object\"}".getBytes(StandardCharsets.UTF_8);
    DataKey dek;
    try (Kes kes = Kes.fromConfig(KesConfig.parse(config(keys)), KeyStores.discover(), b -> {})) {
      kes.createKey("second-key");
      try (var files = Files.list(keys)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("my-app-key", "second-key");
      }
      assertThat(kes.listKeys("*", "", 0).items()).containsExactly("my-app-key", "second-key");
      dek = kes.generateKey("my-app-key", context);
    }
    // A new engine over the same directory (a restart) opens what the first one sealed.
    try (Kes kes = Kes.fromConfig(KesConfig.parse(config(keys)), KeyStores.discover(), b -> {})) {
      assertThat(kes.decrypt("my-app-key", dek.ciphertext(), context)).isEqualTo(dek.plaintext());
      kes.deleteKey("second-key");
      assertThat(keys.resolve("second-key")).doesNotExist();
    }
  }

  @Test
  void pathIsRequiredAndOtherSettingsAreRejected() {
    FileKeyStoreProvider provider = new FileKeyStoreProvider();
    assertThat(provider.id()).isEqualTo("fs");
    assertThatThrownBy(() -> provider.open(KeyStoreConfig.of("keystore.fs", Map.of())))
        .isInstanceOf(KesConfigException.class)
        .hasMessage("keystore.fs.path: required but not set");
    assertThatThrownBy(
            () ->
                provider.open(
                    KeyStoreConfig.of("keystore.fs", Map.of("path", tmp.toString(), "mode", "1"))))
        .isInstanceOf(KesConfigException.class)
        .hasMessageStartingWith("keystore.fs.mode: unknown setting");
    try (KeyStore store =
        provider.open(KeyStoreConfig.of("keystore.fs", Map.of("path", tmp.toString())))) {
      assertThat(store).isInstanceOf(FileKeyStore.class);
    }
  }
}
