package dev.kes4j.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("0", Duration.ZERO),
        Arguments.of("0s", Duration.ZERO),
        Arguments.of("5m0s", Duration.ofMinutes(5)),
        Arguments.of("5m", Duration.ofMinutes(5)),
        Arguments.of("20s", Duration.ofSeconds(20)),
        Arguments.of("1h30m", Duration.ofMinutes(90)),
        Arguments.of("1.5h", Duration.ofMinutes(90)),
        Arguments.of("300ms", Duration.ofMillis(300)),
        Arguments.of("2us", Duration.ofNanos(2000)),
        Arguments.of("2\u00b5s", Duration.ofNanos(2000)),
        Arguments.of("2\u03bcs", Duration.ofNanos(2000)),
        Arguments.of("7ns", Duration.ofNanos(7)),
        Arguments.of("-1s", Duration.ofSeconds(-1)),
        Arguments.of("+1s", Duration.ofSeconds(1)),
        Arguments.of(".5s", Duration.ofMillis(500)),
        Arguments.of("1.s", Duration.ofSeconds(1)),
        Arguments.of("1h1m1s1ms", Duration.ofMillis(3_661_001)));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void parsesGoDurations(String text, Duration expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "s", "1x", "1.2.3s", ".s", "--1s", "1 s", "9999999999999999h"})
  void rejectsWhatGoRejects(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("time: ");
  }

  static Stream<Arguments> formatted() {
    return Stream.of(
        Arguments.of(Duration.ZERO, "0s"),
        Arguments.of(Duration.ofMinutes(5), "5m0s"),
        Arguments.of(Duration.ofMinutes(90), "1h30m0s"),
        Arguments.of(Duration.ofMillis(1500), "1.5s"),
        Arguments.of(Duration.ofMillis(300), "300ms"),
        Arguments.of(Duration.ofNanos(1500), "1.5\u00b5s"),
        Arguments.of(Duration.ofNanos(7), "7ns"),
        Arguments.of(Duration.ofSeconds(-20), "-20s"));
  }

  @ParameterizedTest
  @MethodSource("formatted")
  void formatsLikeGo(Duration d, String expected) {
    assertThat(GoDuration.format(d)).isEqualTo(expected);
  }

  @Property(tries = 300)
  void formatThenParseRoundTrips(
      @ForAll @LongRange(min = -4_000_000_000_000_000L, max = 4_000_000_000_000_000L) long nanos) {
    Duration d = Duration.ofNanos(nanos);
    assertThat(GoDuration.parse(GoDuration.format(d))).isEqualTo(d);
  }

  @Property(tries = 200)
  void sumOfUnitsParses(
      @ForAll @LongRange(min = 0, max = 1000) long h,
      @ForAll @LongRange(min = 0, max = 59) long m,
      @ForAll @LongRange(min = 0, max = 59) long s,
      @ForAll @LongRange(min = 0, max = 999) long ms) {
    String text = h + "h" + m + "m" + s + "s" + ms + "ms";
    assertThat(GoDuration.parse(text))
        .isEqualTo(Duration.ofHours(h).plusMinutes(m).plusSeconds(s).plusMillis(ms));
  }
}
