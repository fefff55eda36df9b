package dev.kes4j.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.Policy;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PoliciesTest {
  static final List<String> MY_YOUR = List.of("/v1/key/create/my*", "/v1/key/create/your*");

  /** kes-vectors.md §9, newest prefix semantics (kms-go policyVerifyTests). */
  static Stream<Arguments> prefixVectors() {
    return Stream.of(
        Arguments.of(List.of(), List.of(), "/v1/status", false),
        Arguments.of(List.of(), List.of(), "/v1/key/create/my-key", false),
        Arguments.of(List.of(), List.of(), "/v1/identity/list/a", false),
        Arguments.of(List.of("/v1/status"), List.of(), "/v1/status", true),
        Arguments.of(List.of("/v1/status"), List.of(), "/v1/key/create/my-key", false),
        Arguments.of(List.of("/v1/status"), List.of(), "/v1/identity/list/a", false),
        Arguments.of(MY_YOUR, List.of(), "/v1/key/create/my-key", true),
        Arguments.of(MY_YOUR, List.of(), "/v1/key/create/your-key", true),
        Arguments.of(MY_YOUR, List.of(), "/v1/identity/list/somekey", false),
        Arguments.of(MY_YOUR, List.of("/v1/key/create/my-key*"), "/v1/key/create/my-key", false),
        Arguments.of(MY_YOUR, List.of("/v1/key/create/my-key*"), "/v1/key/create/my-key1", false),
        Arguments.of(
            MY_YOUR, List.of("/v1/key/create/my-key*"), "/v1/key/create/my-minio-key", true),
        Arguments.of(
            MY_YOUR, List.of("/v1/key/create/my-key*"), "/v1/key/create/your-minio-key", true),
        // spec §3 prose
        Arguments.of(List.of("/v1/key/*"), List.of(), "/v1/key/create/x", true),
        Arguments.of(List.of("/v1/key/*"), List.of(), "/v1/key/bulk/decrypt/a/b", true),
        Arguments.of(List.of("/v1/key/bulk/decrypt"), List.of(), "/v1/key/bulk/decrypt/k", false),
        Arguments.of(List.of("/v1/key/bulk/decrypt"), List.of(), "/v1/key/bulk/decrypt", true),
        Arguments.of(List.of("/v1/key/*/x"), List.of(), "/v1/key/a/x", false),
        Arguments.of(List.of("/v1/key/*/x"), List.of(), "/v1/key/*/x", true),
        Arguments.of(List.of("/v1/key/?"), List.of(), "/v1/key/a", false),
        Arguments.of(List.of("*"), List.of(), "/anything/at/all", true),
        Arguments.of(List.of("*"), List.of(), "", true),
        Arguments.of(List.of(""), List.of(), "", false),
        Arguments.of(List.of("*"), List.of(""), "/v1/status", true),
        Arguments.of(List.of("/v1/**"), List.of(), "/v1/*x", true),
        Arguments.of(List.of("/v1/**"), List.of(), "/v1/x", false));
  }

  static final List<String> GLOB_PATTERN_MATCHES =
      List.of(
          "/v1/key/create/* /v1/key/create/my-key",
          "/v1/key/import/* /v1/key/import/my-key",
          "/v1/key/delete/* /v1/key/delete/my-key",
          "/v1/key/generate/* /v1/key/generate/my-key",
          "/v1/key/decrypt/* /v1/key/decrypt/my-key",
          "/v1/policy/write/* /v1/policy/write/my-policy",
          "/v1/policy/read/* /v1/policy/read/my-policy",
          "/v1/policy/list/* /v1/policy/list/my-policy",
          "/v1/policy/delete/* /v1/policy/delete/my-policy",
          "/v1/policy/list/* /v1/policy/list/*",
          "/v1/identity/assign/*/* /v1/identity/assign/af43c/my-policy",
          "/v1/identity/list/* /v1/identity/list/af43c",
          "/v1/identity/list/* /v1/identity/list/*",
          "/v1/identity/forget/* /v1/identity/forget/af43c",
          "/v1/log/audit/trace /v1/log/audit/trace");

  static final List<String> GLOB_PATTERN_NON_MATCHES =
      List.of(
          "/v1/key/create/* /v1/key/create/my-key/..",
          "/v1/key/create/* /v1/key/create/../my-key",
          "/v1/key/decypt/* /v1/key/create/my-key",
          "/v1/key/generate/* /v1/key/create/my-key/x",
          "/v1/key/create/[a-z] /v1/key/create/my-key0",
          "/v1/key/decypt/* /v1/key/create/./*/../a",
          "/v1/log/audit/trace /v1/log/audit/trace/.",
          // spec §3 prose
          "/v1/key/create/* /v1/key/create/a/b",
          "/v1/key/* /v1/key/create/x");

  static Stream<Arguments> globMatches() {
    return GLOB_PATTERN_MATCHES.stream().map(s -> Arguments.of((Object[]) s.split(" ")));
  }

  static Stream<Arguments> globNonMatches() {
    return GLOB_PATTERN_NON_MATCHES.stream().map(s -> Arguments.of((Object[]) s.split(" ")));
  }

  @Nested
  class Prefix {
    @ParameterizedTest(name = "allow={0} deny={1} {2} -> {3}")
    @MethodSource("dev.kes4j.policy.PoliciesTest#prefixVectors")
    void vectors(List<String> allow, List<String> deny, String path, boolean allowed) {
      assertThat(Policies.prefix(allow, deny).verify(path)).isEqualTo(allowed);
      assertThat(Policies.of(PolicyMatching.PREFIX, allow, deny).verify(path)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/key/generate/my-key-[a-]", "/v1/key/generate/my-key-\\", "["})
    void globSyntaxIsLiteralHere(String pattern) {
      Policy p = Policies.prefix(List.of(pattern), List.of());
      assertThat(p.verify(pattern)).isTrue();
      Policies.checkPattern(PolicyMatching.PREFIX, pattern);
    }
  }

  @Nested
  class Glob {
    @ParameterizedTest(name = "{0} ~ {1}")
    @MethodSource("dev.kes4j.policy.PoliciesTest#globMatches")
    void allowMatches(String pattern, String path) {
      assertThat(Policies.glob(List.of(pattern), List.of()).verify(path)).isTrue();
    }

    @ParameterizedTest(name = "{0} ~ {1}")
    @MethodSource("dev.kes4j.policy.PoliciesTest#globMatches")
    void sameAsDenyIsDenied(String pattern, String path) {
      assertThat(Policies.glob(List.of(), List.of(pattern)).verify(path)).isFalse();
      assertThat(Policies.glob(List.of(pattern), List.of(pattern)).verify(path)).isFalse();
      assertThat(
              Policies.glob(List.of("/*/*/*/*", "/*/*/*", "/*/*/*/*/*"), List.of(pattern))
                  .verify(path))
          .isFalse();
    }

    @ParameterizedTest(name = "{0} !~ {1}")
    @MethodSource("dev.kes4j.policy.PoliciesTest#globNonMatches")
    void nonMatches(String pattern, String path) {
      assertThat(Policies.glob(List.of(pattern), List.of()).verify(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "/v1/key/generate/my-key-[a-]",
          "/v1/key/generate/my-key-\\",
          "/v1/[",
          "/v1/[]a]",
          "/v1/[^]",
          "/v1/[a-b-c]"
        })
    void badPatternsAreRejectedNamingThePattern(String pattern) {
      assertThatThrownBy(() -> Policies.glob(List.of("/v1/status"), List.of(pattern)))
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("'" + pattern + "'")
          .hasMessageContaining("syntax error in pattern");
      assertThatThrownBy(() -> Policies.checkPattern(PolicyMatching.GLOB, pattern))
          .isInstanceOf(KesConfigException.class);
    }

    @Test
    void emptyPatternNeverMatches() {
      assertThat(Policies.glob(List.of(""), List.of()).verify("")).isFalse();
    }

    @Test
    void generationsDisagreeWhereSpecSaysSo() {
      Policy prefix = Policies.prefix(List.of("/v1/key/*"), List.of());
      Policy glob = Policies.glob(List.of("/v1/key/*"), List.of());
      assertThat(prefix.verify("/v1/key/create/x")).isTrue();
      assertThat(glob.verify("/v1/key/create/x")).isFalse();
      Policy typical = Policies.glob(List.of("/v1/key/create/*"), List.of());
      assertThat(typical.verify("/v1/key/create/k")).isTrue();
      assertThat(Policies.prefix(List.of("/v1/key/create/*"), List.of()).verify("/v1/key/create/k"))
          .isTrue();
    }
  }

  @Nested
  class Values {
    @Test
    void valueSemantics() {
      Policy a = Policies.prefix(List.of("/v1/status"), List.of("/v1/key/delete/*"));
      Policy b = Policies.prefix(List.of("/v1/status"), List.of("/v1/key/delete/*"));
      Policy g = Policies.glob(List.of("/v1/status"), List.of("/v1/key/delete/*"));
      assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(g);
      assertThat(a.allow()).containsExactly("/v1/status");
      assertThat(a.deny()).containsExactly("/v1/key/delete/*");
      assertThat(a.toString()).contains("PREFIX").contains("/v1/key/delete/*");
      assertThat(Policies.matchingOf(a)).contains(PolicyMatching.PREFIX);
      assertThat(Policies.matchingOf(g)).contains(PolicyMatching.GLOB);
      assertThatThrownBy(() -> a.allow().add("x"))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void inputListsAreCopied() {
      java.util.ArrayList<String> allow = new java.util.ArrayList<>(List.of("/v1/status"));
      Policy p = Policies.prefix(allow, List.of());
      allow.add("*");
      assertThat(p.verify("/v1/other")).isFalse();
    }
  }

  /** Exact subset comparison (Policies.isSubset / excessPath). */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Subset {
    static final String CREATE = "/v1/key/create/*";

    Stream<Arguments> cases() {
      return Stream.of(
          // a, b, a ⊆ b
          Arguments.of(prefix(List.of(), List.of()), prefix(List.of(), List.of()), true),
          Arguments.of(prefix(List.of("*"), List.of()), prefix(List.of(), List.of()), false),
          Arguments.of(
              prefix(List.of(CREATE), List.of()), prefix(List.of("/v1/key/*"), List.of()), true),
          Arguments.of(
              prefix(List.of("/v1/key/*"), List.of()), prefix(List.of(CREATE), List.of()), false),
          Arguments.of(
              prefix(List.of("/v1/key/create/a"), List.of()),
              prefix(List.of(CREATE), List.of()),
              true),
          Arguments.of(
              prefix(List.of(CREATE), List.of()),
              prefix(List.of("/v1/key/create/a"), List.of()),
              false),
          // a's deny removes exactly what b lacks
          Arguments.of(
              prefix(List.of("/v1/key/*"), List.of("/v1/key/delete/*")),
              prefix(List.of("/v1/key/*"), List.of("/v1/key/delete/*")),
              true),
          Arguments.of(
              prefix(List.of("/v1/key/*"), List.of()),
              prefix(List.of("/v1/key/*"), List.of("/v1/key/delete/*")),
              false),
          Arguments.of(
              prefix(List.of("/v1/key/*"), List.of("/v1/key/delete/*")),
              prefix(List.of("/v1/key/*"), List.of()),
              true),
          // b's deny is covered by a's broader deny
          Arguments.of(
              prefix(List.of("/v1/key/*"), List.of("/v1/key/d*")),
              prefix(List.of("/v1/key/*"), List.of("/v1/key/delete/*")),
              true),
          // a allow split differently from b's but same union
          Arguments.of(
              prefix(List.of("/v1/key/create/*", "/v1/key/c*"), List.of()),
              prefix(List.of("/v1/key/c*"), List.of()),
              true),
          // exact allow in a denied in b
          Arguments.of(
              prefix(List.of("/v1/status"), List.of()),
              prefix(List.of("*"), List.of("/v1/status")),
              false),
          Arguments.of(
              prefix(List.of("/v1/status"), List.of()),
              prefix(List.of("*"), List.of("/v1/status/*")),
              true),
          // mixed generations: glob's * stays within a segment
          Arguments.of(glob(List.of(CREATE), List.of()), prefix(List.of(CREATE), List.of()), true),
          Arguments.of(prefix(List.of(CREATE), List.of()), glob(List.of(CREATE), List.of()), false),
          Arguments.of(
              glob(List.of("/v1/key/*/*"), List.of()),
              glob(List.of("/v1/key/create/*", "/v1/key/?*/*"), List.of()),
              false), // "/v1/key//" has an empty segment
          Arguments.of(
              glob(List.of("/v1/key/?*/*"), List.of()),
              glob(List.of("/v1/key/*/*"), List.of()),
              true),
          Arguments.of(
              glob(List.of("/v1/key/[a-c]*"), List.of()),
              glob(List.of("/v1/key/a*", "/v1/key/b*"), List.of()),
              false),
          Arguments.of(
              glob(List.of("/v1/key/[a-c]*"), List.of()),
              glob(List.of("/v1/key/a*", "/v1/key/b*", "/v1/key/c*"), List.of()),
              true));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decidedExactly(Policy a, Policy b, boolean subset) {
      assertThat(Policies.isSubset(a, b)).isEqualTo(subset);
      assertThat(Policies.isSubset(a, a)).isTrue();
      Policies.excessPath(a, b)
          .ifPresent(
              w -> {
                assertThat(a.verify(w)).as("a allows witness %s", w).isTrue();
                assertThat(b.verify(w)).as("b denies witness %s", w).isFalse();
              });
    }

    @Test
    void witnessIsShortAndReadable() {
      assertThat(
              Policies.excessPath(
                  prefix(List.of("/v1/key/*"), List.of()),
                  prefix(List.of("/v1/key/*"), List.of("/v1/key/delete/*"))))
          .contains("/v1/key/delete/");
    }

    @Test
    void slashMatchingClassesAreRefused() {
      assertThatThrownBy(
              () ->
                  Policies.isSubset(
                      glob(List.of("/v1/[^a]"), List.of()), glob(List.of(), List.of())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("/v1/[^a]");
    }

    @Test
    void foreignPoliciesAreRefused() {
      Policy foreign =
          new Policy() {
            @Override
            public List<String> allow() {
              return List.of();
            }

            @Override
            public List<String> deny() {
              return List.of();
            }

            @Override
            public boolean verify(String path) {
              return false;
            }
          };
      assertThatThrownBy(() -> Policies.isSubset(foreign, foreign))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(Policies.matchingOf(foreign)).isEmpty();
    }
  }

  static Policy prefix(List<String> allow, List<String> deny) {
    return Policies.prefix(allow, deny);
  }

  static Policy glob(List<String> allow, List<String> deny) {
    return Policies.glob(allow, deny);
  }
}
