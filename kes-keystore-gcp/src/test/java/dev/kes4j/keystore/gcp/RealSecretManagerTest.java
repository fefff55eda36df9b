package dev.kes4j.keystore.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A round trip against the real Secret Manager, reported as skipped (with the reason) unless {@code
 * KES4J_GCP_PROJECT} and {@code GOOGLE_APPLICATION_CREDENTIALS} are set. The full contract runs in
 * {@link RealSecretManagerContractTest} under the same condition.
 */
class RealSecretManagerTest {
  @Test
  void roundTripOnRealGcp() {
    String project = System.getenv("KES4J_GCP_PROJECT");
    assumeTrue(
        project != null
            && !project.isBlank()
            && System.getenv("GOOGLE_APPLICATION_CREDENTIALS") != null,
        "real-GCP test skipped: set KES4J_GCP_PROJECT and GOOGLE_APPLICATION_CREDENTIALS to run it");
    String endpoint = System.getenv("KES4J_GCP_ENDPOINT");
    String name = "kes4j-it-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    byte[] value =
        "{\"bytes\":\"J8qmOyEV2ce2yoAC+5t0Y7CSP/hTMppL7XHpAnyc+0E=\"}"
            .getBytes(StandardCharsets.UTF_8);
    try (GcpSecretManagerKeyStore store =
        GcpSecretManagerKeyStore.builder()
            .projectId(project)
            .endpoint(endpoint == null ? "" : endpoint)
            .timeout(Duration.ofSeconds(15))
            .build()) {
      assertThat(store.status().isNegative()).isFalse();
      store.create(name, value);
      try {
        assertThat(store.get(name)).isEqualTo(value);
        assertThatThrownBy(() -> store.create(name, value)).isInstanceOf(KeyExistsException.class);
        assertThat(store.list(name, "", 0).items()).containsExactly(name);
      } finally {
        store.delete(name);
      }
      assertThatThrownBy(() -> store.get(name)).isInstanceOf(KeyNotFoundException.class);
    }
  }
}
