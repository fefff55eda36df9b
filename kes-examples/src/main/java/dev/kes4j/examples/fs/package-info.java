/**
 * Example 3, a custom key store plug-in: {@link dev.kes4j.examples.fs.FileKeyStore}, a persistent
 * filesystem key store written against the SPI only, and its {@link
 * dev.kes4j.examples.fs.FileKeyStoreProvider} (id {@code fs}), found through {@link
 * java.util.ServiceLoader}.
 */
package dev.kes4j.examples.fs;
