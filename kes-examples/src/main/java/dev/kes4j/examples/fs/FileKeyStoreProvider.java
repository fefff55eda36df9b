package dev.kes4j.examples.fs;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStoreProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@link KeyStoreProvider} for {@link FileKeyStore}, id {@value #ID}. A KES config selects it
 * exactly as it selects KES's own filesystem store:
 *
 * <pre>{@code
 * keystore:
 *   fs:
 *     path: /var/lib/kes/keys     # or ${KES_KEY_DIR}
 * }</pre>
 *
 * <p>Registered for {@link java.util.ServiceLoader} in {@code
 * META-INF/services/dev.kes4j.api.spi.KeyStoreProvider}, so {@link
 * dev.kes4j.api.spi.KeyStores#discover()} finds it whenever this jar is on the class path.
 * Stateless and thread-safe.
 */
public final class FileKeyStoreProvider implements KeyStoreProvider {

  /** The provider id: the path under {@code keystore:} that selects this store. */
  public static final String ID = "fs";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public FileKeyStoreProvider() {}

  /** Returns {@value #ID}. */
  @Override
  public String id() {
    return ID;
  }

  /**
   * Opens a {@link FileKeyStore} in the directory named by {@code path}, creating it (mode 0700) if
   * missing. Blocks on file I/O.
   *
   * @param config the section under {@code keystore.fs}
   * @throws KesConfigException naming the setting if {@code path} is missing or not a valid path,
   *     or if the section holds an unknown setting
   * @throws dev.kes4j.api.KesException 502 if the directory cannot be created
   */
  @Override
  public KeyStore open(KeyStoreConfig config) {
    Objects.requireNonNull(config, "config");
    config.requireOnly("path");
    String path = config.requireString("path");
    try {
      return FileKeyStore.open(Path.of(path));
    } catch (InvalidPathException e) {
      throw new KesConfigException(
          (config.path().isEmpty() ? "" : config.path() + ".")
              + "path: invalid path: "
              + e.getReason());
    }
  }

  @Override
  public String toString() {
    return "FileKeyStoreProvider[id=" + ID + "]";
  }
}
