package dev.kes4j.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the DARE 2.0 layer: round trips, ranges, and every kind of damage failing. */
class DarePropertiesTest {
  static final int P = Dare.PACKAGE_SIZE;
  static final int PKG = P + Dare.PACKAGE_OVERHEAD;

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.oneOf(
        Arbitraries.of(1, 2, P - 1, P, P + 1, 2 * P - 1, 2 * P, 2 * P + 1, 3 * P + 17),
        Arbitraries.integers().between(1, 4 * P + 100));
  }

  @Property(tries = 60)
  void roundTripsAnySizeWrittenInAnyChunks(
      @ForAll("sizes") int size,
      @ForAll @IntRange(min = 1, max = 3 * P) int chunk,
      @ForAll CipherSuite suite,
      @ForAll long seed)
      throws IOException {
    byte[] key = bytes(32, seed);
    byte[] plain = bytes(size, seed + 1);
    byte[] ct = encrypt(plain, key, suite, chunk);
    assertThat(ct).hasSize((int) Dare.ciphertextSize(size));
    assertThat(Dare.plaintextSize(ct.length)).isEqualTo(size);
    assertThat(decrypt(ct, key)).isEqualTo(plain);
    // read buffers of a whole package or more are decrypted into directly
    assertThat(decrypt(ct, key, chunk)).isEqualTo(plain);
  }

  @Property(tries = 40)
  void aBitFlipLeavesNoPlaintextInTheCallersBuffer(
      @ForAll @IntRange(min = P + 1, max = 3 * P) int size,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
      @ForAll long seed)
      throws IOException {
    byte[] key = bytes(32, seed);
    byte[] ct = encrypt(bytes(size, seed + 1), key, CipherSuite.AES_256_GCM, P);
    int bit = where % (8 * ct.length);
    ct[bit / 8] ^= (byte) (1 << (bit % 8));
    byte[] buffer = new byte[P + 7];
    try (InputStream in = Dare.decrypt(new ByteArrayInputStream(ct), key)) {
      while (true) {
        Arrays.fill(buffer, (byte) 0x5a);
        int n;
        try {
          n = in.read(buffer, 3, P + 4);
        } catch (ObjectAuthenticationException e) {
          assertThat(Arrays.copyOfRange(buffer, 3, 3 + P)).isEqualTo(new byte[P]);
          assertThat(buffer[0]).isEqualTo((byte) 0x5a); // outside the region: untouched
          return;
        }
        assertThat(n).as("a flipped bit went unnoticed").isPositive();
      }
    }
  }

  @Property(tries = 60)
  void everyRangeIsThePlaintextSlice(
      @ForAll("sizes") int size,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int a,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int b,
      @ForAll CipherSuite suite,
      @ForAll long seed)
      throws IOException {
    byte[] key = bytes(32, seed);
    byte[] plain = bytes(size, seed + 1);
    byte[] ct = encrypt(plain, key, suite, P);
    int offset = a % (size + 1);
    int length = b % (size - offset + 1);
    long[] opened = {-1};
    CiphertextSource source =
        at -> {
          opened[0] = at;
          return CiphertextSource.of(ct).openAt(at);
        };
    try (InputStream in = Dare.decryptRange(source, key, offset, length)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(plain, offset, offset + length));
    }
    if (length > 0) {
      assertThat(opened[0]).isEqualTo((long) (offset / P) * PKG);
    }
  }

  @Property(tries = 20)
  void aRangePastTheEndFails(@ForAll("sizes") int size, @ForAll long seed) throws IOException {
    byte[] key = bytes(32, seed);
    byte[] ct = encrypt(bytes(size, seed), key, CipherSuite.AES_256_GCM, P);
    assertThatThrownBy(
            () ->
                Dare.decryptRange(CiphertextSource.of(ct), key, size / 2, size - size / 2 + 1)
                    .readAllBytes())
        .isInstanceOf(ObjectAuthenticationException.class);
  }

  @Property(tries = 25)
  void everySingleBitFlipFails(
      @ForAll @IntRange(min = 1, max = 40) int size, @ForAll CipherSuite suite, @ForAll long seed)
      throws IOException {
    byte[] key = bytes(32, seed);
    byte[] ct = encrypt(bytes(size, seed + 1), key, suite, P);
    for (int bit = 0; bit < 8 * ct.length; bit++) {
      byte[] bad = ct.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFails(bad, key);
    }
  }

  @Property(tries = 40)
  void aBitFlipAnywhereInALongStreamFails(
      @ForAll @IntRange(min = P + 1, max = 3 * P) int size,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
      @ForAll long seed)
      throws IOException {
    byte[] key = bytes(32, seed);
    byte[] ct = encrypt(bytes(size, seed + 1), key, CipherSuite.AES_256_GCM, P);
    int bit = where % (8 * ct.length);
    ct[bit / 8] ^= (byte) (1 << (bit % 8));
    assertFails(ct, key);
  }

  @Property(tries = 20)
  void truncationAtEveryPackageBoundaryAndAnywhereFails(
      @ForAll @IntRange(min = 1, max = 4) int fullPackages,
      @ForAll @IntRange(min = 0, max = P) int tail,
      @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int cut,
      @ForAll long seed)
      throws IOException {
    int size = fullPackages * P + tail;
    byte[] key = bytes(32, seed);
    byte[] ct = encrypt(bytes(size, seed + 1), key, CipherSuite.AES_256_GCM, P);
    int packages = fullPackages + (tail > 0 ? 1 : 0);
    for (int j = 0; j < packages; j++) {
      assertFails(Arrays.copyOf(ct, j * PKG), key);
    }
    assertFails(Arrays.copyOf(ct, cut % ct.length), key);
  }

  @Property(tries = 20)
  void reorderedDuplicatedOrDroppedPackagesFail(
      @ForAll @IntRange(min = 2, max = 4) int fullPackages,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int i,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int j,
      @ForAll long seed)
      throws IOException {
    byte[] key = bytes(32, seed);
    byte[] ct = encrypt(bytes(fullPackages * P, seed + 1), key, CipherSuite.AES_256_GCM, P);
    int a = i % fullPackages;
    int b = j % fullPackages;
    Assume.that(a != b);
    byte[] swapped = ct.clone();
    System.arraycopy(ct, a * PKG, swapped, b * PKG, PKG);
    System.arraycopy(ct, b * PKG, swapped, a * PKG, PKG);
    assertFails(swapped, key);
    byte[] duplicated = ct.clone();
    System.arraycopy(ct, a * PKG, duplicated, b * PKG, PKG);
    assertFails(duplicated, key);
    byte[] dropped = new byte[ct.length - PKG];
    System.arraycopy(ct, 0, dropped, 0, a * PKG);
    System.arraycopy(ct, (a + 1) * PKG, dropped, a * PKG, ct.length - (a + 1) * PKG);
    assertFails(dropped, key);
  }

  @Property(tries = 20)
  void dataAfterTheFinalPackageFails(
      @ForAll("sizes") int size, @ForAll @IntRange(min = 1, max = 100) int extra, @ForAll long seed)
      throws IOException {
    byte[] key = bytes(32, seed);
    byte[] ct = encrypt(bytes(size, seed + 1), key, CipherSuite.CHACHA20_POLY1305, P);
    byte[] longer = Arrays.copyOf(ct, ct.length + extra);
    assertFails(longer, key);
    // also a whole second stream under the same key appended
    byte[] twice = Arrays.copyOf(ct, 2 * ct.length);
    System.arraycopy(ct, 0, twice, ct.length, ct.length);
    assertFails(twice, key);
  }

  @Property(tries = 20)
  void aPackageFromAnotherStreamUnderTheSameKeyFails(
      @ForAll @IntRange(min = 1, max = 3) int fullPackages, @ForAll long seed) throws IOException {
    byte[] key = bytes(32, seed);
    byte[] plain = bytes(fullPackages * P + 5, seed + 1);
    byte[] one = encrypt(plain, key, CipherSuite.AES_256_GCM, P);
    byte[] two = encrypt(plain, key, CipherSuite.AES_256_GCM, P); // other random nonce
    byte[] mixed = one.clone();
    System.arraycopy(
        two, fullPackages * PKG, mixed, fullPackages * PKG, one.length - fullPackages * PKG);
    assertFails(mixed, key);
  }

  @Property(tries = 20)
  void theWrongKeyFails(@ForAll("sizes") int size, @ForAll long seed) throws IOException {
    byte[] ct = encrypt(bytes(size, seed + 1), bytes(32, seed), CipherSuite.AES_256_GCM, P);
    assertFails(ct, bytes(32, seed + 2));
  }

  static void assertFails(byte[] ct, byte[] key) {
    assertThatThrownBy(() -> decrypt(ct, key)).isInstanceOf(ObjectAuthenticationException.class);
  }

  static byte[] encrypt(byte[] plain, byte[] key, CipherSuite suite, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream enc = Dare.encrypt(out, key, suite)) {
      for (int off = 0; off < plain.length; off += chunk) {
        enc.write(plain, off, Math.min(chunk, plain.length - off));
      }
    }
    return out.toByteArray();
  }

  static byte[] decrypt(byte[] ct, byte[] key) throws IOException {
    try (InputStream in = Dare.decrypt(new ByteArrayInputStream(ct), key)) {
      return in.readAllBytes();
    }
  }

  static byte[] decrypt(byte[] ct, byte[] key, int readSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[readSize];
    try (InputStream in = Dare.decrypt(new ByteArrayInputStream(ct), key)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    }
    return out.toByteArray();
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
