package dev.kes4j.crypto;

import static dev.kes4j.crypto.Vectors.SIXTEEN_ZEROS;
import static dev.kes4j.crypto.Vectors.ZERO_KEY_ID;
import static dev.kes4j.crypto.Vectors.b64;
import static dev.kes4j.crypto.Vectors.utf8;
import static dev.kes4j.crypto.Vectors.zeroKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.CiphertextFormat;
import dev.kes4j.api.DecryptionException;
import dev.kes4j.api.KeyAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class MasterKeyTest {
  private static final HexFormat HEX = HexFormat.of();

  @Nested
  class LegacyJsonCiphertexts {
    /** kes-vectors §1; the key is the zero key, no associated data. */
    static Stream<Arguments> vectors() {
      return Stream.of(
          Arguments.of(
              "J0",
              "{\"aead\":\"AES-256-GCM-HMAC-SHA-256\",\"iv\":\"xLxIN3tSCkg2xMafuvwUwg==\",\"nonce\":\"gu0mGwUkwcvMEoi5\",\"bytes\":\"WVgRjeIJm3w50C/l+y7y2i6mbNg5NCAqN1zvOYWZKmc=\"}",
              true),
          Arguments.of(
              "J1",
              "{\"aead\":\"ChaCha20Poly1305\",\"iv\":\"s3fSZ6vk5m+DfQA8yZWeUg==\",\"nonce\":\"8/kHMnCMs3h9NZ2a\",\"bytes\":\"cw22HjLq/4cx8507SW4hhSrYbDiMuRao4b5+GE+XfbE=\"}",
              true),
          Arguments.of(
              "J2",
              "{\"aead\":\"ChaCha20Poly1305\",\"id\":\"66687aadf862bd776c8fc18b8e9f8e20\",\"iv\":\"EC0eZp7Pqt+LnkOae5xaAg==\",\"nonce\":\"X1ejXKmH/ugFZPkk\",\"bytes\":\"wIGBTDs6aOvsqJfekZ0PYRT/OHyFX2TXqeNwl1SLXOI=\"}",
              true),
          Arguments.of(
              "J3",
              "{\"aead\":\"AES-256-GCM\",\"iv\":\"xLxIN3tSCkg2xMafuvwUwg==\",\"nonce\":\"gu0mGwUkwcvMEoi5\",\"bytes\":\"WVgRjeIJm3w50C/l+y7y2i6mbNg5NCAqN1zvOYWZKmc=\"}",
              false),
          Arguments.of(
              "J4",
              "{\"aead\":\"AES-256-GCM-HMAC-SHA-256\",\"iv\":\"EjOY4JKqjIrPmQ5z1KSR8zlhggY=\",\"nonce\":\"gu0mGwUkwcvMEoi5\",\"bytes\":\"WVgRjeIJm3w50C/l+y7y2i6mbNg5NCAqN1zvOYWZKmc=\"}",
              false),
          Arguments.of(
              "J5",
              "{\"aead\":\"ChaCha20Poly1305\",\"iv\":\"s3fSZ6vk5m+DfQA8yZWeUg==\",\"nonce\":\"SXAbms731/c=\",\"bytes\":\"cw22HjLq/4cx8507SW4hhSrYbDiMuRao4b5+GE+XfbE=\"}",
              false),
          Arguments.of(
              "J6",
              "{\"aead\":\"AES-256-GCM-HMAC-SHA-256\",\"iv\":\"xLxIN3tSCkg2xMafuvwUwg==\",\"nonce\":\"efY+4kYF9n8=\",\"bytes\":\"WVgRjeIJm3w50C/l+y7y2i6mbNg5NCAqN1zvOYWZKmc=\"}",
              false),
          Arguments.of(
              "J7",
              "{\"aead\":\"AES-256-GCM-HMAC-SHA-256\",\"iv\":\"xLxIN3tSCkg2xMafuvwUwg==\",\"nonce\":\"gu0mGwUkwcvMEoi5\",\"bytes\":\"QTza1g5oX3f9cGJMbY1xJwWPj1F7R2VnNl6XpFKYQy0=\"}",
              false),
          Arguments.of(
              "J8",
              "{\"aead\":\"ChaCha20Poly1305\",\"iv\":\"s3fSZ6vk5m+DfQA8yZWeUg==\",\"nonce\":\"8/kHMnCMs3h9NZ2a\",\"bytes\":\"TTi8pkO+Jh1JWAHvPxZeUk/iVoBPUCE4ZSVGBy3fW2s=\"}",
              false),
          Arguments.of(
              "J9",
              "{\"aead\":\"AES-256-GCM-HMAC-SHA-256\" \"iv\":\"xLxIN3tSCkg2xMafuvwUwg==\",\"nonce\":\"gu0mGwUkwcvMEoi5\",\"bytes\":\"WVgRjeIJm3w50C/l+y7y2i6mbNg5NCAqN1zvOYWZKmc=\"}",
              false),
          // newest KES ignores the id field, so the id mismatch of J10 does not matter
          Arguments.of(
              "J10",
              "{\"aead\":\"AES-256-GCM-HMAC-SHA-256\", \"id\":\"00010203040506070809101112131415\", \"iv\":\"xLxIN3tSCkg2xMafuvwUwg==\",\"nonce\":\"gu0mGwUkwcvMEoi5\",\"bytes\":\"WVgRjeIJm3w50C/l+y7y2i6mbNg5NCAqN1zvOYWZKmc=\"}",
              true));
    }

    /** The container's aead decides, so both key types open every legacy ciphertext (§4.3). */
    @ParameterizedTest(name = "{0} under {3} key")
    @MethodSource("withKeyTypes")
    void opensOrFails(String name, String json, boolean decrypts, KeyAlgorithm keyType) {
      MasterKey key = zeroKey(keyType);
      if (decrypts) {
        assertThat(key.open(utf8(json), null)).isEqualTo(SIXTEEN_ZEROS);
      } else {
        assertThatThrownBy(() -> key.open(utf8(json), null))
            .isExactlyInstanceOf(DecryptionException.class)
            .hasMessage("decryption failed: ciphertext is not authentic")
            .hasNoCause();
      }
    }

    static Stream<Arguments> withKeyTypes() {
      return vectors()
          .flatMap(
              a ->
                  Stream.of(KeyAlgorithm.values())
                      .map(t -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], t)));
    }

    @Test
    void wrongKeyFails() {
      String j0 = (String) vectors().findFirst().orElseThrow().get()[1];
      MasterKey other =
          MasterKey.of(
              KeyAlgorithm.AES256,
              new byte[] {
                1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                1, 1, 1, 1
              });
      assertThatThrownBy(() -> other.open(utf8(j0), null))
          .isExactlyInstanceOf(DecryptionException.class);
    }

    @Test
    void fieldNamesMatchCaseInsensitivelyAsInGo() {
      String j0 = (String) vectors().findFirst().orElseThrow().get()[1];
      String upper = j0.replace("\"aead\"", "\"AEAD\"").replace("\"iv\"", "\"Iv\"");
      assertThat(zeroKey(KeyAlgorithm.AES256).open(utf8(upper), null)).isEqualTo(SIXTEEN_ZEROS);
    }

    @Test
    void missingAeadUsesTheKeysAlgorithm() {
      String j0 = (String) vectors().findFirst().orElseThrow().get()[1];
      String noAead = j0.replace("\"aead\":\"AES-256-GCM-HMAC-SHA-256\",", "");
      assertThat(zeroKey(KeyAlgorithm.AES256).open(utf8(noAead), null)).isEqualTo(SIXTEEN_ZEROS);
      assertThatThrownBy(() -> zeroKey(KeyAlgorithm.CHACHA20).open(utf8(noAead), null))
          .isExactlyInstanceOf(DecryptionException.class);
    }

    @Test
    void wrongFieldTypeFails() {
      String j0 = (String) vectors().findFirst().orElseThrow().get()[1];
      String numericId = j0.replace("{", "{\"id\":5,");
      assertThatThrownBy(() -> zeroKey(KeyAlgorithm.AES256).open(utf8(numericId), null))
          .isExactlyInstanceOf(DecryptionException.class);
    }
  }

  @Nested
  class MsgpackCiphertexts {
    static Stream<Arguments> vectors() {
      byte[] m0 = b64(Vectors.M0);
      byte[] m1 = b64(Vectors.M1);
      return Stream.of(
          Arguments.of("M0", m0),
          Arguments.of("M1", m1),
          // v0.23 spellings, same payloads: 0x95, fixstr "AES256" / "ChaCha20", the rest of M0 / M1
          Arguments.of("M0 as AES256", respell(m0, 17, "AES256")),
          Arguments.of("M1 as ChaCha20", respell(m1, 18, "ChaCha20")));
    }

    static byte[] respell(byte[] msg, int oldLen, String alg) {
      byte[] name = alg.getBytes(StandardCharsets.US_ASCII);
      byte[] rest = Arrays.copyOfRange(msg, 2 + oldLen, msg.length);
      byte[] out = new byte[2 + name.length + rest.length];
      out[0] = (byte) 0x95;
      out[1] = (byte) (0xa0 | name.length);
      System.arraycopy(name, 0, out, 2, name.length);
      System.arraycopy(rest, 0, out, 2 + name.length, rest.length);
      return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void opensUnderEitherKeyType(String name, byte[] ciphertext) {
      for (KeyAlgorithm type : KeyAlgorithm.values()) {
        assertThat(zeroKey(type).open(ciphertext, null)).isEqualTo(SIXTEEN_ZEROS);
      }
    }

    @Test
    void m0HexMatchesItsBase64() {
      assertThat(HEX.formatHex(b64(Vectors.M0))).isEqualTo(Vectors.M0_HEX);
      assertThat(b64(Vectors.M0)).hasSize(119);
    }

    @Test
    void unknownAlgorithmFails() {
      byte[] bad = respell(b64(Vectors.M0), 17, "AES-256-GCM");
      assertThatThrownBy(() -> zeroKey(KeyAlgorithm.AES256).open(bad, null))
          .isExactlyInstanceOf(DecryptionException.class);
    }

    @Test
    void trailingByteFails() {
      byte[] m0 = b64(Vectors.M0);
      byte[] longer = Arrays.copyOf(m0, m0.length + 1);
      assertThatThrownBy(() -> zeroKey(KeyAlgorithm.AES256).open(longer, null))
          .isExactlyInstanceOf(DecryptionException.class);
    }
  }

  @Nested
  class BinaryCiphertexts {
    @Test
    void b0OpensUnderAesKey() {
      assertThat(b64(Vectors.B0)).hasSize(60);
      assertThat(zeroKey(KeyAlgorithm.AES256).open(b64(Vectors.B0), null)).isEqualTo(SIXTEEN_ZEROS);
    }

    @Test
    void b0UsesTheKeysOwnAlgorithm() {
      assertThatThrownBy(() -> zeroKey(KeyAlgorithm.CHACHA20).open(b64(Vectors.B0), null))
          .isExactlyInstanceOf(DecryptionException.class);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void shorterThanOverheadFails(KeyAlgorithm algorithm) {
      for (int n = 0; n < 44; n++) {
        byte[] ct = new byte[n];
        assertThatThrownBy(() -> zeroKey(algorithm).open(ct, null))
            .isExactlyInstanceOf(DecryptionException.class);
      }
    }

    /** ~2/256 binary ciphertexts start like a container: the structured parse must fall back. */
    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void firstByteLikeAContainerFallsBackToBinary(KeyAlgorithm algorithm) {
      MasterKey key = MasterKey.generate(algorithm);
      byte[] plaintext = utf8("data key");
      for (int want : new int[] {0x95, 0x7b}) {
        byte[] ct;
        do {
          ct = key.seal(plaintext, null, CiphertextFormat.BINARY);
        } while ((ct[0] & 0xff) != want);
        assertThat(key.open(ct, null)).isEqualTo(plaintext);
      }
    }
  }

  @Nested
  class Sealing {
    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void binaryIsPlaintextPlus44(KeyAlgorithm algorithm) {
      MasterKey key = MasterKey.generate(algorithm);
      for (int n : new int[] {0, 1, 16, 32, 1000}) {
        assertThat(key.seal(new byte[n], null, CiphertextFormat.BINARY)).hasSize(n + 44);
      }
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void jsonHasGoFieldOrderAndKeyId(KeyAlgorithm algorithm) {
      MasterKey key = zeroKey(algorithm);
      String json =
          new String(key.seal(SIXTEEN_ZEROS, null, CiphertextFormat.JSON), StandardCharsets.UTF_8);
      String aead =
          algorithm == KeyAlgorithm.AES256 ? "AES-256-GCM-HMAC-SHA-256" : "ChaCha20Poly1305";
      assertThat(json)
          .matches(
              "\\{\"aead\":\""
                  + aead
                  + "\",\"id\":\""
                  + ZERO_KEY_ID
                  + "\",\"iv\":\"[A-Za-z0-9+/]{22}==\",\"nonce\":\"[A-Za-z0-9+/]{16}\","
                  + "\"bytes\":\"[A-Za-z0-9+/]{43}=\"}");
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void msgpackHasV019Layout(KeyAlgorithm algorithm) {
      MasterKey key = zeroKey(algorithm);
      byte[] ct = key.seal(SIXTEEN_ZEROS, null, CiphertextFormat.MSGPACK);
      String alg = algorithm == KeyAlgorithm.AES256 ? "AES256-GCM_SHA256" : "XCHACHA20-POLY1305";
      String prefix =
          "95"
              + HEX.formatHex(new byte[] {(byte) (0xa0 | alg.length())})
              + HEX.formatHex(alg.getBytes(StandardCharsets.US_ASCII))
              + "d920"
              + HEX.formatHex(ZERO_KEY_ID.getBytes(StandardCharsets.US_ASCII))
              + "c410";
      assertThat(HEX.formatHex(ct)).startsWith(prefix);
      // same shape and size as M0 / M1
      assertThat(ct).hasSize(algorithm == KeyAlgorithm.AES256 ? 119 : 120);
    }

    @Test
    void msgpackUsesBin16ForLongPayloads() {
      MasterKey key = MasterKey.generate(KeyAlgorithm.AES256);
      byte[] plaintext = new byte[300];
      byte[] ct = key.seal(plaintext, null, CiphertextFormat.MSGPACK);
      assertThat(ct[ct.length - 316 - 3] & 0xff).isEqualTo(0xc5);
      assertThat(key.open(ct, null)).isEqualTo(plaintext);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void nullAndEmptyContextAreTheSame(KeyAlgorithm algorithm) {
      MasterKey key = MasterKey.generate(algorithm);
      byte[] ct = key.seal(utf8("x"), null, CiphertextFormat.BINARY);
      assertThat(key.open(ct, new byte[0])).isEqualTo(utf8("x"));
      byte[] ct2 = key.seal(utf8("x"), new byte[0], CiphertextFormat.JSON);
      assertThat(key.open(ct2, null)).isEqualTo(utf8("x"));
    }

    /** PERF-NOTES finding 4: opening one ChaCha20 ciphertext twice on one thread must work. */
    @ParameterizedTest
    @EnumSource(CiphertextFormat.class)
    void opensTheSameCiphertextRepeatedly(CiphertextFormat format) {
      for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
        MasterKey key = MasterKey.generate(algorithm);
        byte[] ct = key.seal(utf8("again"), utf8("ctx"), format);
        for (int i = 0; i < 3; i++) {
          assertThat(key.open(ct, utf8("ctx"))).isEqualTo(utf8("again"));
        }
        byte[] tampered = ct.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> key.open(tampered, utf8("ctx")))
            .isExactlyInstanceOf(DecryptionException.class);
        assertThat(key.open(ct, utf8("ctx"))).isEqualTo(utf8("again"));
      }
    }

    @Test
    void sealsConcurrently() throws Exception {
      MasterKey aes = MasterKey.generate(KeyAlgorithm.AES256);
      MasterKey chacha = MasterKey.generate(KeyAlgorithm.CHACHA20);
      Thread[] threads = new Thread[4];
      Throwable[] failure = new Throwable[1];
      for (int t = 0; t < threads.length; t++) {
        threads[t] =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < 500; i++) {
                      for (MasterKey k : new MasterKey[] {aes, chacha}) {
                        byte[] p = utf8("p" + i);
                        byte[] c = k.seal(p, utf8("c"), CiphertextFormat.values()[i % 3]);
                        assertThat(k.open(c, utf8("c"))).isEqualTo(p);
                      }
                    }
                  } catch (Throwable e) {
                    synchronized (failure) {
                      failure[0] = e;
                    }
                  }
                });
        threads[t].start();
      }
      for (Thread t : threads) {
        t.join();
      }
      assertThat(failure[0]).isNull();
    }
  }

  @Nested
  class Keys {
    @Test
    void zeroKeyId() {
      assertThat(zeroKey(KeyAlgorithm.AES256).id()).isEqualTo(ZERO_KEY_ID);
      assertThat(zeroKey(KeyAlgorithm.CHACHA20).id()).isEqualTo(ZERO_KEY_ID);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void generatedKeysDiffer(KeyAlgorithm algorithm) {
      MasterKey a = MasterKey.generate(algorithm);
      MasterKey b = MasterKey.generate(algorithm);
      assertThat(a.algorithm()).isEqualTo(algorithm);
      assertThat(a.id()).hasSize(32).matches("[0-9a-f]{32}").isNotEqualTo(b.id());
      assertThat(a.sameKeyAs(b)).isFalse();
      assertThat(a.sameKeyAs(MasterKey.of(algorithm, a.encoded()))).isTrue();
    }

    @Test
    void rejectsWrongLength() {
      for (int n : new int[] {0, 16, 31, 33, 64}) {
        assertThatThrownBy(() -> MasterKey.of(KeyAlgorithm.AES256, new byte[n]))
            .isInstanceOf(IllegalArgumentException.class);
      }
    }

    @Test
    void copiesInput() {
      byte[] bytes = new byte[32];
      MasterKey key = MasterKey.of(KeyAlgorithm.AES256, bytes);
      bytes[0] = 1;
      assertThat(key.id()).isEqualTo(ZERO_KEY_ID);
    }

    @Test
    void toStringNeverShowsKeyBytes() {
      byte[] bytes = new byte[32];
      Arrays.fill(bytes, (byte) 0xab);
      MasterKey key = MasterKey.of(KeyAlgorithm.CHACHA20, bytes);
      String s = key.toString();
      assertThat(s).contains("<redacted>").contains("CHACHA20").contains(key.id());
      assertThat(s.toLowerCase()).doesNotContain("abab");
      assertThat(s).doesNotContain(Base64.getEncoder().encodeToString(bytes).substring(0, 8));
    }

    @Test
    void destroyZeroesAndDisables() {
      MasterKey key = MasterKey.generate(KeyAlgorithm.AES256);
      byte[] ct = key.seal(utf8("x"), null, CiphertextFormat.BINARY);
      key.destroy();
      key.destroy();
      assertThat(key.isDestroyed()).isTrue();
      assertThatThrownBy(() -> key.open(ct, null)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> key.seal(ct, null, CiphertextFormat.JSON))
          .isInstanceOf(IllegalStateException.class);
      assertThat(key.toString()).contains("<redacted>");
    }
  }
}
