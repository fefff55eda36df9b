package dev.kes4j.keystore.gcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesConfigException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EndpointTest {
  private static final Map<String, String> NO_ENV = Map.of();

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("", "secretmanager.googleapis.com:443", false),
        Arguments.of("  ", "secretmanager.googleapis.com:443", false),
        Arguments.of("secretmanager.googleapis.com", "secretmanager.googleapis.com:443", false),
        Arguments.of("secretmanager.googleapis.com:443", "secretmanager.googleapis.com:443", false),
        Arguments.of(
            "https://secretmanager.googleapis.com", "secretmanager.googleapis.com:443", false),
        Arguments.of(
            "https://secretmanager.googleapis.com/", "secretmanager.googleapis.com:443", false),
        Arguments.of("HTTPS://example.com:8443", "example.com:8443", false),
        Arguments.of("https://[2001:db8::1]:8443", "[2001:db8::1]:8443", false),
        Arguments.of("[::1]", "[::1]:443", false),
        Arguments.of("http://127.0.0.1:8085", "127.0.0.1:8085", true),
        Arguments.of("http://localhost", "localhost:80", true),
        Arguments.of("http://[::1]:9000/", "[::1]:9000", true));
  }

  @ParameterizedTest(name = "''{0}'' → {1} (emulator {2})")
  @MethodSource("accepted")
  void accepts(String configured, String target, boolean emulator) {
    Endpoint e = Endpoint.resolve(configured, NO_ENV, "keystore.gcp.secretmanager.endpoint");
    assertThat(e.target()).isEqualTo(target);
    assertThat(e.emulator()).isEqualTo(emulator);
  }

  static Stream<String> rejected() {
    return Stream.of(
        "grpc://host:1",
        "https://host/path",
        "host:port",
        "host:0",
        "host:65536",
        "host:-1",
        "https://",
        "http://:80",
        "::1",
        "[::1",
        "[::1]x",
        "user@host",
        "https://host?x=1");
  }

  @ParameterizedTest(name = "''{0}'' is rejected naming the setting")
  @MethodSource("rejected")
  void rejects(String configured) {
    assertThatThrownBy(
            () -> Endpoint.resolve(configured, NO_ENV, "keystore.gcp.secretmanager.endpoint"))
        .isInstanceOf(KesConfigException.class)
        .hasMessageStartingWith("keystore.gcp.secretmanager.endpoint: ");
  }

  @Test
  void emulatorEnvironmentSelectsEmulatorWhenNoEndpointIsConfigured() {
    Map<String, String> env = Map.of(Endpoint.EMULATOR_ENV, "localhost:8085");
    Endpoint e = Endpoint.resolve("", env, "endpoint");
    assertThat(e.target()).isEqualTo("localhost:8085");
    assertThat(e.emulator()).isTrue();
    assertThat(Endpoint.resolve("example.com", env, "endpoint").emulator())
        .as("an explicit endpoint wins")
        .isFalse();
  }

  @Test
  void badEmulatorEnvironmentNamesTheVariable() {
    Map<String, String> env = Map.of(Endpoint.EMULATOR_ENV, "localhost:x");
    assertThatThrownBy(() -> Endpoint.resolve("", env, "endpoint"))
        .hasMessageStartingWith(Endpoint.EMULATOR_ENV + ": ");
  }
}
