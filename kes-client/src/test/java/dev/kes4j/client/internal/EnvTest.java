package dev.kes4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesConfigException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The client environment variables of spec §10 and their precedence. */
class EnvTest {
  static Stream<Arguments> servers() {
    return Stream.of(
        Arguments.of(Map.of(), List.of("https://127.0.0.1:7373")),
        Arguments.of(Map.of("MINIO_KMS_KES_ENDPOINT", "c:1"), List.of("https://c:1")),
        Arguments.of(
            Map.of("KES_SERVER", "b:1", "MINIO_KMS_KES_ENDPOINT", "c:1"), List.of("https://b:1")),
        Arguments.of(
            Map.of("MINIO_KES_SERVER", "a:1", "KES_SERVER", "b:1", "MINIO_KMS_KES_ENDPOINT", "c:1"),
            List.of("https://a:1")),
        Arguments.of(Map.of("MINIO_KES_SERVER", " ", "KES_SERVER", "b:1"), List.of("https://b:1")),
        Arguments.of(
            Map.of("KES_SERVER", "https://a:7373, b:7373,,"),
            List.of("https://a:7373", "https://b:7373")));
  }

  @ParameterizedTest
  @MethodSource("servers")
  void serverPrecedenceAndList(Map<String, String> env, List<String> expected) {
    assertThat(Env.resolve(env).endpoints()).isEqualTo(expected);
  }

  static Stream<Arguments> credentials() {
    return Stream.of(
        Arguments.of(Map.of("MINIO_KMS_KES_API_KEY", "k3"), "k3", null, null),
        Arguments.of(Map.of("KES_API_KEY", "k2", "MINIO_KMS_KES_API_KEY", "k3"), "k2", null, null),
        Arguments.of(Map.of("MINIO_KES_API_KEY", "k1", "KES_API_KEY", "k2"), "k1", null, null),
        Arguments.of(
            Map.of("KES_CLIENT_KEY", "key2", "KES_CLIENT_CERT", "cert2"), null, "key2", "cert2"),
        Arguments.of(
            Map.of(
                "MINIO_KES_KEY_FILE", "key1",
                "KES_CLIENT_KEY", "key2",
                "MINIO_KES_CLIENT_KEY", "key3",
                "MINIO_KES_CLIENT_CERT", "cert3",
                "KES_CLIENT_CERT", "cert2",
                "MINIO_KES_CERT_FILE", "cert1"),
            null,
            "key1",
            "cert1"),
        Arguments.of(
            Map.of("MINIO_KES_CLIENT_KEY", "key3", "MINIO_KES_CLIENT_CERT", "cert3"),
            null,
            "key3",
            "cert3"),
        // MinIO's variables: only when none of KES's credential variables is set
        Arguments.of(
            Map.of("MINIO_KMS_KES_KEY_FILE", "mk", "MINIO_KMS_KES_CERT_FILE", "mc"),
            null,
            "mk",
            "mc"),
        Arguments.of(
            Map.of(
                "KES_API_KEY", "k2",
                "MINIO_KMS_KES_KEY_FILE", "mk",
                "MINIO_KMS_KES_CERT_FILE", "mc"),
            "k2",
            null,
            null),
        Arguments.of(Map.of(), null, null, null));
  }

  @ParameterizedTest
  @MethodSource("credentials")
  void credentialPrecedence(Map<String, String> env, String apiKey, String key, String cert) {
    Env e = Env.resolve(env);
    assertThat(e.apiKey()).isEqualTo(apiKey);
    assertThat(e.keyFile()).isEqualTo(key);
    assertThat(e.certFile()).isEqualTo(cert);
    assertThat(e.hasCredentials()).isEqualTo(apiKey != null || key != null);
  }

  static Stream<Arguments> conflicts() {
    return Stream.of(
        Arguments.of(
            Map.of("KES_API_KEY", "k", "KES_CLIENT_KEY", "key", "KES_CLIENT_CERT", "c"),
            "mutually exclusive"),
        Arguments.of(
            Map.of("MINIO_KES_API_KEY", "k", "MINIO_KES_CERT_FILE", "c"), "mutually exclusive"),
        Arguments.of(Map.of("KES_CLIENT_KEY", "key"), "no certificate file"),
        Arguments.of(Map.of("KES_CLIENT_CERT", "cert"), "no private key file"),
        Arguments.of(
            Map.of("MINIO_KMS_KES_API_KEY", "k", "MINIO_KMS_KES_CERT_FILE", "c"),
            "mutually exclusive"),
        Arguments.of(
            Map.of("MINIO_KMS_KES_KEY_FILE", "key"),
            "no certificate file (MINIO_KMS_KES_CERT_FILE)"));
  }

  @ParameterizedTest
  @MethodSource("conflicts")
  void conflictsAreClearErrors(Map<String, String> env, String message) {
    assertThatThrownBy(() -> Env.resolve(env))
        .isInstanceOf(KesConfigException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("=k");
  }

  @Test
  void caPathComesFromMinioVariable() {
    assertThat(Env.resolve(Map.of()).caPath()).isNull();
    assertThat(Env.resolve(Map.of("MINIO_KMS_KES_CAPATH", " /ca.pem ")).caPath())
        .isEqualTo("/ca.pem");
  }

  @Test
  void toStringHidesTheApiKey() {
    Env e = Env.resolve(Map.of("KES_API_KEY", "kes:v1:secret"));
    assertThat(e.toString()).doesNotContain("secret").contains("KES_API_KEY");
  }
}
