package dev.kes4j.crypto;

import static dev.kes4j.crypto.Vectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyInfo;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyVersionTest {
  @Nested
  class Hmac {
    @Test
    void isHmacSha256UnderTheHmacKey() throws Exception {
      byte[] hmacKey = new byte[32];
      Arrays.fill(hmacKey, (byte) 7);
      KeyVersion k =
          KeyVersion.of(MasterKey.generate(KeyAlgorithm.AES256), hmacKey, KeyInfo.UNKNOWN_TIME, "");
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
      assertThat(k.hmac(utf8("message"))).isEqualTo(mac.doFinal(utf8("message")));
      assertThat(k.hmac(utf8("message"))).isEqualTo(mac.doFinal(utf8("message")));
      assertThat(k.hmac(new byte[0])).hasSize(32);
    }

    @Test
    void knownAnswerForZeroKey() {
      // HMAC-SHA-256(key = 32 × 0x00, message = "") computed independently (Python hmac module)
      KeyVersion k =
          KeyVersion.of(
              MasterKey.of(KeyAlgorithm.AES256, new byte[32]),
              new byte[32],
              KeyInfo.UNKNOWN_TIME,
              "");
      assertThat(HexFormat.of().formatHex(k.hmac(new byte[0])))
          .isEqualTo("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    }

    @Test
    void withoutHmacKeyIs409() {
      KeyVersion k =
          KeyVersion.of(MasterKey.generate(KeyAlgorithm.AES256), null, KeyInfo.UNKNOWN_TIME, "");
      assertThat(k.hasHmac()).isFalse();
      assertThatThrownBy(() -> k.hmac(utf8("m")))
          .isExactlyInstanceOf(KesException.class)
          .hasMessage("key does not support HMAC")
          .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(409));
    }

    @Test
    void rejectsWrongHmacKeyLength() {
      assertThatThrownBy(
              () ->
                  KeyVersion.of(
                      MasterKey.generate(KeyAlgorithm.AES256),
                      new byte[16],
                      KeyInfo.UNKNOWN_TIME,
                      ""))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void generateMakesFreshKeys(KeyAlgorithm algorithm) {
    Instant now = Instant.parse("2025-05-01T12:00:00.123Z");
    KeyVersion a = KeyVersion.generate(algorithm, now, "creator");
    KeyVersion b = KeyVersion.generate(algorithm, now, "creator");
    assertThat(a.hasHmac()).isTrue();
    assertThat(a.masterKey().algorithm()).isEqualTo(algorithm);
    assertThat(a.hmac(utf8("m"))).isNotEqualTo(b.hmac(utf8("m")));
    assertThat(a.masterKey().sameKeyAs(b.masterKey())).isFalse();
    assertThat(a.info("my-key")).isEqualTo(new KeyInfo("my-key", algorithm, now, "creator"));
  }

  @Test
  void toStringNeverShowsKeyBytes() {
    byte[] hmacKey = new byte[32];
    Arrays.fill(hmacKey, (byte) 0x5c);
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 0xab);
    KeyVersion k =
        KeyVersion.of(
            MasterKey.of(KeyAlgorithm.AES256, key), hmacKey, KeyInfo.UNKNOWN_TIME, "someone");
    String s = k.toString();
    assertThat(s).contains("someone").contains("hmac=true");
    assertThat(s.toLowerCase()).doesNotContain("abab").doesNotContain("5c5c");
    assertThat(s).doesNotContain("q6ur").doesNotContain("XFxc");
  }

  @Test
  void destroyZeroesBothKeys() {
    KeyVersion k = KeyVersion.generate(KeyAlgorithm.AES256, KeyInfo.UNKNOWN_TIME, "");
    k.destroy();
    assertThat(k.isDestroyed()).isTrue();
    assertThat(k.masterKey().isDestroyed()).isTrue();
    assertThatThrownBy(() -> k.hmac(utf8("m"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> KeyBlobs.encode(k, KeyBlobFormat.PROTOBUF))
        .isInstanceOf(IllegalStateException.class);
  }
}
