package dev.kes4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.CiphertextFormat;
import dev.kes4j.api.Identity;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStoreProvider;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.crypto.KeyBlobFormat;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.keystore.mem.MemKeyStoreProvider;
import dev.kes4j.policy.PolicyMatching;
import dev.kes4j.policy.PolicySet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class KesConfigTest {
  static final String MINIO = "ea9826089311fe44d7590408ede9150f7c637b6cab0a91ee6fe1aa5d9fb366f6";
  static final String ADMIN = "3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22";

  static String resource(String name) {
    try (InputStream in = KesConfigTest.class.getResourceAsStream("/configs/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static KesConfig parse(String yaml, Map<String, String> env) {
    return KesConfig.parse(yaml, new KesConfig.Options(env::get, false));
  }

  /** Stands in for the GCP provider: records the section it was given. */
  static final class RecordingProvider implements KeyStoreProvider {
    final AtomicReference<KeyStoreConfig> seen = new AtomicReference<>();

    @Override
    public String id() {
      return "gcp.secretmanager";
    }

    @Override
    public KeyStore open(KeyStoreConfig config) {
      seen.set(config);
      return new MemKeyStore();
    }
  }

  @Nested
  class MinioGcpGuide {
    final KesConfig config =
        parse(resource("minio-gcp-guide.yaml"), Map.of("MINIO_KES_IDENTITY", MINIO));

    @Test
    void isRecognisedAsTheKes016Schema() {
      assertThat(config.schema()).isEqualTo(KesConfig.Schema.V0_16);
      assertThat(config.adminIdentity()).isEqualTo("disabled");
      assertThat(config.policyMatching()).isEqualTo(PolicyMatching.GLOB);
      assertThat(config.address()).isEqualTo("0.0.0.0:7373");
      assertThat(config.tls().keyFile()).isEqualTo("./server.key");
      assertThat(config.tls().certFile()).isEqualTo("./server.cert");
      assertThat(config.cache())
          .isEqualTo(new CacheConfig(Duration.ofMinutes(5), Duration.ofSeconds(20), Duration.ZERO));
      assertThat(config.errorLog()).isEqualTo("on");
      assertThat(config.auditLog()).isEqualTo("off");
      assertThat(config.warnings()).isEmpty();
    }

    @Test
    void policyAssignsTheMinioIdentity() {
      assertThat(config.policies().get("minio").allow())
          .containsExactly("/v1/key/create/*", "/v1/key/generate/*", "/v1/key/decrypt/*");
      assertThat(config.policies().get("minio").identities()).containsExactly(MINIO);
      PolicySet set = config.policySet();
      assertThat(set.authorize(Identity.of(MINIO), "/v1/key/generate/minio-key").allowed())
          .isTrue();
      assertThat(set.authorize(Identity.of(MINIO), "/v1/key/delete/minio-key").allowed()).isFalse();
      // glob matching as KES 0.16: '*' does not cross '/'
      assertThat(set.authorize(Identity.of(MINIO), "/v1/key/create/a/b").allowed()).isFalse();
      // root: disabled means nobody is admin
      assertThat(set.authorize(Identity.of(ADMIN), "/v1/key/create/x").allowed()).isFalse();
    }

    @Test
    void selectsTheGcpProviderWithItsSection() {
      RecordingProvider gcp = new RecordingProvider();
      try (Kes kes =
          Kes.fromConfig(config, KeyStores.of(gcp, new MemKeyStoreProvider()), b -> {})) {
        assertThat(kes).isNotNull();
      }
      KeyStoreConfig section = gcp.seen.get();
      assertThat(section.path()).isEqualTo("keystore.gcp.secretmanager");
      assertThat(section.requireString("project_id")).isEqualTo("<your-project-id>");
      assertThat(section.sectionOrEmpty("credentials").requireString("client_email"))
          .isEqualTo("<client-email>");
      assertThat(section.toString()).doesNotContain("<private-key>");
    }

    @Test
    void missingIdentityVariableIsAnErrorNamingItAndTheLine() {
      assertThatThrownBy(() -> parse(resource("minio-gcp-guide.yaml"), Map.of()))
          .isInstanceOf(KesConfigException.class)
          .hasMessage(
              "policy.minio.identities[0]: referenced env. variable 'MINIO_KES_IDENTITY' in line"
                  + " '15' not found");
    }
  }

  @Nested
  class CurrentSchema {
    final Map<String, String> env =
        Map.of(
            "KES_ADMIN",
            ADMIN,
            "TLS_PASSWORD",
            "s3cret",
            "MONITORING_IDENTITY",
            MINIO,
            "EXTRA_KEY",
            "extra-key");
    final KesConfig config = parse(resource("current.yaml"), env);

    @Test
    void everySectionIsRead() {
      assertThat(config.schema()).isEqualTo(KesConfig.Schema.CURRENT);
      assertThat(config.adminIdentity()).isEqualTo(ADMIN);
      assertThat(config.policyMatching()).isEqualTo(PolicyMatching.PREFIX);
      assertThat(config.tls().verifyClientCertificates()).isTrue();
      assertThat(config.tls().password()).isEqualTo("s3cret");
      assertThat(config.tls().caPath()).isEqualTo("./ca.pem");
      assertThat(config.api().get("/v1/metrics"))
          .isEqualTo(new KesConfig.ApiRoute(true, Duration.ofSeconds(15)));
      assertThat(config.api().get("/v1/status").timeout()).isEqualTo(Duration.ofSeconds(90));
      assertThat(config.cache())
          .isEqualTo(
              new CacheConfig(
                  Duration.ofMinutes(10), Duration.ofMinutes(90), Duration.ofSeconds(30)));
      assertThat(config.keys()).containsExactly("my-app-key", "extra-key");
      assertThat(config.ciphertextFormat()).isEqualTo(CiphertextFormat.BINARY);
      assertThat(config.keyFormat()).isEqualTo(KeyBlobFormat.LEGACY_JSON);
      assertThat(config.errorMessages()).isEqualTo(KesConfig.ErrorMessages.CURRENT);
      assertThat(config.heapObjectsEvery()).contains(Duration.ofMinutes(5));
    }

    @Test
    void heapObjectCountingIsADurationOrOffAndUnsetByDefault() {
      String base = "admin:\n  identity: x\nkeystore:\n  mem: {}\n";
      assertThat(parse(base, Map.of()).heapObjectsEvery()).isEmpty();
      assertThat(parse(base + "kes4j:\n  heap_objects: off\n", Map.of()).heapObjectsEvery())
          .contains(Duration.ZERO);
      assertThat(parse(base + "kes4j:\n  heap_objects: 30s\n", Map.of()).heapObjectsEvery())
          .contains(Duration.ofSeconds(30));
      assertThatThrownBy(() -> parse(base + "kes4j:\n  heap_objects: -1m\n", Map.of()))
          .hasMessage("kes4j.heap_objects (line 6): duration must not be negative: -1m");
      assertThatThrownBy(() -> parse(base + "kes4j:\n  heap_objects: hourly\n", Map.of()))
          .hasMessageStartingWith("kes4j.heap_objects (line 6): time: ");
    }

    @Test
    void policyPatternsAreNeverSubstituted() {
      assertThat(config.policies().get("monitoring").allow())
          .containsExactly("/v1/metrics", "${NOT_SUBSTITUTED}");
      assertThat(config.policies().get("monitoring").identities()).containsExactly(MINIO);
    }

    @Test
    void secretsNeverPrint() {
      assertThat(config.tls().toString()).doesNotContain("s3cret").contains("<redacted>");
      assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void fromConfigCreatesTheListedKeysOnTheMemStore() {
      try (Kes kes = Kes.fromConfig(config, KeyStores.of(new MemKeyStoreProvider()), b -> {})) {
        assertThat(kes.listKeys("*", "", 0).items()).containsExactly("extra-key", "my-app-key");
        assertThat(kes.as(Identity.of(ADMIN)).listKeys("*", "", 0).items()).hasSize(2);
      }
    }
  }

  @Nested
  class Errors {
    @Test
    void currentSchemaNeedsAKeystore() {
      assertThatThrownBy(() -> parse("admin:\n  identity: disabled\n", Map.of()))
          .isInstanceOf(KesConfigException.class)
          .hasMessage("keystore: no keystore specified");
    }

    @Test
    void kes016WithoutKeystoreUsesMemory() {
      KesConfig c = parse("root: disabled\n", Map.of());
      assertThat(c.keyStore()).isEmpty();
      try (Kes kes = Kes.fromConfig(c, KeyStores.of(new MemKeyStoreProvider()), b -> {})) {
        kes.createKey("k");
      }
    }

    @Test
    void adminIdentityIsRequired() {
      assertThatThrownBy(() -> parse("admin:\n  identity: ''\nkeystore:\n  mem: {}\n", Map.of()))
          .hasMessage("admin.identity (line 2): invalid admin identity: no admin identity");
      assertThatThrownBy(() -> parse("root: ''\n", Map.of()))
          .hasMessage("root (line 1): no root identity has been specified");
    }

    @Test
    void badDurationsNameTheSetting() {
      assertThatThrownBy(
              () ->
                  parse(
                      "admin:\n  identity: x\ncache:\n  expiry:\n    any: 5 minutes\nkeystore:\n  mem: {}\n",
                      Map.of()))
          .hasMessageStartingWith("cache.expiry.any (line 5): time: ");
      assertThatThrownBy(
              () ->
                  parse(
                      "admin:\n  identity: x\ncache:\n  expiry:\n    unused: -5s\nkeystore:\n  mem: {}\n",
                      Map.of()))
          .hasMessage("cache.expiry.unused (line 5): duration must not be negative: -5s");
    }

    @Test
    void unknownSettingsWarnOrFailInStrictMode() {
      String yaml = "admin:\n  identity: x\nfoo: bar\nkeystore:\n  mem: {}\n";
      assertThat(parse(yaml, Map.of()).warnings())
          .containsExactly("foo (line 3): unknown setting 'foo'");
      assertThatThrownBy(() -> KesConfig.parse(yaml, new KesConfig.Options(k -> null, true)))
          .hasMessage("foo (line 3): unknown setting 'foo'");
    }

    @Test
    void anIdentityMayHaveOnlyOnePolicy() {
      String yaml =
          "admin:\n  identity: disabled\npolicy:\n  a:\n    identities: ["
              + MINIO
              + "]\n"
              + "  b:\n    identities: ["
              + MINIO
              + "]\nkeystore:\n  mem: {}\n";
      assertThatThrownBy(() -> parse(yaml, Map.of()))
          .hasMessageContaining("policy.b.identities[0] (line 7)")
          .hasMessageContaining("already assigned to policy 'a'");
    }

    @Test
    void theAdminCannotBeAssigned() {
      String yaml =
          "admin:\n  identity: "
              + ADMIN
              + "\npolicy:\n  a:\n    identities: ["
              + ADMIN
              + "]\n"
              + "keystore:\n  mem: {}\n";
      assertThatThrownBy(() -> parse(yaml, Map.of()))
          .hasMessageContaining("admin identity cannot be assigned");
    }

    @Test
    void duplicateStartupKeysAreRejected() {
      String yaml =
          "admin:\n  identity: x\nkeys:\n  - name: a\n  - name: a\nkeystore:\n  mem: {}\n";
      assertThatThrownBy(() -> parse(yaml, Map.of()))
          .hasMessage("keys[1].name (line 5): key 'a' is listed more than once");
    }

    @Test
    void unknownKeystoreIsNamed() {
      KesConfig c =
          parse("admin:\n  identity: x\nkeystore:\n  vault:\n    endpoint: x\n", Map.of());
      assertThatThrownBy(() -> Kes.fromConfig(c, KeyStores.of(new MemKeyStoreProvider()), b -> {}))
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("unknown key store 'vault'");
    }

    @Test
    void badGlobPatternsFailAtLoad() {
      KesConfig c =
          parse(
              "root: disabled\npolicy:\n  p:\n    allow: ['/v1/key/generate/my-key-[a-]']\n",
              Map.of());
      assertThatThrownBy(c::policySet).isInstanceOf(KesConfigException.class);
    }

    @Test
    void kes014PathsAreReadAsAllow() {
      KesConfig c =
          parse("root: disabled\npolicy:\n  p:\n    paths: ['/v1/key/create/*']\n", Map.of());
      assertThat(c.policies().get("p").allow()).containsExactly("/v1/key/create/*");
    }

    @Test
    void notAMapping() {
      assertThatThrownBy(() -> parse("- a\n- b\n", Map.of()))
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("mapping");
    }
  }

  @Test
  void environmentIsTakenFromTheProcessByDefault() {
    Map<String, String> seen = new HashMap<>(System.getenv());
    assertThat(KesConfig.Options.defaults().env().apply("PATH")).isEqualTo(seen.get("PATH"));
    assertThat(List.of(KesConfig.Schema.values())).hasSize(2);
  }
}
