package dev.kes4j.keystore.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStoreProvider;
import dev.kes4j.api.spi.KeyStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider as users meet it: found by ServiceLoader, configured by {@code keystore.fs}. */
class FsKeyStoreProviderTest {
  @TempDir Path tmp;

  private final FsKeyStoreProvider provider = new FsKeyStoreProvider();

  private static KeyStoreConfig fs(Map<String, ?> settings) {
    return KeyStoreConfig.of("keystore.fs", settings);
  }

  @Test
  void serviceLoaderFindsTheProviderUnderItsId() {
    assertThat(ServiceLoader.load(KeyStoreProvider.class).stream().map(p -> p.type().getName()))
        .contains(FsKeyStoreProvider.class.getName());
    KeyStores stores = KeyStores.discover();
    assertThat(stores.ids()).contains("fs");
    assertThat(stores.provider("fs")).get().isInstanceOf(FsKeyStoreProvider.class);
    assertThat(provider.id()).isEqualTo(FsKeyStoreProvider.ID).isEqualTo("fs");
  }

  @Test
  void opensTheDirectoryNamedByPath() {
    Path dir = tmp.resolve("keys");
    try (KeyStore store = provider.open(fs(Map.of("path", dir.toString())))) {
      assertThat(store).isInstanceOf(FsKeyStore.class);
      assertThat(((FsKeyStore) store).directory()).isEqualTo(dir);
      store.create("k", new byte[] {1});
    }
    assertThat(dir.resolve("k")).exists();
  }

  @Test
  void aRelativePathIsResolvedAgainstTheWorkingDirectoryAsGoKesDoes() throws IOException {
    Path rel = Path.of("target", "fs-provider-relative-" + System.nanoTime());
    try (KeyStore store = provider.open(fs(Map.of("path", rel.toString())))) {
      assertThat(((FsKeyStore) store).directory())
          .isEqualTo(Path.of("").toAbsolutePath().resolve(rel));
      assertThat(Files.isDirectory(rel)).isTrue();
    } finally {
      Files.deleteIfExists(rel);
    }
  }

  @Test
  void pathIsRequired() {
    assertThatThrownBy(() -> provider.open(fs(Map.of())))
        .isInstanceOf(KesConfigException.class)
        .hasMessage("keystore.fs.path: required but not set");
    assertThatThrownBy(() -> provider.open(fs(Map.of("path", ""))))
        .isInstanceOf(KesConfigException.class)
        .hasMessage("keystore.fs.path: required but not set");
  }

  @Test
  void otherSettingsAreRejectedAsKeyStoreConfigRequireOnlyDoes() {
    assertThatThrownBy(() -> provider.open(fs(Map.of("path", tmp.toString(), "mode", "0700"))))
        .isInstanceOf(KesConfigException.class)
        .hasMessage("keystore.fs.mode: unknown setting (allowed: path)");
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void aDirectoryThatCannotBeUsedIsAConfigErrorNamingTheSettingAndTheDirectory()
      throws IOException {
    Path file = Files.write(tmp.resolve("file"), "x".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> provider.open(fs(Map.of("path", file.resolve("keys").toString()))))
        .isInstanceOf(KesConfigException.class)
        .hasMessageStartingWith(
            "keystore.fs.path: cannot use key directory '" + file.resolve("keys") + "': ")
        .hasMessageContaining("Exception");
  }

  @Test
  void printsItsIdOnly() {
    assertThat(provider.toString()).isEqualTo("FsKeyStoreProvider[id=fs]");
  }
}
