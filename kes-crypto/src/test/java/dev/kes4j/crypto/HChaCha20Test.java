package dev.kes4j.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.crypto.internal.HChaCha20;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HChaCha20Test {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<Arguments> vectors() {
    return Stream.of(
        // kes-vectors §4: draft-irtf-cfrg-xchacha-03 §2.2.1
        Arguments.of(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
            "000000090000004a0000000031415927",
            "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc"));
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void knownAnswer(String key, String input, String expected) {
    assertThat(HEX.formatHex(HChaCha20.derive(HEX.parseHex(key), HEX.parseHex(input), 0)))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void readsInputAtOffset(String key, String input, String expected) {
    byte[] shifted = HEX.parseHex("ffffff" + input + "ee");
    assertThat(HEX.formatHex(HChaCha20.derive(HEX.parseHex(key), shifted, 3))).isEqualTo(expected);
  }

  @Test
  void rejectsShortKey() {
    assertThatThrownBy(() -> HChaCha20.derive(new byte[31], new byte[16], 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
