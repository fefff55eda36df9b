package dev.kes4j.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.sse.ObjectAuthenticationException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known answers for the DARE 2.0 layer. The vectors are data files next to this test: {@code
 * sio-packages.txt} holds minio/sio's own golden and invalid DARE 2.0 packages (from its {@code
 * dare_test.go}); {@code sio-streams.txt} holds whole streams that sio's {@code sio.Encrypt} wrote
 * for fixed keys, nonces and plaintexts (and {@code sio.Decrypt} read back), in both cipher suites
 * and at the package boundaries. Matching them byte for byte shows that sio reads what we write and
 * we read what sio writes.
 */
class DareTest {
  static final HexFormat HEX = HexFormat.of();
  static final byte[] SIO_KEY =
      HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  static final byte[] SIO_RANDOM = HEX.parseHex("000102030405060708090a0b");

  @Nested
  class SioPackageVectors {
    static Stream<Arguments> golden() {
      List<String> rows =
          lines("sio-packages.txt").stream().filter(l -> l.startsWith("golden ")).toList();
      return Stream.iterate(0, i -> i < rows.size(), i -> i + 1)
          .map(i -> Arguments.of(i, rows.get(i).substring(7)));
    }

    static Stream<Arguments> invalid() {
      List<String> rows =
          lines("sio-packages.txt").stream().filter(l -> l.startsWith("invalid ")).toList();
      return Stream.iterate(0, i -> i < rows.size(), i -> i + 1)
          .map(
              i -> {
                String[] f = rows.get(i).split(" ", 3);
                return Arguments.of(i, f[1], f[2]);
              });
    }

    @ParameterizedTest(name = "golden {0}")
    @MethodSource("golden")
    void opensAsPackageOfItsSequenceNumber(int i, String hex) throws IOException {
      byte[] pkg = HEX.parseHex(hex);
      byte[] plain = readRange(pkg, i, i + 1);
      assertThat(plain).isEqualTo(new byte[i + 1]);
    }

    @ParameterizedTest(name = "golden {0}")
    @MethodSource("golden")
    void sealsToTheSameBytes(int i, String hex) throws IOException {
      CipherSuite suite = i % 2 == 0 ? CipherSuite.AES_256_GCM : CipherSuite.CHACHA20_POLY1305;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (OutputStream enc = Dare.encrypt(out, SIO_KEY, suite, SIO_RANDOM, i)) {
        enc.write(new byte[i + 1]);
      }
      assertThat(HEX.formatHex(out.toByteArray())).isEqualTo(hex.toLowerCase());
    }

    @ParameterizedTest(name = "invalid {0}: {2}")
    @MethodSource("invalid")
    void invalidPackagesFail(int i, String hex, String what) {
      byte[] pkg = HEX.parseHex(hex);
      assertThatThrownBy(() -> readRange(pkg, i, pkg.length - 32))
          .isInstanceOf(ObjectAuthenticationException.class);
    }

    /** Reads package {@code pkg} as the package with sequence number {@code seq} of a stream. */
    private byte[] readRange(byte[] pkg, long seq, int length) throws IOException {
      CiphertextSource at =
          offset -> {
            assertThat(offset).isEqualTo(seq * (Dare.PACKAGE_SIZE + Dare.PACKAGE_OVERHEAD));
            return new ByteArrayInputStream(pkg);
          };
      try (InputStream in = Dare.decryptRange(at, SIO_KEY, seq * Dare.PACKAGE_SIZE, length)) {
        return in.readAllBytes();
      }
    }
  }

  @Nested
  class SioStreamVectors {
    static Stream<Arguments> streams() {
      return lines("sio-streams.txt").stream().map(l -> Arguments.of((Object[]) l.split(" ")));
    }

    @ParameterizedTest(name = "suite {0}, {3} bytes")
    @MethodSource("streams")
    void encryptsExactlyAsSioAndDecryptsSiosStream(
        String suiteId,
        String key,
        String nonce,
        String size,
        String ctSize,
        String sha256,
        String fullHex)
        throws IOException {
      CipherSuite suite = CipherSuite.byId(Integer.parseInt(suiteId));
      byte[] plaintext = pattern(Integer.parseInt(size));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (OutputStream enc = Dare.encrypt(out, HEX.parseHex(key), suite, HEX.parseHex(nonce), 0)) {
        enc.write(plaintext);
      }
      byte[] ours = out.toByteArray();
      assertThat(ours).hasSize(Integer.parseInt(ctSize));
      assertThat(HEX.formatHex(sha256(ours))).isEqualTo(sha256);
      assertThat(Dare.ciphertextSize(plaintext.length)).isEqualTo(Long.parseLong(ctSize));
      assertThat(Dare.plaintextSize(Long.parseLong(ctSize))).isEqualTo(plaintext.length);
      // equal digests: these are sio's bytes
      byte[] sio = fullHex.equals("-") ? ours : HEX.parseHex(fullHex);
      assertThat(sio).isEqualTo(ours);
      try (InputStream in = Dare.decrypt(new ByteArrayInputStream(sio), HEX.parseHex(key))) {
        assertThat(in.readAllBytes()).isEqualTo(plaintext);
      }
    }
  }

  @Nested
  class EmptyStream {
    @Test
    void emptyPlaintextIsNoPackageAndDoesNotDecryptAsInSio() throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Dare.encrypt(out, SIO_KEY).close();
      assertThat(out.toByteArray()).isEmpty();
      assertThat(Dare.ciphertextSize(0)).isZero();
      assertThatThrownBy(
              () -> Dare.decrypt(new ByteArrayInputStream(new byte[0]), SIO_KEY).readAllBytes())
          .isInstanceOf(ObjectAuthenticationException.class)
          .extracting(e -> ((ObjectAuthenticationException) e).reason())
          .isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void zeroLengthRangeOpensNothing() throws IOException {
      CiphertextSource never =
          offset -> {
            throw new AssertionError("opened");
          };
      assertThat(Dare.decryptRange(never, SIO_KEY, 5, 0).readAllBytes()).isEmpty();
    }
  }

  @Nested
  class Sizes {
    @Test
    void invalidCiphertextSizesAreRejected() {
      assertThatThrownBy(() -> Dare.plaintextSize(32)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Dare.plaintextSize(65568 + 10))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(Dare.plaintextSize(33)).isEqualTo(1);
      assertThat(Dare.plaintextSize(2 * 65568)).isEqualTo(2 * 65536);
    }

    @Test
    void badKeysAndRangesAreProgrammingErrors() {
      assertThatThrownBy(() -> Dare.encrypt(new ByteArrayOutputStream(), new byte[16]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining("0x");
      assertThatThrownBy(() -> Dare.decryptRange(CiphertextSource.of(new byte[0]), SIO_KEY, -1, 1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void messagesNameThePackageAndNoSecret() throws IOException {
    byte[] key = SIO_KEY;
    byte[] plain = "top secret plaintext".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream enc = Dare.encrypt(out, key)) {
      enc.write(plain);
    }
    byte[] ct = out.toByteArray();
    ct[20] ^= 1;
    assertThatThrownBy(() -> Dare.decrypt(new ByteArrayInputStream(ct), key).readAllBytes())
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("package 0")
        .hasMessageNotContaining("secret")
        .hasMessageNotContaining(HEX.formatHex(key).substring(0, 16));
  }

  static byte[] pattern(int size) {
    byte[] b = new byte[size];
    for (int j = 0; j < size; j++) {
      b[j] = (byte) (j % 251);
    }
    return b;
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> lines(String resource) {
    try (InputStream in = DareTest.class.getResourceAsStream(resource)) {
      return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
