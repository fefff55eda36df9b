/**
 * The key store conformance kit for plug-in authors: {@link dev.kes4j.testkit.KeyStoreContract}
 * (JUnit 5 tests every {@link dev.kes4j.api.spi.KeyStore} must pass) and {@link
 * dev.kes4j.testkit.FaultyKeyStore} (latency, errors and outages injected into any store).
 *
 * <p>The module is open so that JUnit can run the contract's tests reflectively on the module path.
 */
open module dev.kes4j.testkit {
  requires transitive dev.kes4j.api;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;

  exports dev.kes4j.testkit;
}
