/**
 * KES's filesystem {@link dev.kes4j.api.spi.KeyStore} (spec §5.4), {@link
 * dev.kes4j.keystore.fs.FsKeyStore}, and its provider {@link
 * dev.kes4j.keystore.fs.FsKeyStoreProvider}, id {@code fs}.
 *
 * <pre>{@code
 * KeyStore store = FsKeyStore.open(Path.of("/var/lib/kes/keys"));   // directly
 * KeyStore same = KeyStores.discover().open(keystoreConfig);         // keystore: { fs: { path: … } }
 * }</pre>
 */
package dev.kes4j.keystore.fs;
