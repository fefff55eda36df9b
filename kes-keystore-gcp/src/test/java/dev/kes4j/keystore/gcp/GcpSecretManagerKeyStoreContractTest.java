package dev.kes4j.keystore.gcp;

import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.keystore.gcp.fake.FakeSecretManager;
import dev.kes4j.testkit.KeyStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The key store contract, with the real client over loopback TCP against the fake. */
class GcpSecretManagerKeyStoreContractTest extends KeyStoreContract {
  private static FakeSecretManager fake;

  @BeforeAll
  static void startFake() {
    fake = new FakeSecretManager().start();
  }

  @AfterAll
  static void stopFake() {
    fake.close();
  }

  @Override
  protected KeyStore newStore() {
    return GcpSecretManagerKeyStore.builder()
        .projectId(fake.projectId())
        .endpoint(fake.endpoint())
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  /** Secret Manager holds at most 64 KiB per version. */
  @Override
  protected int maxValueSize() {
    return FakeSecretManager.MAX_PAYLOAD_BYTES;
  }
}
