/**
 * An in-memory {@link dev.kes4j.api.spi.KeyStore} (spec §5.5) and its provider, id {@code mem}.
 *
 * <pre>{@code
 * KeyStore store = new MemKeyStore();                       // directly
 * KeyStore same = KeyStores.discover().open(keystoreConfig); // keystore: { mem: {} }
 * }</pre>
 */
package dev.kes4j.keystore.mem;
