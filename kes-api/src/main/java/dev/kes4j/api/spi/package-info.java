/** The key store plug-in contract: {@link dev.kes4j.api.spi.KeyStore} and its providers. */
package dev.kes4j.api.spi;
