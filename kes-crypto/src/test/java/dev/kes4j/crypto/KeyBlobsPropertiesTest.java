package dev.kes4j.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Every format round-trips; parsing never throws anything but InvalidKeyBlobException. */
class KeyBlobsPropertiesTest {

  @Provide
  Arbitrary<byte[]> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32);
  }

  @Provide
  Arbitrary<Instant> times() {
    Arbitrary<Instant> any =
        Arbitraries.longs()
            .between(
                Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("9999-12-31T23:59:59Z").getEpochSecond())
            .flatMap(
                s ->
                    Arbitraries.integers()
                        .between(0, 999_999_999)
                        .map(n -> Instant.ofEpochSecond(s, n)));
    return Arbitraries.oneOf(any, Arbitraries.of(KeyInfo.UNKNOWN_TIME, Instant.EPOCH));
  }

  @Provide
  Arbitrary<String> creators() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(70),
        Arbitraries.strings().withCharRange('0', '9').withCharRange('a', 'f').ofLength(64),
        Arbitraries.just(""));
  }

  @Property(tries = 300)
  void roundTrips(
      @ForAll("keys") byte[] key,
      @ForAll("keys") byte[] hmacKey,
      @ForAll KeyAlgorithm algorithm,
      @ForAll KeyBlobFormat format,
      @ForAll("times") Instant createdAt,
      @ForAll("creators") String createdBy) {
    // strings() may produce lone surrogates, which no encoder can write as UTF-8
    String creator = new String(createdBy.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    KeyVersion k = KeyVersion.of(MasterKey.of(algorithm, key), hmacKey, createdAt, creator);
    KeyVersion back = KeyBlobs.parse(KeyBlobs.encode(k, format));
    assertThat(back.masterKey().sameKeyAs(k.masterKey())).isTrue();
    assertThat(back.createdAt()).isEqualTo(createdAt);
    assertThat(back.createdBy()).isEqualTo(creator);
    if (format == KeyBlobFormat.PROTOBUF) {
      assertThat(back.hmacKey()).isEqualTo(hmacKey);
    } else {
      assertThat(back.hasHmac()).isFalse();
    }
  }

  @Property(tries = 300)
  void parseOfArbitraryBytesOnlyThrowsInvalidKeyBlob(@ForAll("junk") byte[] junk) {
    try {
      KeyVersion k = KeyBlobs.parse(junk);
      assertThat(k.masterKey()).isNotNull();
    } catch (InvalidKeyBlobException expected) {
      assertThat(expected).hasMessage(InvalidKeyBlobException.MESSAGE).hasNoCause();
    }
  }

  /** Single-bit corruption of valid blobs of every format: parses or InvalidKeyBlobException. */
  @Property(tries = 300)
  void parseOfCorruptedBlobOnlyThrowsInvalidKeyBlob(
      @ForAll("keys") byte[] key,
      @ForAll KeyAlgorithm algorithm,
      @ForAll KeyBlobFormat format,
      @ForAll("times") Instant createdAt,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
      @ForAll @IntRange(min = 0, max = 7) int bit) {
    KeyVersion k = KeyVersion.of(MasterKey.of(algorithm, key), key, createdAt, "x");
    byte[] blob = KeyBlobs.encode(k, format);
    blob[where % blob.length] ^= (byte) (1 << bit);
    try {
      KeyBlobs.parse(blob);
    } catch (InvalidKeyBlobException expected) {
      assertThat(expected).hasNoCause();
    }
  }

  @Provide
  Arbitrary<byte[]> junk() {
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    Arbitrary<byte[]> base64OfRaw = raw.map(b -> Base64.getEncoder().encode(b));
    Arbitrary<byte[]> jsonish =
        Arbitraries.strings()
            .withChars("{}[]\":,\\bytesalgorithmcreated_at AB=+/0123456789-TZ.nul")
            .ofMaxLength(200)
            .map(s -> ("{" + s).getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> protobufish =
        Arbitraries.integers()
            .between(0, 255)
            .list()
            .ofMaxSize(120)
            .map(
                l -> {
                  byte[] b = new byte[l.size() + 2];
                  b[0] = 0x0a; // field 1, length-delimited
                  b[1] = (byte) Math.min(l.size(), 127);
                  for (int i = 0; i < l.size(); i++) {
                    b[i + 2] = l.get(i).byteValue();
                  }
                  return Base64.getEncoder().encode(b);
                });
    return Arbitraries.oneOf(raw, base64OfRaw, jsonish, protobufish);
  }
}
