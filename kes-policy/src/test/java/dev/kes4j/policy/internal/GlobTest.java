package dev.kes4j.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class GlobTest {
  /** Go path.Match behaviour, case by case (pattern, name, matches). */
  static Stream<Arguments> goCases() {
    return Stream.of(
        Arguments.of("abc", "abc", true),
        Arguments.of("abc", "abd", false),
        Arguments.of("abc", "ab", false),
        Arguments.of("*", "abc", true),
        Arguments.of("*", "", true),
        Arguments.of("*", "a/b", false),
        Arguments.of("*c", "abc", true),
        Arguments.of("a*", "a", true),
        Arguments.of("a*", "abc", true),
        Arguments.of("a*", "ab/c", false),
        Arguments.of("a*/b", "abc/b", true),
        Arguments.of("a*/b", "a/c/b", false),
        Arguments.of("a*b*c*d*e*/f", "axbxcxdxe/f", true),
        Arguments.of("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
        Arguments.of("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
        Arguments.of("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false),
        Arguments.of("a*b?c*x", "abxbbxdbxebxczzx", true),
        Arguments.of("a*b?c*x", "abxbbxdbxebxczzy", false),
        Arguments.of("ab[c]", "abc", true),
        Arguments.of("ab[b-d]", "abc", true),
        Arguments.of("ab[e-g]", "abc", false),
        Arguments.of("ab[^c]", "abc", false),
        Arguments.of("ab[^b-d]", "abc", false),
        Arguments.of("ab[^e-g]", "abc", true),
        Arguments.of("a\\*b", "a*b", true),
        Arguments.of("a\\*b", "ab", false),
        Arguments.of("a?b", "a☺b", true),
        Arguments.of("a[^a]b", "a☺b", true),
        Arguments.of("a???b", "a☺b", false),
        Arguments.of("a[^a][^a][^a]b", "a☺b", false),
        Arguments.of("[a-ζ]*", "α", true),
        Arguments.of("*[a-ζ]", "A", false),
        Arguments.of("a?b", "a/b", false),
        Arguments.of("a*b", "a/b", false),
        Arguments.of("[\\]a]", "]", true),
        Arguments.of("[\\-]", "-", true),
        Arguments.of("[x\\-]", "x", true),
        Arguments.of("[x\\-]", "-", true),
        Arguments.of("[x\\-]", "z", false),
        Arguments.of("[\\-x]", "x", true),
        Arguments.of("[\\-x]", "-", true),
        Arguments.of("[\\-x]", "a", false),
        Arguments.of("[z-a]", "m", false),
        Arguments.of("[^z-a]", "m", true),
        Arguments.of("[*]", "*", true),
        Arguments.of("[*]", "a", false),
        Arguments.of("a]", "a]", true),
        Arguments.of("*x", "xxx", true),
        Arguments.of("", "", true),
        Arguments.of("", "a", false),
        Arguments.of("**", "ab", true),
        Arguments.of("a**b", "axyb", true),
        // classes are not stopped by '/' in Go
        Arguments.of("a[^x]b", "a/b", true),
        Arguments.of("a[!-0]b", "a/b", true),
        // Go's first-fit chunk matching: a regex would match here, Go does not
        Arguments.of("*[^x]*c", "ab/c", false),
        Arguments.of("*[^x]*c", "a/c", false),
        Arguments.of("*[^x]*c", "/c", true));
  }

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @MethodSource("goCases")
  void matchesLikeGo(String pattern, String name, boolean matches) {
    assertThat(Glob.compile(pattern).matches(name)).isEqualTo(matches);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]a]", "[-]", "[x-]", "[-x]", "\\", "a\\", "[a-b-c]", "[", "[^", "[^bc", "a[", "[a", "[\\",
        "[\\]", "[a-\\", "[]", "*[", "[a-z", "a*[^"
      })
  void badPatterns(String pattern) {
    assertThatThrownBy(() -> Glob.compile(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("syntax error in pattern");
  }

  // ---- independent reference: Go's documented grammar translated to java.util.regex ----

  /** The regex for a Go glob, or null if the pattern is malformed per the grammar. */
  static String reference(String p) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    int n = p.length();
    while (i < n) {
      char c = p.charAt(i);
      if (c == '*') {
        re.append("[^/]*");
        i++;
      } else if (c == '?') {
        re.append("[^/]");
        i++;
      } else if (c == '\\') {
        if (i + 1 >= n) {
          return null;
        }
        re.append(quote(p.charAt(i + 1)));
        i += 2;
      } else if (c == '[') {
        i++;
        boolean negated = i < n && p.charAt(i) == '^';
        if (negated) {
          i++;
        }
        StringBuilder items = new StringBuilder();
        int count = 0;
        while (true) {
          if (i < n && p.charAt(i) == ']' && count > 0) {
            i++;
            break;
          }
          int[] lo = escapedClassChar(p, i);
          if (lo == null) {
            return null;
          }
          i = lo[1];
          int hi = lo[0];
          if (p.charAt(i) == '-') {
            int[] h = escapedClassChar(p, i + 1);
            if (h == null) {
              return null;
            }
            hi = h[0];
            i = h[1];
          }
          if (lo[0] <= hi) {
            items.append(quote((char) lo[0])).append('-').append(quote((char) hi));
          }
          count++;
        }
        if (items.length() == 0) {
          re.append(negated ? "(?s:.)" : "(?!)");
        } else {
          re.append('[').append(negated ? "^" : "").append(items).append(']');
        }
      } else {
        re.append(quote(c));
        i++;
      }
    }
    return re.toString();
  }

  /** {char, next index} or null; per grammar the class must continue after the char. */
  private static int[] escapedClassChar(String p, int i) {
    int n = p.length();
    if (i >= n || p.charAt(i) == '-' || p.charAt(i) == ']') {
      return null;
    }
    if (p.charAt(i) == '\\') {
      i++;
      if (i >= n) {
        return null;
      }
    }
    char c = p.charAt(i);
    i++;
    return i >= n ? null : new int[] {c, i};
  }

  private static String quote(char c) {
    return String.format("\\x{%x}", (int) c);
  }

  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.strings().withChars("ab/*?[]-^\\").ofMinLength(0).ofMaxLength(8);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withChars("ab/-^[]*?\\").ofMinLength(0).ofMaxLength(8);
  }

  @Property(tries = 300)
  void validityAgreesWithGrammar(@ForAll("patterns") String pattern) {
    String regex = reference(pattern);
    Statistics.collect(regex == null ? "bad" : "valid");
    if (regex == null) {
      assertThatThrownBy(() -> Glob.compile(pattern)).isInstanceOf(IllegalArgumentException.class);
    } else {
      Glob.compile(pattern);
    }
  }

  @Property(tries = 300)
  void agreesWithRegexReference(@ForAll("patterns") String pattern, @ForAll("names") String name) {
    String regex = reference(pattern);
    if (regex == null) {
      return;
    }
    Glob glob = Glob.compile(pattern);
    boolean expected = Pattern.compile(regex, Pattern.DOTALL).matcher(name).matches();
    boolean actual = glob.matches(name);
    if (glob.hasSlashMatchingClass()) {
      // Go's first-fit matching only ever finds real matches: it may miss some, never invent one.
      Statistics.collect("slash class");
      if (actual) {
        assertThat(expected).as("%s ~ %s", pattern, name).isTrue();
      }
    } else {
      Statistics.collect(expected ? "match" : "no match");
      assertThat(actual).as("%s ~ %s", pattern, name).isEqualTo(expected);
    }
  }

  /** Patterns built to match often: derive the name from the pattern. */
  @Property(tries = 300)
  void agreesOnDerivedNames(@ForAll("patterns") String pattern, @ForAll("names") String filler) {
    String regex = reference(pattern);
    if (regex == null || Glob.compile(pattern).hasSlashMatchingClass()) {
      return;
    }
    String name = pattern.replace("\\", "").replace("*", filler.replace("/", "")).replace('?', 'a');
    boolean expected = Pattern.compile(regex, Pattern.DOTALL).matcher(name).matches();
    Statistics.collect(expected ? "match" : "no match");
    assertThat(Glob.compile(pattern).matches(name))
        .as("%s ~ %s", pattern, name)
        .isEqualTo(expected);
  }
}
