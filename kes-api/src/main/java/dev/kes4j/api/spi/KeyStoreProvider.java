package dev.kes4j.api.spi;

/**
 * Creates {@link KeyStore}s from configuration; found by {@link KeyStores#discover()} through
 * {@link java.util.ServiceLoader}. Declare an implementation in {@code
 * META-INF/services/dev.kes4j.api.spi.KeyStoreProvider} and, on the module path, with {@code
 * provides dev.kes4j.api.spi.KeyStoreProvider with ...} in {@code module-info.java}.
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe.
 */
public interface KeyStoreProvider {

  /**
   * The provider's id: the dotted path of its section under {@code keystore:} in a KES config, such
   * as {@code mem}, {@code fs} or {@code gcp.secretmanager}.
   */
  String id();

  /**
   * Opens a store.
   *
   * @param config the provider's own section (for {@code gcp.secretmanager}, the tree under {@code
   *     keystore.gcp.secretmanager})
   * @throws dev.kes4j.api.KesConfigException if the configuration is invalid, naming the setting
   */
  KeyStore open(KeyStoreConfig config);
}
