package dev.kes4j.keystore.mem;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStoreProvider;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link KeyStoreProvider} for {@link MemKeyStore}, id {@value #ID}. A KES config selects it
 * with
 *
 * <pre>{@code
 * keystore:
 *   mem: {}
 * }</pre>
 *
 * <p>The section takes no settings. Registered for {@link java.util.ServiceLoader} both in {@code
 * META-INF/services} and in the module descriptor, so {@link
 * dev.kes4j.api.spi.KeyStores#discover()} finds it on the class path and on the module path.
 * Stateless and thread-safe: every {@link #open} returns a new, empty store.
 */
public final class MemKeyStoreProvider implements KeyStoreProvider {

  /** The provider id: the path under {@code keystore:} that selects this store. */
  public static final String ID = "mem";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public MemKeyStoreProvider() {}

  /** Returns {@value #ID}. */
  @Override
  public String id() {
    return ID;
  }

  /**
   * Returns a new, empty {@link MemKeyStore}. Never blocks.
   *
   * @param config the section under {@code keystore.mem}; must be empty
   * @throws KesConfigException naming the setting if the section holds any setting
   * @throws NullPointerException if {@code config} is null
   */
  @Override
  public KeyStore open(KeyStoreConfig config) {
    Objects.requireNonNull(config, "config");
    config.requireOnly(); // the mem key store has no settings
    return new MemKeyStore();
  }

  /** None: the section must be empty. */
  @Override
  public Optional<Set<String>> settings() {
    return Optional.of(Set.of());
  }

  /** {@code in memory}. */
  @Override
  public String describe(KeyStoreConfig config) {
    return "in memory";
  }

  @Override
  public String toString() {
    return "MemKeyStoreProvider[id=" + ID + "]";
  }
}
