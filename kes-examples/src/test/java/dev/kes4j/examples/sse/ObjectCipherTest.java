package dev.kes4j.examples.sse;

import static dev.kes4j.examples.sse.ObjectCipher.CHUNK_SIZE;
import static dev.kes4j.examples.sse.ObjectCipher.HEADER_SIZE;
import static dev.kes4j.examples.sse.ObjectCipher.TAG_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.examples.sse.ObjectAuthenticationException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectCipherTest {
  private static final int SEALED = CHUNK_SIZE + TAG_SIZE;
  private static final byte[] KEY = bytes(32, 7);

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] seal(byte[] plaintext, byte[] key) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream enc = ObjectCipher.encrypt(out, key)) {
      // odd write sizes, so chunk boundaries fall inside writes
      for (int off = 0; off < plaintext.length; off += 10_007) {
        enc.write(plaintext, off, Math.min(10_007, plaintext.length - off));
      }
    }
    return out.toByteArray();
  }

  static byte[] open(byte[] ciphertext, byte[] key) throws IOException {
    try (InputStream in = ObjectCipher.decrypt(new ByteArrayInputStream(ciphertext), key)) {
      return in.readAllBytes();
    }
  }

  /** Reads until the stream fails, returning what it delivered before; fails if it never does. */
  static int deliveredBeforeFailure(byte[] ciphertext, Reason reason) throws IOException {
    int delivered = 0;
    try (InputStream in = ObjectCipher.decrypt(new ByteArrayInputStream(ciphertext), KEY)) {
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          delivered += n;
        }
      } catch (ObjectAuthenticationException e) {
        assertThat(e.reason()).isEqualTo(reason);
        // the failure sticks
        assertThatThrownBy(() -> in.read(buf)).isSameAs(e);
        return delivered;
      }
    }
    throw new AssertionError("the stream delivered " + delivered + " bytes without failing");
  }

  @Nested
  class RoundTrip {
    @ParameterizedTest
    @ValueSource(
        ints = {
          0,
          1,
          CHUNK_SIZE - 1,
          CHUNK_SIZE,
          CHUNK_SIZE + 1,
          2 * CHUNK_SIZE,
          3 * CHUNK_SIZE + 17,
          5 << 20
        })
    void decryptsWhatItEncryptedWithTheDocumentedSize(int size) throws IOException {
      byte[] plaintext = bytes(size, size);
      byte[] sealed = seal(plaintext, KEY);
      assertThat((long) sealed.length).isEqualTo(ObjectCipher.ciphertextSize(size));
      assertThat(open(sealed, KEY)).isEqualTo(plaintext);
    }

    @Test
    void sizesFollowTheFormat() {
      assertThat(ObjectCipher.ciphertextSize(0)).isEqualTo(HEADER_SIZE + TAG_SIZE);
      assertThat(ObjectCipher.ciphertextSize(CHUNK_SIZE)).isEqualTo(HEADER_SIZE + SEALED);
      assertThat(ObjectCipher.ciphertextSize(CHUNK_SIZE + 1))
          .isEqualTo(HEADER_SIZE + SEALED + 1 + TAG_SIZE);
    }

    @Test
    void twoEncryptionsOfTheSameDataDiffer() throws IOException {
      byte[] plaintext = bytes(1000, 1);
      assertThat(seal(plaintext, KEY)).isNotEqualTo(seal(plaintext, KEY)); // random base nonce
    }
  }

  @Nested
  class Tampering {
    final byte[] plaintext = bytes(3 * CHUNK_SIZE + 100, 99); // chunks 0, 1, 2 full; 3 short

    static Stream<Arguments> flips() {
      return Stream.of(
          Arguments.of("first data byte", HEADER_SIZE, 0),
          Arguments.of("tag of chunk 0", HEADER_SIZE + SEALED - 1, 0),
          Arguments.of("middle of chunk 1", HEADER_SIZE + SEALED + 500, CHUNK_SIZE),
          Arguments.of("last byte (final tag)", -1, 3 * CHUNK_SIZE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flips")
    void aFlippedBitFailsItsChunkAndNothingOfThatChunkIsDelivered(
        String where, int offset, int deliveredBefore) throws IOException {
      byte[] sealed = seal(plaintext, KEY);
      int at = offset < 0 ? sealed.length + offset : offset;
      sealed[at] ^= 0x01;
      assertThat(deliveredBeforeFailure(sealed, Reason.TAMPERED)).isEqualTo(deliveredBefore);
    }

    @Test
    void swappedChunksFailAtTheFirstOneAndDeliverNothing() throws IOException {
      byte[] sealed = seal(plaintext, KEY);
      byte[] swapped = sealed.clone();
      System.arraycopy(sealed, HEADER_SIZE + SEALED, swapped, HEADER_SIZE, SEALED);
      System.arraycopy(sealed, HEADER_SIZE, swapped, HEADER_SIZE + SEALED, SEALED);
      assertThat(deliveredBeforeFailure(swapped, Reason.TAMPERED)).isZero();
    }

    @Test
    void truncationAtAChunkBoundaryIsCaughtByTheFinalFlag() throws IOException {
      byte[] sealed = seal(plaintext, KEY);
      byte[] cut = Arrays.copyOf(sealed, HEADER_SIZE + 2 * SEALED); // chunks 0 and 1 only
      // chunk 0 is delivered; chunk 1 was not sealed as final, so the stream fails before it
      assertThat(deliveredBeforeFailure(cut, Reason.TRUNCATED)).isEqualTo(CHUNK_SIZE);
    }

    @Test
    void truncationInsideAChunkFails() throws IOException {
      byte[] sealed = seal(plaintext, KEY);
      assertThat(deliveredBeforeFailure(Arrays.copyOf(sealed, sealed.length - 1), Reason.TAMPERED))
          .isEqualTo(3 * CHUNK_SIZE);
      assertThat(deliveredBeforeFailure(Arrays.copyOf(sealed, HEADER_SIZE + 5), Reason.TRUNCATED))
          .isZero();
      assertThat(deliveredBeforeFailure(Arrays.copyOf(sealed, HEADER_SIZE), Reason.TRUNCATED))
          .isZero();
    }

    @Test
    void dataAppendedAfterTheFinalChunkFails() throws IOException {
      byte[] exact = seal(bytes(2 * CHUNK_SIZE, 5), KEY); // final chunk is a full chunk
      byte[] longer = Arrays.copyOf(exact, exact.length + 1);
      assertThat(deliveredBeforeFailure(longer, Reason.EXTENDED)).isEqualTo(CHUNK_SIZE);
    }

    @Test
    void anotherObjectsChunkDoesNotFit() throws IOException {
      byte[] a = seal(plaintext, KEY);
      byte[] b = seal(plaintext, KEY); // same key and data, other base nonce
      System.arraycopy(b, HEADER_SIZE + SEALED, a, HEADER_SIZE + SEALED, SEALED);
      assertThat(deliveredBeforeFailure(a, Reason.TAMPERED)).isEqualTo(CHUNK_SIZE);
    }

    @Test
    void aWrongKeyFailsTheFirstChunk() throws IOException {
      byte[] sealed = seal(plaintext, KEY);
      assertThatThrownBy(() -> open(sealed, bytes(32, 8)))
          .isInstanceOf(ObjectAuthenticationException.class)
          .hasMessageContaining("chunk 0 is not authentic");
    }

    @Test
    void aModifiedOrMissingHeaderFailsAtOnce() throws IOException {
      byte[] sealed = seal(plaintext, KEY);
      byte[] badMagic = sealed.clone();
      badMagic[0] = 'X';
      assertThatThrownBy(() -> ObjectCipher.decrypt(new ByteArrayInputStream(badMagic), KEY))
          .isInstanceOf(ObjectAuthenticationException.class)
          .satisfies(
              e ->
                  assertThat(((ObjectAuthenticationException) e).reason())
                      .isEqualTo(Reason.MALFORMED));
      assertThatThrownBy(() -> ObjectCipher.decrypt(new ByteArrayInputStream(new byte[3]), KEY))
          .isInstanceOf(ObjectAuthenticationException.class);
      byte[] badNonce = sealed.clone();
      badNonce[HEADER_SIZE - 1] ^= 1; // the base nonce is part of the header
      assertThat(deliveredBeforeFailure(badNonce, Reason.TAMPERED)).isZero();
    }
  }

  // jqwik runs properties only in top-level classes (or @Group), not in JUnit @Nested classes
  @Property(tries = 100)
  void anySizeAroundChunkBoundariesRoundTrips(@ForAll @IntRange(min = 0, max = 200_000) int size)
      throws IOException {
    byte[] plaintext = bytes(size, size * 31L);
    assertThat(open(seal(plaintext, KEY), KEY)).isEqualTo(plaintext);
  }

  @Property(tries = 200)
  void anyFlippedBitAnywhereIsDetected(
      @ForAll @IntRange(min = 0, max = 150_000) int size,
      @ForAll @IntRange(min = 0) int where,
      @ForAll @IntRange(min = 0, max = 7) int bit)
      throws IOException {
    byte[] sealed = seal(bytes(size, size), KEY);
    sealed[where % sealed.length] ^= (byte) (1 << bit);
    assertThatThrownBy(() -> open(sealed, KEY)).isInstanceOf(ObjectAuthenticationException.class);
  }

  @Property(tries = 200)
  void anyTruncationIsDetected(
      @ForAll @IntRange(min = 0, max = 150_000) int size, @ForAll @IntRange(min = 0) int cut)
      throws IOException {
    byte[] sealed = seal(bytes(size, size), KEY);
    byte[] prefix = Arrays.copyOf(sealed, cut % sealed.length);
    assertThatThrownBy(() -> open(prefix, KEY)).isInstanceOf(ObjectAuthenticationException.class);
  }

  @Test
  void rejectsKeysThatAreNotAes256() {
    assertThatThrownBy(() -> ObjectCipher.encrypt(new ByteArrayOutputStream(), new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
