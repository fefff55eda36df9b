package dev.kes4j.keystore.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.keystore.gcp.fake.FakeSecretManager;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The provider as the engine uses it: discovered, given the {@code keystore:} tree of a config. */
class GcpSecretManagerKeyStoreProviderTest {
  private static final String PATH = "keystore.gcp.secretmanager";
  private static FakeSecretManager fake;

  @BeforeAll
  static void startFake() {
    fake = new FakeSecretManager().start();
  }

  @AfterAll
  static void stopFake() {
    fake.close();
  }

  /** The {@code keystore:} tree of a KES config holding {@code gcp.secretmanager: section}. */
  private static KeyStoreConfig keystore(Map<String, Object> section) {
    return KeyStoreConfig.of("keystore", Map.of("gcp", Map.of("secretmanager", section)));
  }

  private static Map<String, Object> credentials(
      String email, String id, String keyId, String key) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("client_email", email);
    c.put("client_id", id);
    c.put("private_key_id", keyId);
    c.put("private_key", key);
    return c;
  }

  @Test
  void isDiscoveredUnderItsId() {
    KeyStores stores = KeyStores.discover();
    assertThat(stores.ids()).contains("gcp.secretmanager");
    assertThat(stores.provider("gcp.secretmanager"))
        .containsInstanceOf(GcpSecretManagerKeyStoreProvider.class);
    assertThat(new GcpSecretManagerKeyStoreProvider().id()).isEqualTo("gcp.secretmanager");
  }

  @Test
  void opensAStoreFromAKesConfigSection() {
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("project_id", fake.projectId());
    section.put("endpoint", fake.endpoint());
    section.put("credentials", credentials("", "", "", ""));
    section.put("timeout", "4s");
    try (KeyStore store = KeyStores.discover().open(keystore(section))) {
      assertThat(store).isInstanceOf(GcpSecretManagerKeyStore.class);
      assertThat(store.toString()).contains("PT4S");
      store.create("from-config", "v".getBytes(StandardCharsets.UTF_8));
      assertThat(store.get("from-config")).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
      store.delete("from-config");
    }
  }

  @Test
  void aConfigWithAnyProjectIdRunsOverTheFake() {
    // the fake serves any project, as Google's emulators do: a config written for a real project
    // needs only its endpoint changed
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("project_id", "my-project");
    section.put("endpoint", fake.endpoint());
    try (KeyStore store = KeyStores.discover().open(keystore(section))) {
      store.create("in-my-project", "v".getBytes(StandardCharsets.UTF_8));
      assertThat(store.get("in-my-project")).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
      assertThat(store.list("", "", 10).items()).containsExactly("in-my-project");
      assertThat(fake.secretIds("my-project")).containsExactly("in-my-project");
      assertThat(fake.secretIds()).as("not in the fake's default project").isEmpty();
      store.delete("in-my-project");
    }
  }

  @Test
  void aFakePinnedToAnotherProjectDeniesIt() {
    try (FakeSecretManager pinned = new FakeSecretManager("other-project", 42).start()) {
      Map<String, Object> section = new LinkedHashMap<>();
      section.put("project_id", "my-project");
      section.put("endpoint", pinned.endpoint());
      section.put("timeout", "2s");
      try (KeyStore store = KeyStores.discover().open(keystore(section))) {
        assertThatThrownBy(() -> store.create("k", new byte[] {1}))
            .isInstanceOf(KesException.class);
        assertThat(pinned.secretIds()).isEmpty();
      }
    }
  }

  @Test
  void serviceAccountCredentialsAreIgnoredForAnEmulator() {
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("project_id", fake.projectId());
    section.put("endpoint", fake.endpoint());
    section.put("scopes", List.of("https://www.googleapis.com/auth/cloud-platform"));
    section.put(
        "credentials",
        credentials("kes@p.iam.gserviceaccount.com", "1234", "kid", TestKeys.PEM_ESCAPED));
    try (KeyStore store = KeyStores.discover().open(keystore(section))) {
      assertThat(store.status().isNegative()).isFalse();
    }
  }

  @Test
  void applicationDefaultCredentialsAreNotLookedUpAtConstruction() {
    // no ADC on this machine; building must still work, and close must not throw
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("project_id", "my-project");
    section.put("endpoint", "https://secretmanager.googleapis.com");
    try (KeyStore store =
        new GcpSecretManagerKeyStoreProvider().open(KeyStoreConfig.of(PATH, section))) {
      assertThat(store.toString()).contains("secretmanager.googleapis.com:443");
    }
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(Map.of(), PATH + ".project_id: required but not set"),
        Arguments.of(Map.of("project_id", "a/b"), PATH + ".project_id: not a valid GCP project id"),
        Arguments.of(
            Map.of("project_id", "p", "endpoint", "ftp://x"),
            PATH + ".endpoint: unsupported endpoint scheme (use host[:port], https:// or http://)"),
        Arguments.of(
            Map.of("project_id", "p", "timeout", "soon"),
            PATH + ".timeout: time: invalid duration \"soon\""),
        Arguments.of(
            Map.of("project_id", "p", "timeout", "-1s"),
            PATH + ".timeout: duration must not be negative"),
        Arguments.of(
            Map.of("project_id", "p", "attempt_timeout", "0s"),
            PATH + ".attempt_timeout: must be positive"),
        Arguments.of(
            Map.of("project_id", "p", "credentials", credentials("e@x", "", "k", "pem")),
            PATH + ".credentials.client_id: gcp: no client ID provided"),
        Arguments.of(
            Map.of("project_id", "p", "credentials", credentials("", "1", "k", "pem")),
            PATH + ".credentials.client_email: gcp: no client email provided"),
        Arguments.of(
            Map.of("project_id", "p", "credentials", credentials("e@x", "1", "", "pem")),
            PATH + ".credentials.private_key_id: gcp: no private key ID provided"),
        Arguments.of(
            Map.of("project_id", "p", "credentials", credentials("e@x", "1", "k", "")),
            PATH + ".credentials.private_key: gcp: no private key provided"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalid")
  void invalidSectionsNameTheSetting(Map<String, Object> section, String message) {
    KeyStoreConfig config = keystore(new HashMap<>(section));
    assertThatThrownBy(() -> KeyStores.discover().open(config))
        .isInstanceOf(KesConfigException.class)
        .hasMessage(message);
  }
}
