package dev.kes4j.client;

import dev.kes4j.api.KeyService;
import dev.kes4j.core.KesConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The {@link KeyServiceContract} on a {@link KesClient} talking to a real kes4j server over mTLS,
 * so that the engine and the client cannot drift apart.
 */
class ClientKeyServiceTest extends KeyServiceContract {
  private TestServer server;
  private KesClient client;

  @BeforeAll
  void start() {
    server = new TestServer(KesConfig.ErrorMessages.CURRENT, false);
    client = server.admin();
  }

  @AfterAll
  void stop() {
    client.close();
    server.close();
  }

  @Override
  protected KeyService service() {
    return client;
  }
}
