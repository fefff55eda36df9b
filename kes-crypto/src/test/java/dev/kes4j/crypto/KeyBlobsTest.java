package dev.kes4j.crypto;

import static dev.kes4j.crypto.Vectors.b64;
import static dev.kes4j.crypto.Vectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyBlobsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Instant GO_PLAYGROUND = Instant.parse("2009-11-10T23:00:00Z");
  private static final Instant VECTOR_TIME =
      OffsetDateTime.parse("2024-01-12T11:39:20.886816+01:00").toInstant();

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static KeyVersion legacy(String hexKey) {
    return KeyVersion.of(
        MasterKey.of(KeyAlgorithm.AES256, HEX.parseHex(hexKey)), null, KeyInfo.UNKNOWN_TIME, "");
  }

  @Nested
  class LegacyJson {
    /** kes-vectors §5: KES ≤ v0.18 key text. */
    static Stream<Arguments> legacyStrings() {
      return Stream.of(
          Arguments.of(
              "0000000000000000000000000000000000000000000000000000000000000000",
              "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}"),
          Arguments.of(
              "0000000000000000000000000000000000000000000000000000000000000001",
              "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE=\"}"),
          Arguments.of(
              "27caa63b2115d9c7b6ca8002fb9b7463b0923ff853329a4bed71e9027c9cfb41",
              "{\"bytes\":\"J8qmOyEV2ce2yoAC+5t0Y7CSP/hTMppL7XHpAnyc+0E=\"}"));
    }

    @ParameterizedTest
    @MethodSource("legacyStrings")
    void encodesExactly(String hexKey, String expected) {
      assertThat(text(KeyBlobs.encode(legacy(hexKey), KeyBlobFormat.LEGACY_JSON)))
          .isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("legacyStrings")
    void parses(String hexKey, String blob) {
      KeyVersion k = KeyBlobs.parse(utf8(blob));
      assertThat(k.masterKey().algorithm()).isEqualTo(KeyAlgorithm.AES256);
      assertThat(k.masterKey().sameKeyAs(legacy(hexKey).masterKey())).isTrue();
      assertThat(k.hasHmac()).isFalse();
      assertThat(k.createdAt()).isEqualTo(KeyInfo.UNKNOWN_TIME);
      assertThat(k.createdBy()).isEmpty();
    }

    @Test
    void writesAlgorithmOnlyForChaChaThenTimeAndCreator() {
      KeyVersion k =
          KeyVersion.of(
              MasterKey.of(KeyAlgorithm.CHACHA20, new byte[32]),
              new byte[32],
              Instant.parse("2024-01-12T10:39:20.886816Z"),
              "me");
      assertThat(text(KeyBlobs.encode(k, KeyBlobFormat.LEGACY_JSON)))
          .isEqualTo(
              "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\","
                  + "\"algorithm\":\"XCHACHA20-POLY1305\","
                  + "\"created_at\":\"2024-01-12T10:39:20.886816Z\",\"created_by\":\"me\"}");
    }

    @Test
    void dropsTheHmacKey() {
      KeyVersion k = KeyVersion.generate(KeyAlgorithm.AES256, GO_PLAYGROUND, "id");
      KeyVersion back = KeyBlobs.parse(KeyBlobs.encode(k, KeyBlobFormat.LEGACY_JSON));
      assertThat(back.hasHmac()).isFalse();
      assertThat(back.masterKey().sameKeyAs(k.masterKey())).isTrue();
      assertThat(back.createdAt()).isEqualTo(GO_PLAYGROUND);
      assertThat(back.createdBy()).isEqualTo("id");
    }

    static Stream<Arguments> goTimes() {
      return Stream.of(
          Arguments.of("2009-11-10T23:00:00Z", "2009-11-10T23:00:00Z"),
          Arguments.of("2024-01-12T10:39:20.886816Z", "2024-01-12T10:39:20.886816Z"),
          Arguments.of("2024-01-12T10:39:20.100Z", "2024-01-12T10:39:20.1Z"),
          Arguments.of("2024-01-12T10:39:20.000000001Z", "2024-01-12T10:39:20.000000001Z"),
          Arguments.of("0001-01-01T00:00:01Z", "0001-01-01T00:00:01Z"));
    }

    @ParameterizedTest
    @MethodSource("goTimes")
    void writesTimesAsGoRfc3339Nano(String instant, String expected) {
      KeyVersion k =
          KeyVersion.of(
              MasterKey.of(KeyAlgorithm.AES256, new byte[32]), null, Instant.parse(instant), "");
      assertThat(text(KeyBlobs.encode(k, KeyBlobFormat.LEGACY_JSON)))
          .endsWith(",\"created_at\":\"" + expected + "\"}");
    }

    @Test
    void escapesCreatorLikeGo() {
      KeyVersion k =
          KeyVersion.of(
              MasterKey.of(KeyAlgorithm.AES256, new byte[32]),
              null,
              KeyInfo.UNKNOWN_TIME,
              "a\"b\\c<d>&\n\u0001\u2028é😀");
      String json = text(KeyBlobs.encode(k, KeyBlobFormat.LEGACY_JSON));
      assertThat(json)
          .endsWith("\"created_by\":\"a\\\"b\\\\c\\u003cd\\u003e\\u0026\\n\\u0001\\u2028é😀\"}");
      assertThat(KeyBlobs.parse(utf8(json)).createdBy()).isEqualTo(k.createdBy());
    }

    @Test
    void rejectsTimesGoCannotWrite() {
      KeyVersion k =
          KeyVersion.of(
              MasterKey.of(KeyAlgorithm.AES256, new byte[32]),
              null,
              Instant.parse("+10000-01-01T00:00:00Z"),
              "");
      assertThatThrownBy(() -> KeyBlobs.encode(k, KeyBlobFormat.LEGACY_JSON))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Parsing {
    /** kes-vectors §6: the newest reader's table. */
    static Stream<Arguments> accepted() {
      return Stream.of(
          Arguments.of(
              "{\"bytes\":\"J8qmOyEV2ce2yoAC+5t0Y7CSP/hTMppL7XHpAnyc+0E=\",\"algorithm\":\"AES256-GCM_SHA256\",\"created_at\":\"2009-11-10T23:00:00Z\",\"created_by\":\"40235905b7b83e0537a002db523cd019d6709b899adc249c957860cd00fa9f78\"}",
              KeyAlgorithm.AES256,
              "27caa63b2115d9c7b6ca8002fb9b7463b0923ff853329a4bed71e9027c9cfb41",
              GO_PLAYGROUND,
              "40235905b7b83e0537a002db523cd019d6709b899adc249c957860cd00fa9f78",
              false),
          Arguments.of(
              "{\"bytes\":\"9ew6BCae3+13sniOUwttEJ62amg98YXc0OW0WBhNiCY=\",\"algorithm\":\"XCHACHA20-POLY1305\",\"created_at\":\"2009-11-10T23:00:00Z\",\"created_by\":\"189d9de5331e3ee8abe9e4bd40d474ad621d79ccf83a711f6ac68050eb15a52a\"}",
              KeyAlgorithm.CHACHA20,
              HEX.formatHex(b64("9ew6BCae3+13sniOUwttEJ62amg98YXc0OW0WBhNiCY=")),
              GO_PLAYGROUND,
              "189d9de5331e3ee8abe9e4bd40d474ad621d79ccf83a711f6ac68050eb15a52a",
              false),
          // v0.22.3+ adds "version"; v0.23 writes ChaCha20 / omits AES256; offsets convert to UTC
          Arguments.of(
              "{\"version\":\"v1\",\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"algorithm\":\"ChaCha20\",\"created_at\":\"2024-01-12T11:39:20.886816+01:00\"}",
              KeyAlgorithm.CHACHA20,
              "0000000000000000000000000000000000000000000000000000000000000000",
              VECTOR_TIME,
              "",
              false),
          Arguments.of(
              " {\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"algorithm\":\"AES256\",\"created_by\":null}\n",
              KeyAlgorithm.AES256,
              "0000000000000000000000000000000000000000000000000000000000000000",
              KeyInfo.UNKNOWN_TIME,
              "",
              false),
          Arguments.of(
              Vectors.PROTOBUF_VECTOR,
              KeyAlgorithm.AES256,
              HEX.formatHex(b64("yIcbtes33gW7BuUkmivh/t/qtuoCXsPCwtqIijLPQPY=")),
              VECTOR_TIME,
              Vectors.PROTOBUF_CREATOR,
              true),
          // Go's base64 decoder skips CR/LF, e.g. a trailing newline in a file store
          Arguments.of(
              Vectors.PROTOBUF_VECTOR + "\r\n",
              KeyAlgorithm.AES256,
              HEX.formatHex(b64("yIcbtes33gW7BuUkmivh/t/qtuoCXsPCwtqIijLPQPY=")),
              VECTOR_TIME,
              Vectors.PROTOBUF_CREATOR,
              true));
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void parses(
        String blob,
        KeyAlgorithm algorithm,
        String hexKey,
        Instant createdAt,
        String createdBy,
        boolean hmac) {
      KeyVersion k = KeyBlobs.parse(utf8(blob));
      assertThat(k.masterKey().algorithm()).isEqualTo(algorithm);
      assertThat(k.masterKey().sameKeyAs(MasterKey.of(algorithm, HEX.parseHex(hexKey)))).isTrue();
      assertThat(k.createdAt()).isEqualTo(createdAt);
      assertThat(k.createdBy()).isEqualTo(createdBy);
      assertThat(k.hasHmac()).isEqualTo(hmac);
      assertThat(k.info("k")).isEqualTo(new KeyInfo("k", algorithm, createdAt, createdBy));
    }

    @Test
    void protobufVectorCarriesItsHmacKey() {
      KeyVersion k = KeyBlobs.parse(utf8(Vectors.PROTOBUF_VECTOR));
      assertThat(k.hmacKey()).isEqualTo(b64("nLXl4yqa4cjZTcSbsU6sNnN8kP9ARWkXwa20YQZa9Hg="));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          // kes-vectors §5: the four malformed legacy strings
          "\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}",
          "{bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}",
          "{\"bytes\"\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}",
          "\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"",
          // more
          "",
          "{}",
          "[]",
          "null",
          "\"AAAA\"",
          "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\"}",
          "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
          "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"algorithm\":\"AES\"}",
          "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"algorithm\":1}",
          "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"created_at\":\"\"}",
          "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"created_at\":\"2009-11-10\"}",
          "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"created_at\":\"2009-02-30T00:00:00Z\"}",
          "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"created_by\":7}",
          "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",}",
          "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"} x",
          // protobuf: no HMAC key, truncated, garbage base64
          "CiQKIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEAE=",
          "CiQKIMiHG7XrN94FuwblJJor4f7f6rbqAl7DwsLaiIoyz0D2EAESJAognLXl4yqa4cjZTcSbsU6sNnN8kP9A",
          "CiQKIMiHG7XrN94Fuwbl!Jor4f7f6rbqAl7DwsLaiIoyz0D2EAESJAognLXl4yqa4cjZTcSbsU6sNnN8kP9A",
          "AAAA"
        })
    void rejectsMalformed(String blob) {
      assertThatThrownBy(() -> KeyBlobs.parse(utf8(blob)))
          .isExactlyInstanceOf(InvalidKeyBlobException.class)
          .hasMessage("failed to read key: invalid key format")
          .hasNoCause()
          .satisfies(e -> assertThat(((InvalidKeyBlobException) e).status()).isEqualTo(500));
    }

    @Test
    void protobufSkipsUnknownFieldsAndMergesRepeatedMessages() {
      byte[] pb = b64(Vectors.PROTOBUF_VECTOR);
      // prepend unknown fields 9 (varint), 10 (fixed64), 11 (bytes), 12 (fixed32); append a second
      // SecretKey message that only sets Type = 2 (ChaCha20): merged, the key bytes stay
      byte[] prefix =
          HEX.parseHex("4801" + "5101020304050607 08".replace(" ", "") + "5a0161" + "6501020304");
      byte[] suffix = HEX.parseHex("0a021002");
      byte[] all = new byte[prefix.length + pb.length + suffix.length];
      System.arraycopy(prefix, 0, all, 0, prefix.length);
      System.arraycopy(pb, 0, all, prefix.length, pb.length);
      System.arraycopy(suffix, 0, all, prefix.length + pb.length, suffix.length);
      KeyVersion k = KeyBlobs.parse(java.util.Base64.getEncoder().encode(all));
      assertThat(k.masterKey().algorithm()).isEqualTo(KeyAlgorithm.CHACHA20);
      assertThat(k.masterKey().encoded())
          .isEqualTo(b64("yIcbtes33gW7BuUkmivh/t/qtuoCXsPCwtqIijLPQPY="));
      assertThat(k.createdBy()).isEqualTo(Vectors.PROTOBUF_CREATOR);
    }
  }

  @Nested
  class Protobuf {
    @Test
    void reencodesTheGoVectorByteForByte() {
      KeyVersion k = KeyBlobs.parse(utf8(Vectors.PROTOBUF_VECTOR));
      assertThat(text(KeyBlobs.encode(k, KeyBlobFormat.PROTOBUF)))
          .isEqualTo(Vectors.PROTOBUF_VECTOR);
    }

    @Test
    void encodesTheZeroKeyVector() {
      KeyVersion k =
          KeyVersion.of(
              MasterKey.of(KeyAlgorithm.AES256, new byte[32]),
              new byte[32],
              VECTOR_TIME,
              Vectors.PROTOBUF_CREATOR);
      byte[] blob = KeyBlobs.encode(k, KeyBlobFormat.PROTOBUF);
      assertThat(text(blob)).isEqualTo(Vectors.PROTOBUF_ZERO_VECTOR);
      KeyVersion back = KeyBlobs.parse(blob);
      assertThat(back.masterKey().sameKeyAs(k.masterKey())).isTrue();
      assertThat(back.hmacKey()).isEqualTo(new byte[32]);
      assertThat(back.createdAt()).isEqualTo(VECTOR_TIME);
    }

    @Test
    void refusesAKeyWithoutHmac() {
      KeyVersion k = legacy("00".repeat(32));
      assertThatThrownBy(() -> KeyBlobs.encode(k, KeyBlobFormat.PROTOBUF))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTripsGoZeroTimeAndEpoch() {
      for (Instant t : new Instant[] {KeyInfo.UNKNOWN_TIME, Instant.EPOCH}) {
        KeyVersion k = KeyVersion.generate(KeyAlgorithm.CHACHA20, t, "");
        KeyVersion back = KeyBlobs.parse(KeyBlobs.encode(k, KeyBlobFormat.PROTOBUF));
        assertThat(back.createdAt()).isEqualTo(t);
        assertThat(back.masterKey().algorithm()).isEqualTo(KeyAlgorithm.CHACHA20);
        assertThat(back.createdBy()).isEmpty();
      }
    }
  }
}
