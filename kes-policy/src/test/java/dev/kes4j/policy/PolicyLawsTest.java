package dev.kes4j.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Matcher laws for both generations, over a small alphabet so that patterns and paths collide. */
class PolicyLawsTest {
  private static final String ALPHABET = "ab/*?[]-^\\";

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.strings().withChars(ALPHABET).ofMaxLength(7);
  }

  @Provide
  Arbitrary<List<String>> patternLists() {
    return Arbitraries.strings().withChars(ALPHABET).ofMaxLength(6).list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<PolicyMatching> modes() {
    return Arbitraries.of(PolicyMatching.class);
  }

  private static Optional<Policy> policy(PolicyMatching m, List<String> allow, List<String> deny) {
    try {
      return Optional.of(Policies.of(m, allow, deny));
    } catch (dev.kes4j.api.KesConfigException badGlob) {
      return Optional.empty();
    }
  }

  private static boolean matches(PolicyMatching m, String pattern, String path) {
    return Policies.of(m, List.of(pattern), List.of()).verify(path);
  }

  @Property(tries = 300)
  void denyAlwaysWinsAndNoMatchDenies(
      @ForAll("modes") PolicyMatching m,
      @ForAll("patternLists") List<String> allow,
      @ForAll("patternLists") List<String> deny,
      @ForAll("paths") String randomPath,
      @ForAll int pick) {
    Optional<Policy> p = policy(m, allow, deny);
    Assume.that(p.isPresent());
    // half of the time, a path spelled after one of the patterns, so that rules fire often
    List<String> all = new ArrayList<>(allow);
    all.addAll(deny);
    String path =
        Math.floorMod(pick, 2) == 0 || all.isEmpty()
            ? randomPath
            : all.get(Math.floorMod(pick / 2, all.size()))
                .replace("\\", "")
                .replace("*", "a")
                .replace('?', 'b');
    boolean anyDeny = deny.stream().anyMatch(d -> matches(m, d, path));
    boolean anyAllow = allow.stream().anyMatch(a -> matches(m, a, path));
    Statistics.collect(m, anyDeny ? "deny" : anyAllow ? "allow" : "none");
    assertThat(p.get().verify(path)).isEqualTo(anyAllow && !anyDeny);
  }

  @Property(tries = 300)
  void denyingThePathItselfAlwaysDenies(
      @ForAll("modes") PolicyMatching m,
      @ForAll("patternLists") List<String> allow,
      @ForAll("paths") String path) {
    Assume.that(!path.isEmpty());
    String literal = m == PolicyMatching.GLOB ? escapeGlob(path) : path;
    Optional<Policy> p = policy(m, plus(allow, "*"), List.of(literal));
    Assume.that(p.isPresent());
    assertThat(p.get().verify(path)).isFalse();
  }

  @Property(tries = 300)
  void addingAnAllowPatternNeverRemovesAccess(
      @ForAll("modes") PolicyMatching m,
      @ForAll("patternLists") List<String> allow,
      @ForAll("patternLists") List<String> deny,
      @ForAll("paths") String extra,
      @ForAll("paths") String path) {
    Optional<Policy> before = policy(m, allow, deny);
    Optional<Policy> after = policy(m, plus(allow, extra), deny);
    Assume.that(before.isPresent() && after.isPresent());
    if (before.get().verify(path)) {
      assertThat(after.get().verify(path)).isTrue();
    }
  }

  @Property(tries = 300)
  void addingADenyPatternNeverGrantsAccess(
      @ForAll("modes") PolicyMatching m,
      @ForAll("patternLists") List<String> allow,
      @ForAll("patternLists") List<String> deny,
      @ForAll("paths") String extra,
      @ForAll("paths") String path) {
    Optional<Policy> before = policy(m, allow, deny);
    Optional<Policy> after = policy(m, allow, plus(deny, extra));
    Assume.that(before.isPresent() && after.isPresent());
    if (after.get().verify(path)) {
      assertThat(before.get().verify(path)).isTrue();
    }
  }

  @Property(tries = 300)
  void prefixPatternWithoutTrailingStarMatchesOnlyItself(
      @ForAll("paths") String pattern,
      @ForAll("paths") String suffix,
      @ForAll("paths") String other) {
    Assume.that(!pattern.isEmpty() && !pattern.endsWith("*"));
    Policy p = Policies.prefix(List.of(pattern), List.of());
    assertThat(p.verify(pattern)).isTrue();
    assertThat(p.verify(pattern + suffix)).isEqualTo(suffix.isEmpty());
    assertThat(p.verify(other)).isEqualTo(other.equals(pattern));
  }

  @Property(tries = 300)
  void prefixPatternWithTrailingStarMatchesExactlyItsExtensions(
      @ForAll("paths") String stem, @ForAll("paths") String suffix, @ForAll("paths") String other) {
    Policy p = Policies.prefix(List.of(stem + "*"), List.of());
    assertThat(p.verify(stem + suffix)).isTrue();
    assertThat(p.verify(other)).isEqualTo(other.startsWith(stem));
  }

  @Property(tries = 300)
  void globPatternWithoutMetacharactersMatchesOnlyItself(
      @ForAll("paths") String literal, @ForAll("paths") String other) {
    Assume.that(!literal.isEmpty());
    Policy p = Policies.glob(List.of(escapeGlob(literal)), List.of());
    assertThat(p.verify(literal)).isTrue();
    assertThat(p.verify(other)).isEqualTo(other.equals(literal));
  }

  // ---- exact subset comparison against brute force ----

  @Provide
  Arbitrary<List<String>> simplePatterns() {
    return Arbitraries.strings().withChars("ab/*?").ofMaxLength(4).list().ofMaxSize(3);
  }

  private static final List<String> ALL_SHORT_PATHS = allStrings("ab/*?x", 5);

  private static List<String> allStrings(String alphabet, int maxLength) {
    List<String> out = new ArrayList<>();
    out.add("");
    int from = 0;
    for (int len = 1; len <= maxLength; len++) {
      int to = out.size();
      for (int i = from; i < to; i++) {
        for (char c : alphabet.toCharArray()) {
          out.add(out.get(i) + c);
        }
      }
      from = to;
    }
    return out;
  }

  @Property(tries = 150)
  void subsetIsExact(
      @ForAll("modes") PolicyMatching ma,
      @ForAll("simplePatterns") List<String> allowA,
      @ForAll("simplePatterns") List<String> denyA,
      @ForAll("modes") PolicyMatching mb,
      @ForAll("simplePatterns") List<String> allowB,
      @ForAll("simplePatterns") List<String> denyB) {
    Policy a = Policies.of(ma, allowA, denyA);
    Policy b = Policies.of(mb, allowB, denyB);
    Optional<String> excess = Policies.excessPath(a, b);
    Statistics.collect(excess.isPresent() ? "not subset" : "subset");
    if (excess.isPresent()) {
      assertThat(a.verify(excess.get())).isTrue();
      assertThat(b.verify(excess.get())).isFalse();
    } else {
      for (String path : ALL_SHORT_PATHS) {
        if (a.verify(path)) {
          assertThat(b.verify(path)).as("a allows %s", path).isTrue();
        }
      }
    }
    assertThat(Policies.isSubset(a, a)).isTrue();
    assertThat(Policies.isSubset(Policies.of(ma, List.of(), denyA), b)).isTrue();
  }

  private static List<String> plus(List<String> list, String extra) {
    List<String> out = new ArrayList<>(list);
    out.add(extra);
    return out;
  }

  private static String escapeGlob(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if ("*?[\\".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }
}
