package dev.kes4j.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.CiphertextFormat;
import dev.kes4j.api.DecryptionException;
import dev.kes4j.api.KeyAlgorithm;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Round trips and tampering for every algorithm and container. */
class MasterKeyPropertiesTest {

  @Provide
  Arbitrary<byte[]> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32);
  }

  @Provide
  Arbitrary<byte[]> data() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300);
  }

  @Property(tries = 300)
  void roundTrips(
      @ForAll("keys") byte[] keyBytes,
      @ForAll KeyAlgorithm algorithm,
      @ForAll CiphertextFormat format,
      @ForAll("data") byte[] plaintext,
      @ForAll("data") byte[] context) {
    MasterKey key = MasterKey.of(algorithm, keyBytes);
    byte[] ct = key.seal(plaintext, context, format);
    assertThat(key.open(ct, context)).isEqualTo(plaintext);
    // a fresh object from the same bytes opens it too
    assertThat(MasterKey.of(algorithm, keyBytes).open(ct, context)).isEqualTo(plaintext);
  }

  /**
   * A flipped bit either fails or, where it only touches what KES ignores (a JSON field name's
   * case, a msgpack key id, unused base64 bits), yields the same plaintext; never other data.
   * Binary ciphertexts always fail, and so does any flip in the sealed bytes of every container.
   */
  @Property(tries = 300)
  void flippedBitFails(
      @ForAll KeyAlgorithm algorithm,
      @ForAll CiphertextFormat format,
      @ForAll("data") byte[] plaintext,
      @ForAll("data") byte[] context,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
      @ForAll @IntRange(min = 0, max = 7) int bit) {
    MasterKey key = MasterKey.generate(algorithm);
    byte[] ct = key.seal(plaintext, context, format);
    int index = where % ct.length;
    byte[] tampered = ct.clone();
    tampered[index] ^= (byte) (1 << bit);
    boolean mustFail =
        format == CiphertextFormat.BINARY
            || (format == CiphertextFormat.MSGPACK && index >= ct.length - plaintext.length - 16);
    try {
      byte[] opened = key.open(tampered, context);
      assertThat(mustFail).as("tampered ciphertext opened").isFalse();
      assertThat(opened).isEqualTo(plaintext);
    } catch (DecryptionException expected) {
      // fine
    }
  }

  @Property(tries = 200)
  void truncationFails(
      @ForAll KeyAlgorithm algorithm,
      @ForAll CiphertextFormat format,
      @ForAll("data") byte[] plaintext,
      @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int cut) {
    MasterKey key = MasterKey.generate(algorithm);
    byte[] ct = key.seal(plaintext, null, format);
    byte[] shorter = Arrays.copyOf(ct, ct.length - 1 - (cut - 1) % ct.length);
    assertThatThrownBy(() -> key.open(shorter, null))
        .isExactlyInstanceOf(DecryptionException.class);
  }

  @Property(tries = 200)
  void extensionFails(
      @ForAll KeyAlgorithm algorithm,
      @ForAll("binaryOrMsgpack") CiphertextFormat format,
      @ForAll("data") byte[] plaintext,
      @ForAll("extra") byte[] extra) {
    MasterKey key = MasterKey.generate(algorithm);
    byte[] ct = key.seal(plaintext, null, format);
    byte[] longer = Arrays.copyOf(ct, ct.length + extra.length);
    System.arraycopy(extra, 0, longer, ct.length, extra.length);
    assertThatThrownBy(() -> key.open(longer, null)).isExactlyInstanceOf(DecryptionException.class);
  }

  @Provide
  Arbitrary<CiphertextFormat> binaryOrMsgpack() {
    return Arbitraries.of(CiphertextFormat.BINARY, CiphertextFormat.MSGPACK);
  }

  @Provide
  Arbitrary<byte[]> extra() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 200)
  void wrongContextFails(
      @ForAll KeyAlgorithm algorithm,
      @ForAll CiphertextFormat format,
      @ForAll("data") byte[] plaintext,
      @ForAll("data") byte[] context,
      @ForAll("data") byte[] other) {
    if (Arrays.equals(context, other)) {
      return;
    }
    MasterKey key = MasterKey.generate(algorithm);
    byte[] ct = key.seal(plaintext, context, format);
    assertThatThrownBy(() -> key.open(ct, other)).isExactlyInstanceOf(DecryptionException.class);
  }

  @Property(tries = 200)
  void wrongKeyFails(
      @ForAll KeyAlgorithm algorithm,
      @ForAll CiphertextFormat format,
      @ForAll("data") byte[] plaintext) {
    byte[] ct = MasterKey.generate(algorithm).seal(plaintext, null, format);
    MasterKey other = MasterKey.generate(algorithm);
    assertThatThrownBy(() -> other.open(ct, null)).isExactlyInstanceOf(DecryptionException.class);
  }

  /** Arbitrary bytes, and bytes that start like each container: only DecryptionException. */
  @Property(tries = 300)
  void openOfArbitraryBytesOnlyThrowsDecryptionException(
      @ForAll KeyAlgorithm algorithm, @ForAll("junk") byte[] junk) {
    MasterKey key = MasterKey.of(algorithm, new byte[32]);
    assertThatThrownBy(() -> key.open(junk, null)).isExactlyInstanceOf(DecryptionException.class);
  }

  @Provide
  Arbitrary<byte[]> junk() {
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    Arbitrary<byte[]> msgpackish =
        raw.map(
            b -> {
              byte[] out = Arrays.copyOf(new byte[] {(byte) 0x95}, b.length + 1);
              System.arraycopy(b, 0, out, 1, b.length);
              return out;
            });
    Arbitrary<byte[]> jsonish =
        Arbitraries.strings()
            .withChars("{}[]\":,aeadivnoncebytsAB=+/0123456789 tfl")
            .ofMaxLength(200)
            .map(s -> ("{" + s).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return Arbitraries.oneOf(raw, msgpackish, jsonish);
  }
}
