package dev.kes4j.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.InvalidNameException;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** kes-vectors.md §8. */
class NamesTest {
  static final String A81 = "a".repeat(81);

  static Stream<String> validNames() {
    return Stream.of(
        "my-key", "abc123", "0", "123ABC321", "_-___---_", "_0", "0-Z", "my_key-0", "a".repeat(80));
  }

  static Stream<String> invalidNames() {
    return Stream.of("", "my.key", "key/", "☰", "hel<lo", "Εmacs", A81, "_", "-a", "a-", "a b");
  }

  static Stream<String> validPatterns() {
    return Stream.of(
        "my-key", "abc123", "0", "123ABC321", "_-___---_", "_0", "0-Z", "*", "my*", "_-*", "");
  }

  static Stream<String> invalidPatterns() {
    return Stream.of("*-*", "my.key", "key/", "☰", "hel<lo", "Εmacs", A81, "_", "**", "*a");
  }

  @Nested
  class Strict {
    @ParameterizedTest
    @MethodSource("dev.kes4j.policy.NamesTest#validNames")
    void validNames(String name) {
      assertThat(Names.isValidName(name)).isTrue();
      assertThat(Names.checkKeyName(name)).isEqualTo(name);
      assertThat(Names.checkPolicyName(name)).isEqualTo(name);
      assertThat(Names.checkIdentity(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @MethodSource("dev.kes4j.policy.NamesTest#invalidNames")
    void invalidNames(String name) {
      assertThat(Names.isValidName(name)).isFalse();
      assertThatThrownBy(() -> Names.checkKeyName(name))
          .isInstanceOf(InvalidNameException.class)
          .hasMessage("key name '" + name + "' is empty, too long or contains invalid characters")
          .satisfies(e -> assertThat(((InvalidNameException) e).status()).isEqualTo(400));
      assertThatThrownBy(() -> Names.checkPolicyName(name))
          .hasMessage(
              "policy name '" + name + "' is empty, too long or contains invalid characters");
      assertThatThrownBy(() -> Names.checkIdentity(name))
          .hasMessage("identity '" + name + "' is empty, too long or contains invalid characters");
    }

    @ParameterizedTest
    @MethodSource("dev.kes4j.policy.NamesTest#validPatterns")
    void validPatterns(String pattern) {
      assertThat(Names.isValidListPattern(pattern)).isTrue();
      assertThat(Names.checkListPattern(pattern)).isEqualTo(pattern);
    }

    @ParameterizedTest
    @MethodSource("dev.kes4j.policy.NamesTest#invalidPatterns")
    void invalidPatterns(String pattern) {
      assertThat(Names.isValidListPattern(pattern)).isFalse();
      assertThatThrownBy(() -> Names.checkListPattern(pattern))
          .isInstanceOf(InvalidNameException.class)
          .hasMessage("listing pattern '" + pattern + "' is empty, too long or is invalid");
    }

    @Test
    void identities() {
      assertThat(Names.isValidName("disabled")).isTrue();
      assertThat(
              Names.isValidName("3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22"))
          .isTrue();
    }
  }

  @Nested
  class Lenient {
    @Test
    void acceptsWhatKes016Accepted() {
      for (String name : List.of("my.key", "☰", "hel<lo", "Εmacs", A81, "_", "-a", "a b")) {
        assertThat(NameRules.LENIENT.isValidName(name)).as(name).isTrue();
        assertThat(NameRules.LENIENT.checkKeyName(name)).isEqualTo(name);
      }
      assertThat(NameRules.LENIENT.isValidListPattern("my.*")).isTrue();
      assertThat(NameRules.LENIENT.isValidListPattern("")).isTrue();
    }

    @Test
    void stillRejectsEmptyAndSlash() {
      assertThat(NameRules.LENIENT.isValidName("")).isFalse();
      assertThat(NameRules.LENIENT.isValidName("key/")).isFalse();
      assertThat(NameRules.LENIENT.isValidListPattern("a/b")).isFalse();
      assertThatThrownBy(() -> NameRules.LENIENT.checkKeyName("a/b"))
          .isInstanceOf(InvalidNameException.class)
          .hasMessage("key name 'a/b' is empty, too long or contains invalid characters");
      assertThatThrownBy(() -> NameRules.LENIENT.checkListPattern("a/"))
          .hasMessage("listing pattern 'a/' is empty, too long or is invalid");
    }
  }

  @Provide
  Arbitrary<String> anyNames() {
    return Arbitraries.strings().withChars("aZ09_-.*/☰ ").ofMaxLength(6);
  }

  @Property(tries = 300)
  void strictImpliesLenient(@ForAll("anyNames") String s) {
    if (NameRules.STRICT.isValidName(s)) {
      assertThat(NameRules.LENIENT.isValidName(s)).isTrue();
    }
    if (NameRules.STRICT.isValidListPattern(s)) {
      assertThat(NameRules.LENIENT.isValidListPattern(s)).isTrue();
    }
  }

  @Property(tries = 300)
  void strictNameRulesMatchTheirDefinition(@ForAll("anyNames") String s) {
    boolean expected =
        s.matches("[0-9A-Za-z_-]{1,80}")
            && !s.equals("_")
            && !s.startsWith("-")
            && !s.endsWith("-");
    assertThat(Names.isValidName(s)).isEqualTo(expected);
    boolean pattern = s.matches("[0-9A-Za-z_-]{0,79}\\*?|[0-9A-Za-z_-]{80}") && !s.equals("_");
    assertThat(Names.isValidListPattern(s)).isEqualTo(pattern);
  }
}
