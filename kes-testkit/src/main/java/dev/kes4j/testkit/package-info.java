/**
 * Test support for {@link dev.kes4j.api.spi.KeyStore} implementations.
 *
 * <ul>
 *   <li>{@link dev.kes4j.testkit.KeyStoreContract}: extend it in your store's test and implement
 *       {@code newStore()}; JUnit 5 then runs the whole KES key store contract against it.
 *   <li>{@link dev.kes4j.testkit.FaultyKeyStore}: wrap any store to inject latency, failures,
 *       outages and flapping, to test what sits above a store.
 * </ul>
 */
package dev.kes4j.testkit;
