package dev.kes4j.client;

import dev.kes4j.api.KeyService;
import dev.kes4j.core.Kes;
import dev.kes4j.keystore.mem.MemKeyStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@link KeyServiceContract} on the in-process engine. */
class EngineKeyServiceTest extends KeyServiceContract {
  private Kes kes;

  @BeforeAll
  void start() {
    kes = Kes.builder().keyStore(new MemKeyStore()).build();
  }

  @AfterAll
  void stop() {
    kes.close();
  }

  @Override
  protected KeyService service() {
    return kes;
  }
}
