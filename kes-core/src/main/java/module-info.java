/**
 * The kes4j engine: {@link dev.kes4j.core.Kes} (a {@link dev.kes4j.api.KeyService} over any {@link
 * dev.kes4j.api.spi.KeyStore}), its key cache, the KES YAML config and the audit hooks.
 *
 * <p>Every module whose types appear in the exported API is required transitively, so an
 * application that {@code requires dev.kes4j.core} can name {@code KeyService}, {@code PolicySet}
 * and {@code KeyBlobFormat} without further {@code requires}. Key store providers are found by
 * {@link dev.kes4j.api.spi.KeyStores#discover()}, whose module declares the {@code uses}; any
 * provider module on the module path (for example {@code dev.kes4j.keystore.mem}) is bound by
 * service binding. Logging goes to SLF4J; the config parser is SnakeYAML. Only {@code
 * dev.kes4j.core} is exported; {@code dev.kes4j.core.internal} is encapsulated.
 */
module dev.kes4j.core {
  requires transitive dev.kes4j.api;
  requires transitive dev.kes4j.crypto;
  requires transitive dev.kes4j.policy;
  requires org.slf4j;
  requires org.yaml.snakeyaml;

  exports dev.kes4j.core;
}
