package dev.kes4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestTest {
  static final Set<String> GCP =
      Set.of("project_id", "endpoint", "scopes", "credentials", "timeout", "attempt_timeout");
  static final Set<String> TOP =
      Set.of("version", "address", "admin", "tls", "api", "policy", "cache", "log", "keys");

  @ParameterizedTest
  @CsvSource({
    "projectid, project_id",
    "Project-ID, project_id",
    "endpiont, endpoint",
    "scope, scopes",
    "timout, timeout",
    "attempttimeout, attempt_timeout",
    "adress, address",
    "addres, address",
    "key, keys",
    "polcy, policy",
    "tsl, tls",
  })
  void findsTheSettingMeant(String typo, String meant) {
    Set<String> known = GCP.contains(meant) ? GCP : TOP;
    assertThat(Suggest.nearest(typo, known)).contains(meant);
  }

  @ParameterizedTest
  @CsvSource({"labels", "region", "metrics", "ca", "foo", "x"})
  void unrelatedWordsHaveNoSuggestion(String word) {
    assertThat(Suggest.nearest(word, GCP)).isEmpty();
    assertThat(Suggest.nearest(word, TOP)).isEmpty();
  }

  @Property
  void aKnownWordIsNeverAMiss(@ForAll("known") String word) {
    assertThat(Suggest.nearest(word, GCP)).isEmpty();
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> known() {
    return net.jqwik.api.Arbitraries.of(List.copyOf(GCP));
  }

  @Property
  void oneEditOfALongWordFindsIt(
      @ForAll @AlphaChars @StringLength(min = 6, max = 12) String word,
      @ForAll("positions") int at) {
    String lower = word.toLowerCase(java.util.Locale.ROOT);
    int i = at % lower.length();
    String deleted = lower.substring(0, i) + lower.substring(i + 1);
    Optional<String> meant = Suggest.nearest(deleted, Set.of(lower));
    assertThat(meant).contains(lower);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Integer> positions() {
    return net.jqwik.api.Arbitraries.integers().between(0, 100);
  }

  @Property
  void distanceIsSymmetric(
      @ForAll @StringLength(max = 8) String a, @ForAll @StringLength(max = 8) String b) {
    assertThat(Suggest.distance(a, b)).isEqualTo(Suggest.distance(b, a));
  }
}
