/** kes4j types and SPI: the operations, values, errors and the key store plug-in contract. */
module dev.kes4j.api {
  exports dev.kes4j.api;
  exports dev.kes4j.api.spi;
  // the shared codecs: for kes4j's own modules only (some are not yet modular: -Xlint:-module)
  exports dev.kes4j.api.internal to
      dev.kes4j.crypto,
      dev.kes4j.core,
      dev.kes4j.http,
      dev.kes4j.client,
      dev.kes4j.server,
      dev.kes4j.cli;

  uses dev.kes4j.api.spi.KeyStoreProvider;
}
