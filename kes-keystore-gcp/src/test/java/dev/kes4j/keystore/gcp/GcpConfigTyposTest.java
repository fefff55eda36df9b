package dev.kes4j.keystore.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MinIO guide's GCP section with typos, against the real provider's declared settings. */
class GcpConfigTyposTest {
  static final KeyStores STORES = KeyStores.of(new GcpSecretManagerKeyStoreProvider());

  static KesConfig parse(String section) {
    return KesConfig.parse(
        "admin:\n  identity: disabled\nkeystore:\n  gcp:\n    secretmanager:\n" + section,
        new KesConfig.Options(Map.<String, String>of()::get, false));
  }

  @Test
  void projectidIsANearMissOfProjectId() {
    assertThatThrownBy(() -> Kes.openConfig(parse("      projectid: p\n"), STORES, b -> {}))
        .hasMessage(
            "keystore.gcp.secretmanager.projectid (line 6, column 7): unknown setting 'projectid'"
                + " — did you mean 'project_id'?");
  }

  @Test
  void clientMailIsANearMissOfClientEmail() {
    String section =
        "      project_id: p\n      credentials:\n        client_mail: kes@p.iam.gserviceaccount.com\n"
            + "        client_id: '1'\n";
    assertThatThrownBy(() -> Kes.openConfig(parse(section), STORES, b -> {}))
        .hasMessage(
            "keystore.gcp.secretmanager.credentials.client_mail (line 8, column 9): unknown"
                + " setting 'client_mail' — did you mean 'client_email'?");
  }

  @Test
  void describeNamesProjectAndEndpoint() {
    KeyStoreConfig ks =
        KeyStoreConfig.of(
            "keystore",
            Map.of(
                "gcp",
                Map.of(
                    "secretmanager",
                    Map.of("project_id", "my-project", "endpoint", "http://127.0.0.1:8085"))));
    assertThat(STORES.describe(ks))
        .isEqualTo(
            "gcp.secretmanager: project 'my-project', endpoint 127.0.0.1:8085 (emulator,"
                + " plaintext)");
    KeyStoreConfig google =
        KeyStoreConfig.of(
            "keystore", Map.of("gcp", Map.of("secretmanager", Map.of("project_id", "my-project"))));
    assertThat(
            new GcpSecretManagerKeyStoreProvider()
                .describe(google.sectionOrEmpty("gcp").sectionOrEmpty("secretmanager")))
        .startsWith("project 'my-project', endpoint ");
  }
}
