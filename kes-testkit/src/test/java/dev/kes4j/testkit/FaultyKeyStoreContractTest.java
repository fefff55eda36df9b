package dev.kes4j.testkit;

import dev.kes4j.api.spi.KeyStore;

/** A {@link FaultyKeyStore} with no faults set passes the whole contract: it is transparent. */
class FaultyKeyStoreContractTest extends KeyStoreContract {
  @Override
  protected KeyStore newStore() {
    return FaultyKeyStore.wrap(new SimpleMapKeyStore());
  }
}
