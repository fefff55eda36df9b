package dev.kes4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.cli.internal.Doctor.Coverage;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code doctor}'s judgement of a route against a policy, through kes-policy's matcher. */
class DoctorCoverageTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("/v1/key/generate/", List.of("/v1/key/*"), List.of(), Coverage.ALL),
        Arguments.of(
            "/v1/key/generate/",
            List.of("/v1/key/*"),
            List.of("/v1/key/generate/secret*"),
            Coverage.SOME),
        Arguments.of(
            "/v1/key/generate/", List.of("/v1/key/generate/app-*"), List.of(), Coverage.SOME),
        Arguments.of(
            "/v1/key/generate/", List.of("/v1/key/generate/one"), List.of(), Coverage.SOME),
        Arguments.of(
            "/v1/key/generate/",
            List.of("/v1/key/generate/*"),
            List.of("/v1/key/*"),
            Coverage.NONE),
        Arguments.of("/v1/key/delete/", List.of("/v1/key/generate/*"), List.of(), Coverage.NONE),
        Arguments.of("/v1/key/delete/", List.of("*"), List.of(), Coverage.ALL),
        Arguments.of("/v1/status", List.of("/v1/status"), List.of(), Coverage.ALL),
        Arguments.of("/v1/status", List.of("/v1/*"), List.of("/v1/status"), Coverage.NONE),
        Arguments.of("/v1/status", List.of("/v1/status/"), List.of(), Coverage.NONE));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void judgesRoutes(String route, List<String> allow, List<String> deny, Coverage expected) {
    assertThat(Doctor.coverage(route, allow, deny)).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void agreesWithTheMatcherOnAConcretePath(
      String route, List<String> allow, List<String> deny, Coverage expected) {
    // ALL: any concrete path of the route is allowed; NONE: none is
    String path = route.endsWith("/") ? route + "app-x" : route;
    boolean allowed = dev.kes4j.policy.Policies.prefix(allow, deny).verify(path);
    if (expected == Coverage.ALL) {
      assertThat(allowed).isTrue();
    } else if (expected == Coverage.NONE) {
      assertThat(allowed).isFalse();
    }
  }
}
