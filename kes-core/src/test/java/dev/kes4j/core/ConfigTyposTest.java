package dev.kes4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStoreProvider;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.keystore.mem.MemKeyStoreProvider;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Near misses of known settings are errors with line, column and the setting meant. */
class ConfigTyposTest {
  static final String ADMIN = KesConfigTest.ADMIN;

  static KesConfig parse(String yaml) {
    return KesConfig.parse(yaml, new KesConfig.Options(k -> null, false));
  }

  /** Declares the GCP provider's settings; counts opens (none may happen after a typo). */
  static final class GcpLike implements KeyStoreProvider {
    final AtomicInteger opened = new AtomicInteger();

    @Override
    public String id() {
      return "gcp.secretmanager";
    }

    @Override
    public KeyStore open(KeyStoreConfig config) {
      opened.incrementAndGet();
      return new MemKeyStore();
    }

    @Override
    public Optional<Set<String>> settings() {
      return Optional.of(
          Set.of(
              "project_id",
              "endpoint",
              "credentials",
              "credentials.client_email",
              "credentials.client_id",
              "credentials.private_key_id",
              "credentials.private_key"));
    }
  }

  static Stream<Arguments> schemaTypos() {
    return Stream.of(
        Arguments.of(
            "adress: 0.0.0.0:7373\nadmin:\n  identity: disabled\nkeystore:\n  mem: {}\n",
            "adress (line 1, column 1): unknown setting 'adress' — did you mean 'address'?"),
        Arguments.of(
            "admin:\n  identity: disabled\npolicy:\n  app:\n    alow: [/v1/key/*]\nkeystore:\n  mem: {}\n",
            "policy.app.alow (line 5, column 5): unknown setting 'alow' — did you mean 'allow'?"),
        Arguments.of(
            "admin:\n  identity: disabled\ntls:\n  cret: x.cert\nkeystore:\n  mem: {}\n",
            "tls.cret (line 4, column 3): unknown setting 'cret' — did you mean 'cert'?"),
        Arguments.of(
            "admin:\n  identity: disabled\ncache:\n  expiry:\n    Unused: 5s\nkeystore:\n  mem: {}\n",
            "cache.expiry.Unused (line 5, column 5): unknown setting 'Unused' — did you mean"
                + " 'unused'?"),
        Arguments.of(
            "admin:\n  identiy: disabled\nkeystore:\n  mem: {}\n",
            "admin.identiy (line 2, column 3): unknown setting 'identiy' — did you mean"
                + " 'identity'?"),
        Arguments.of(
            "admin:\n  identity: disabled\nkey:\n  - name: a\nkeystore:\n  mem: {}\n",
            "key (line 3, column 1): unknown setting 'key' — did you mean 'keys'?"),
        // KES 0.16 schema
        Arguments.of(
            "root: disabled\nadress: 0.0.0.0:7373\n",
            "adress (line 2, column 1): unknown setting 'adress' — did you mean 'address'?"),
        Arguments.of(
            "root: disabled\npolicy:\n  app:\n    pahts: [/v1/key/*]\n",
            "policy.app.pahts (line 4, column 5): unknown setting 'pahts' — did you mean 'paths'?"),
        Arguments.of(
            "root: disable\n",
            "root (line 1, column 1): invalid value 'disable' — did you mean 'disabled'?"),
        Arguments.of(
            "admin:\n  identity: disbaled\nkeystore:\n  mem: {}\n",
            "admin.identity (line 2, column 3): invalid value 'disbaled' — did you mean"
                + " 'disabled'?"),
        Arguments.of(
            "kes4j:\n  strcit: true\nroot: disabled\n",
            "kes4j.strcit (line 2, column 3): unknown setting 'strcit' — did you mean 'strict'?"));
  }

  @ParameterizedTest
  @MethodSource("schemaTypos")
  void aNearMissIsAnErrorNamingLineColumnAndTheSettingMeant(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(KesConfigException.class)
        .hasMessage(message);
  }

  @Test
  void anIdentityOfAlmostTheRightLengthIsAnError() {
    String yaml = "admin:\n  identity: " + ADMIN.substring(1) + "\nkeystore:\n  mem: {}\n";
    assertThatThrownBy(() -> parse(yaml))
        .hasMessageStartingWith("admin.identity (line 2, column 3): '")
        .hasMessageContaining("is not an identity: expected 64 lowercase hex characters (got 63)");
  }

  @Test
  void anyOtherNonHexAdminStillDisablesTheAdminAsInKes() {
    assertThat(parse("root: _\n").adminIdentity()).isEqualTo("_");
    assertThat(parse("admin:\n  identity: off\nkeystore:\n  mem: {}\n").warnings()).isEmpty();
  }

  @Test
  void unrelatedUnknownKeysStayWarningsUnlessStrict() {
    String yaml = "admin:\n  identity: disabled\nmetrics: on\nkeystore:\n  mem: {}\n";
    assertThat(parse(yaml).warnings())
        .containsExactly("metrics (line 3): unknown setting 'metrics'");
    assertThatThrownBy(() -> KesConfig.parse(yaml, new KesConfig.Options(k -> null, true)))
        .hasMessage("metrics (line 3): unknown setting 'metrics'");
  }

  @Test
  void aPolicyWithoutAllowRulesIsReported() {
    String yaml =
        "admin:\n  identity: disabled\npolicy:\n  minio:\n    deny: [/v1/key/delete/*]\n"
            + "keystore:\n  mem: {}\n";
    assertThat(parse(yaml).warnings())
        .containsExactly(
            "policy.minio (line 5): policy 'minio' has no allow rules: it allows nothing");
  }

  @Nested
  class KeyStoreSections {
    final GcpLike gcp = new GcpLike();
    final KeyStores stores = KeyStores.of(new MemKeyStoreProvider(), gcp);

    String gcpConfig(String section) {
      return "admin:\n  identity: disabled\nkeystore:\n  gcp:\n    secretmanager:\n" + section;
    }

    @Test
    void aNearMissOfAProviderSettingIsAnErrorBeforeTheStoreIsOpened() {
      KesConfig config = parse(gcpConfig("      projectid: my-project\n"));
      assertThatThrownBy(() -> Kes.openConfig(config, stores, b -> {}))
          .hasMessage(
              "keystore.gcp.secretmanager.projectid (line 6, column 7): unknown setting"
                  + " 'projectid' — did you mean 'project_id'?");
      assertThat(gcp.opened).hasValue(0);
    }

    @Test
    void nestedSectionsAreCheckedToo() {
      KesConfig config =
          parse(gcpConfig("      project_id: p\n      credentials:\n        client_mail: a@b\n"));
      assertThatThrownBy(() -> Kes.fromConfig(config, stores, b -> {}))
          .hasMessage(
              "keystore.gcp.secretmanager.credentials.client_mail (line 8, column 9): unknown"
                  + " setting 'client_mail' — did you mean 'client_email'?");
      assertThat(gcp.opened).hasValue(0);
    }

    @Test
    void aNearMissOfAStoreNameIsAnError() {
      KesConfig config =
          parse("admin:\n  identity: disabled\nkeystore:\n  gcp:\n    secretmanagr:\n      x: y\n");
      assertThatThrownBy(() -> Kes.openConfig(config, stores, b -> {}))
          .hasMessage(
              "keystore.gcp.secretmanagr (line 5, column 5): unknown key store 'secretmanagr' —"
                  + " did you mean 'secretmanager'?");
      KesConfig top = parse("admin:\n  identity: disabled\nkeystore:\n  gpc: {}\n");
      assertThatThrownBy(() -> Kes.openConfig(top, stores, b -> {}))
          .hasMessageContaining("unknown key store 'gpc' — did you mean 'gcp'?");
    }

    @Test
    void anUnrelatedUnknownSettingOpensTheStoreUnlessStrict() {
      String yaml = gcpConfig("      project_id: p\n      labels: x\n");
      try (Kes kes = Kes.openConfig(parse(yaml), stores, b -> {})) {
        assertThat(gcp.opened).hasValue(1);
      }
      KesConfig strict = KesConfig.parse(yaml, new KesConfig.Options(k -> null, true));
      assertThatThrownBy(() -> Kes.openConfig(strict, stores, b -> {}))
          .hasMessage("keystore.gcp.secretmanager.labels (line 7): unknown setting 'labels'");
      assertThat(gcp.opened).hasValue(1);
    }

    @Test
    void providersThatDeclareNothingAreLeftAlone() {
      KeyStoreProvider silent =
          new KeyStoreProvider() {
            @Override
            public String id() {
              return "gcp.secretmanager";
            }

            @Override
            public KeyStore open(KeyStoreConfig config) {
              return new MemKeyStore();
            }
          };
      KesConfig config = parse(gcpConfig("      projectid: p\n"));
      try (Kes kes = Kes.openConfig(config, KeyStores.of(silent), b -> {})) {
        assertThat(kes.status()).isNotNull();
      }
    }
  }
}
