package dev.kes4j.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyService;
import dev.kes4j.client.KesClient;
import dev.kes4j.core.Kes;
import dev.kes4j.keystore.gcp.fake.FakeSecretManager;
import io.grpc.Status;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The GCP Secret Manager store over the loopback fake, in-process and behind a server. */
@KesTest(store = KesTest.Store.GCP_FAKE, keys = "gcp-key")
class GcpFakeStoreTest {
  private static final byte[] CONTEXT = {1, 2, 3};

  @Test
  void declaredKeysAreSecretsInTheFake(FakeSecretManager fake, KeyService kms, KesFixture fixture) {
    assertThat(fake.secretIds()).containsExactly("gcp-key");
    assertThat(fake.versionCount("gcp-key")).isEqualTo(1);
    assertThat(fixture.fakeSecretManager(FakeSecretManager.class)).isSameAs(fake);
    DataKey dek = kms.generateKey("gcp-key", CONTEXT);
    assertThat(kms.decrypt("gcp-key", dek.ciphertext(), CONTEXT)).isEqualTo(dek.plaintext());
  }

  @RepeatedTest(2)
  void keysATestCreatesAreDeletedFromTheFakeAfterIt(FakeSecretManager fake, Kes kes) {
    assertThat(fake.secretIds()).containsExactly("gcp-key");
    kes.createKey("scratch");
    assertThat(fake.secretIds()).containsExactlyInAnyOrder("gcp-key", "scratch");
  }

  @Test
  void faultsInjectedIntoTheFakeReachTheEngine(FakeSecretManager fake, Kes kes) {
    fake.failNext(FakeSecretManager.Method.CREATE_SECRET, Status.Code.UNAVAILABLE, 10);
    try {
      assertThatThrownBy(() -> kes.createKey("never-stored")).isInstanceOf(KesException.class);
    } finally {
      fake.clearFaults();
    }
    assertThat(fake.secretIds()).containsExactly("gcp-key");
  }

  @Nested
  @KesTest(mode = KesTest.Mode.SERVER, store = KesTest.Store.GCP_FAKE, keys = "minio-key")
  class BehindAServer {
    @Test
    void aClientReachesTheFakeThroughTheServer(KesClient client, FakeSecretManager fake) {
      client.createKey("over-https");
      assertThat(fake.secretIds()).containsExactlyInAnyOrder("minio-key", "over-https");
      DataKey dek = client.generateKey("minio-key", CONTEXT);
      assertThat(client.decrypt("minio-key", dek.ciphertext(), CONTEXT)).isEqualTo(dek.plaintext());
    }
  }
}
