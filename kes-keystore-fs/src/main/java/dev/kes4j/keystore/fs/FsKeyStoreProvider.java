package dev.kes4j.keystore.fs;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStoreProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link KeyStoreProvider} for {@link FsKeyStore}, id {@value #ID}. A KES config selects it
 * exactly as Go KES selects its filesystem store, so the same YAML runs on both:
 *
 * <pre>{@code
 * keystore:
 *   fs:
 *     path: /var/lib/kes/keys     # or ${KES_KEY_DIR}
 * }</pre>
 *
 * <p>{@code path} is the only setting and is required. A relative path is resolved against the
 * process's working directory, as Go KES resolves it (the config loader hands the text over
 * unchanged, after {@code ${VAR}} substitution).
 *
 * <p>Registered for {@link java.util.ServiceLoader} both in {@code META-INF/services} and in the
 * module descriptor, so {@link dev.kes4j.api.spi.KeyStores#discover()} finds it on the class path
 * and on the module path. Stateless and thread-safe; {@link #open} blocks on file I/O.
 */
public final class FsKeyStoreProvider implements KeyStoreProvider {

  /** The provider id: the path under {@code keystore:} that selects this store. */
  public static final String ID = "fs";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public FsKeyStoreProvider() {}

  /** Returns {@value #ID}. */
  @Override
  public String id() {
    return ID;
  }

  /**
   * Opens an {@link FsKeyStore} in the directory named by {@code path}, creating it (mode 0755) if
   * missing. Blocks on file I/O.
   *
   * @param config the section under {@code keystore.fs}
   * @throws KesConfigException naming the setting if {@code path} is missing, empty or not a valid
   *     path, if the directory cannot be created or used (the message names the directory and the
   *     reason), or if the section holds any other setting
   * @throws NullPointerException if {@code config} is null
   */
  @Override
  public KeyStore open(KeyStoreConfig config) {
    Objects.requireNonNull(config, "config");
    config.requireOnly("path");
    String setting = (config.path().isEmpty() ? "" : config.path() + ".") + "path";
    String path = config.requireString("path");
    Path dir;
    try {
      dir = Path.of(path);
    } catch (InvalidPathException e) {
      throw new KesConfigException(setting + ": invalid path: " + e.getReason());
    }
    try {
      return FsKeyStore.open(dir);
    } catch (KeyStoreUnreachableException e) {
      // the store's cause names the directory; its own cause is the file system's reason
      Throwable reason =
          e.getCause() != null && e.getCause().getCause() != null ? e.getCause().getCause() : e;
      throw new KesConfigException(
          setting
              + ": cannot use key directory '"
              + dir.toAbsolutePath().normalize()
              + "': "
              + describe(reason),
          e);
    }
  }

  /** An I/O failure as a short reason: the exception type and its message (a path, a reason). */
  private static String describe(Throwable t) {
    String m = t.getMessage();
    String type = t.getClass().getSimpleName();
    return m == null || m.isEmpty() ? type : type + ": " + m;
  }

  /** The one setting: {@code path}. */
  @Override
  public Optional<Set<String>> settings() {
    return Optional.of(Set.of("path"));
  }

  /** {@code directory <absolute path>}. */
  @Override
  public String describe(KeyStoreConfig config) {
    try {
      return "directory " + Path.of(config.string("path").orElse("")).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      return "directory " + config.string("path").orElse("");
    }
  }

  @Override
  public String toString() {
    return "FsKeyStoreProvider[id=" + ID + "]";
  }
}
