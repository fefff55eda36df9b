package dev.kes4j.keystore.gcp.internal;

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

class DurationsTest {
  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("0", Duration.ZERO),
        Arguments.of("5s", Duration.ofSeconds(5)),
        Arguments.of("500ms", Duration.ofMillis(500)),
        Arguments.of("1.5s", Duration.ofMillis(1500)),
        Arguments.of("1m30s", Duration.ofSeconds(90)),
        Arguments.of("2h", Duration.ofHours(2)),
        Arguments.of("10us", Duration.ofNanos(10_000)),
        Arguments.of("10µs", Duration.ofNanos(10_000)),
        Arguments.of("7ns", Duration.ofNanos(7)),
        Arguments.of("-3s", Duration.ofSeconds(-3)),
        Arguments.of(" 1s ", Duration.ofSeconds(1)));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("valid")
  void parses(String text, Duration expected) {
    assertThat(Durations.parseGo(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "''{0}'' is invalid")
  @ValueSource(strings = {"", "5", "s", "5x", "1.2.3s", "-", "5 s", "1d"})
  void rejects(String text) {
    assertThatThrownBy(() -> Durations.parseGo(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 200)
  void millisecondsRoundTrip(@ForAll @LongRange(min = 0, max = 10_000_000) long millis) {
    assertThat(Durations.parseGo(millis + "ms")).isEqualTo(Duration.ofMillis(millis));
    long s = millis / 1000;
    long ms = millis % 1000;
    assertThat(Durations.parseGo(s + "s" + ms + "ms")).isEqualTo(Duration.ofMillis(millis));
  }
}
