package dev.kes4j.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's {@code time.Time} JSON form (RFC3339Nano), tested once for every kes4j module. */
class GoTimeTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2024-02-29T12:00:00Z, 2024-02-29T12:00:00Z",
    "2024-02-29T12:00:00.5Z, 2024-02-29T12:00:00.5Z",
    "2024-02-29T12:00:00.120Z, 2024-02-29T12:00:00.12Z",
    "2024-02-29T12:00:00.000000001Z, 2024-02-29T12:00:00.000000001Z",
    "1970-01-01T00:00:00Z, 1970-01-01T00:00:00Z",
    "0000-01-01T00:00:00Z, 0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z, 0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999999Z, 9999-12-31T23:59:59.999999999Z",
  })
  void formatsAsGoMarshalsTime(String instant, String expected) {
    assertThat(GoTime.format(Instant.parse(instant))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59.999999999Z"})
  void refusesYearsGoCannotMarshal(String instant) {
    // Go's MarshalJSON: "Time.MarshalJSON: year outside of range [0,9999]"; never "+10000"
    Instant t = Instant.parse(instant);
    assertThat(GoTime.marshallable(t)).isFalse();
    assertThatThrownBy(() -> GoTime.format(t))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..9999");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2024-02-29T12:00:00Z, 2024-02-29T12:00:00Z",
    "2024-02-29T13:30:00+01:30, 2024-02-29T12:00:00Z",
    "2024-02-29T10:00:00-02:00, 2024-02-29T12:00:00Z",
    "2024-02-29T12:00:00.1234567891Z, 2024-02-29T12:00:00.123456789Z",
  })
  void parsesAsGoUnmarshalsTime(String text, String expected) {
    assertThat(GoTime.parse(text)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "2024-02-29",
        "2024-02-29T12:00Z",
        "2024-02-29T12:00:00",
        "2024-02-30T12:00:00Z",
        "2024-02-29T12:00:00+24:00",
        "2024-02-29 12:00:00Z",
      })
  void rejectsWhatGoRejects(String text) {
    assertThatThrownBy(() -> GoTime.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unixEpochHasNoFraction() {
    assertThat(GoTime.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00Z");
  }

  @Property(tries = 500)
  void roundTrips(
      @ForAll @LongRange(min = -62167219200L, max = 253402300799L) long seconds,
      @ForAll @IntRange(min = 0, max = 999_999_999) int nanos) {
    Instant t = Instant.ofEpochSecond(seconds, nanos);
    String s = GoTime.format(t);
    assertThat(GoTime.parse(s)).isEqualTo(t);
    assertThat(s).endsWith("Z").hasSizeBetween(20, 30);
    if (nanos != 0) {
      assertThat(s).contains(".").doesNotEndWith("0Z");
    }
  }
}
