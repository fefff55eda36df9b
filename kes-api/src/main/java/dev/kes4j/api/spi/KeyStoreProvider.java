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

  /**
   * The settings the provider's section accepts, so that a config's typos are caught before the
   * store is opened ({@code projectid} → "did you mean 'project_id'?"), with line and column:
   * dotted paths relative to the section, a nested section listed by its own name and by each of
   * its settings ({@code credentials}, {@code credentials.client_email}, …). An empty set: the
   * section takes no settings. Empty (the default): not declared, nothing is checked before {@link
   * #open}.
   */
  default java.util.Optional<java.util.Set<String>> settings() {
    return java.util.Optional.empty();
  }

  /**
   * Where a store opened from {@code config} keeps its keys, for a startup banner: {@code project
   * 'p', endpoint secretmanager.googleapis.com:443}, {@code directory /var/lib/kes}, {@code in
   * memory}. Never a secret; does not contact the store. The default: empty (the banner shows the
   * provider id only).
   *
   * @param config the provider's own section, as for {@link #open}
   */
  default String describe(KeyStoreConfig config) {
    return "";
  }
}
