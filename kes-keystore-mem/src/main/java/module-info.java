/**
 * The in-memory key store: provider id {@code mem}, selected in a KES config by {@code keystore:
 * mem: {}}. Keys live only as long as the process; used by {@code kes4j server --dev} and in tests.
 */
module dev.kes4j.keystore.mem {
  requires transitive dev.kes4j.api;

  exports dev.kes4j.keystore.mem;

  provides dev.kes4j.api.spi.KeyStoreProvider with
      dev.kes4j.keystore.mem.MemKeyStoreProvider;
}
