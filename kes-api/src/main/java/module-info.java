/** kes4j types and SPI: the operations, values, errors and the key store plug-in contract. */
module dev.kes4j.api {
  exports dev.kes4j.api;
  exports dev.kes4j.api.spi;

  uses dev.kes4j.api.spi.KeyStoreProvider;
}
