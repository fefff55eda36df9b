package dev.kes4j.keystore.gcp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.testkit.KeyStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/**
 * The key store contract against the real Secret Manager. Runs only when {@code KES4J_GCP_PROJECT}
 * and {@code GOOGLE_APPLICATION_CREDENTIALS} are set (optionally {@code KES4J_GCP_ENDPOINT});
 * otherwise every test is skipped with a visible reason. Each test works under its own random name
 * prefix and deletes what it created.
 */
class RealSecretManagerContractTest extends KeyStoreContract {
  private static final String PROJECT = System.getenv("KES4J_GCP_PROJECT");

  @BeforeAll
  static void requireCredentials() {
    assumeTrue(
        PROJECT != null
            && !PROJECT.isBlank()
            && System.getenv("GOOGLE_APPLICATION_CREDENTIALS") != null,
        "real-GCP test skipped: set KES4J_GCP_PROJECT and GOOGLE_APPLICATION_CREDENTIALS to run it");
  }

  @Override
  protected KeyStore newStore() {
    String endpoint = System.getenv("KES4J_GCP_ENDPOINT");
    return GcpSecretManagerKeyStore.builder()
        .projectId(PROJECT)
        .endpoint(endpoint == null ? "" : endpoint)
        .timeout(Duration.ofSeconds(15))
        .build();
  }

  @Override
  protected int maxValueSize() {
    return 64 * 1024;
  }

  /** A thousand secrets per run would be slow and costly on the real service. */
  @Override
  protected boolean supportsLargeListings() {
    return false;
  }

  /** Keep the real project's write rate modest. */
  @Override
  protected int concurrency() {
    return 4;
  }
}
