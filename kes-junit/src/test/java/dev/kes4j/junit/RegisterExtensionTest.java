package dev.kes4j.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.CiphertextFormat;
import dev.kes4j.api.DataKey;
import dev.kes4j.api.NotAuthorizedException;
import dev.kes4j.client.KesClient;
import dev.kes4j.core.AuditEvent;
import dev.kes4j.policy.ApiKey;
import dev.kes4j.policy.PolicyMatching;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The second way: {@code @RegisterExtension} with the builder, for settings an annotation cannot
 * carry (policies, engine customization).
 */
@ResourceLock(providers = KesLocks.class)
class RegisterExtensionTest {
  static final ApiKey APP = ApiKey.generate();
  static final List<AuditEvent> AUDIT = new CopyOnWriteArrayList<>();

  @RegisterExtension
  static KesExtension kes =
      KesExtension.builder()
          .mode(KesTest.Mode.SERVER)
          .keys("app-key", "other-key")
          .policies(
              p ->
                  p.policy(
                          "app",
                          PolicyMatching.PREFIX,
                          List.of("/v1/key/generate/app-*", "/v1/key/decrypt/app-*"),
                          List.of())
                      .assign(APP.identity(), "app"))
          .customizeEngine(b -> b.auditSink(AUDIT::add).ciphertextFormat(CiphertextFormat.BINARY))
          .build();

  @Test
  void anIdentityWithAPolicyMayDoWhatItAllowsAndNothingElse(KesFixture fixture) {
    try (KesClient app = fixture.clientBuilder().apiKey(APP.encode()).build()) {
      DataKey dek = app.generateKey("app-key", null);
      assertThat(app.decrypt("app-key", dek.ciphertext(), null)).isEqualTo(dek.plaintext());
      assertThatThrownBy(() -> app.generateKey("other-key", null))
          .isInstanceOf(NotAuthorizedException.class);
      assertThatThrownBy(() -> app.createKey("app-new")).isInstanceOf(NotAuthorizedException.class);
    }
  }

  @Test
  void theAdminStaysAdminAndTheEngineCustomizationApplies(KesClient admin) {
    AUDIT.clear();
    admin.createKey("admin-made");
    DataKey dek = admin.generateKey("admin-made", null);
    // BINARY: ciphertext of the 32-byte key, tag, iv, nonce (JSON would be far longer)
    assertThat(dek.ciphertext()).hasSize(32 + 16 + 16 + 12);
    assertThat(AUDIT).extracting(AuditEvent::path).contains("/v1/key/create/admin-made");
  }

  @Test
  void toStringShowsTheConfiguration() {
    assertThat(kes.toString()).contains("SERVER").contains("app-key");
  }
}
