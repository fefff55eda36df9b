package dev.kes4j.policy.internal.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Pem}, the one PEM codec: every key type × encoding × encryption that KES (or OpenSSL)
 * writes, read from files OpenSSL 3 wrote (src/test/resources/pem, see its README), and every error
 * with Go KES's message, checked against Go 1.x's {@code tls.X509KeyPair} and {@code
 * x509.DecryptPEMBlock} on the same files.
 */
class PemTest {
  static final char[] PASSWORD = "secret".toCharArray();

  static String fixture(String name) {
    try (InputStream in = PemTest.class.getResourceAsStream("/pem/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static X509Certificate cert(String type) {
    return Pem.parseCertificates(fixture(type + ".cert.pem"), "test").get(0);
  }

  static Stream<Arguments> keys() {
    return Stream.of(
        Arguments.of("rsa.pkcs8.pem", null, "rsa"),
        Arguments.of("rsa.pkcs1.pem", null, "rsa"),
        Arguments.of("rsa.pkcs1.des3.pem", PASSWORD, "rsa"),
        Arguments.of("rsa.pkcs8.enc.pem", PASSWORD, "rsa"),
        Arguments.of("ec.pkcs8.pem", null, "ec"),
        Arguments.of("ec.sec1.pem", null, "ec"),
        Arguments.of("ec.sec1.aes128.pem", PASSWORD, "ec"),
        Arguments.of("ec.pkcs8.enc.pem", PASSWORD, "ec"),
        Arguments.of("ec.pkcs8.pbes1.pem", PASSWORD, "ec"),
        Arguments.of("ed25519.pkcs8.pem", null, "ed25519"),
        Arguments.of("ed25519.pkcs8.enc.pem", PASSWORD, "ed25519"),
        Arguments.of("ed25519.kes-encrypt.pem", PASSWORD, "ed25519"),
        // a certificate before the key, as in a combined file
        Arguments.of("ec.cert.pem+ec.sec1.pem", null, "ec"),
        // a password for a key that is not encrypted is ignored, as KES does
        Arguments.of("ed25519.pkcs8.pem", PASSWORD, "ed25519"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keys")
  void readsEveryKeyForm(String files, char[] password, String type) {
    StringBuilder text = new StringBuilder();
    for (String f : files.split("\\+")) {
      text.append(fixture(f));
    }
    PrivateKey key = Pem.parsePrivateKey(text.toString(), password, "test.key");
    // the key is the one of the certificate OpenSSL made for it
    Pem.requireMatch(key, cert(type), "test");
    assertThat(key.getAlgorithm()).isIn("RSA", "EC", "EdDSA", "Ed25519");
  }

  static Stream<Arguments> keyErrors() {
    return Stream.of(
        Arguments.of("", null, Pem.NO_KEY),
        Arguments.of("  \n\n", null, Pem.NO_KEY),
        Arguments.of(fixture("ec.cert.pem"), null, Pem.NO_KEY),
        Arguments.of("not pem at all", null, Pem.NO_VALID_PEM),
        Arguments.of(fixture("ec.pkcs8.pem") + "trailing garbage", null, Pem.NO_VALID_PEM),
        Arguments.of(
            "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
            null,
            Pem.NO_VALID_PEM),
        Arguments.of(
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", null, Pem.BAD_KEY),
        Arguments.of(fixture("ec.with-params.pem"), null, Pem.UNSUPPORTED_BLOCK),
        Arguments.of(
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
            null,
            Pem.UNSUPPORTED_BLOCK),
        Arguments.of(fixture("rsa.pkcs1.des3.pem"), null, Pem.PASSWORD_REQUIRED),
        Arguments.of(fixture("ec.sec1.aes128.pem"), new char[0], Pem.PASSWORD_REQUIRED),
        Arguments.of(fixture("ec.pkcs8.enc.pem"), null, Pem.PASSWORD_REQUIRED),
        Arguments.of(fixture("ed25519.kes-encrypt.pem"), null, Pem.PASSWORD_REQUIRED),
        Arguments.of(fixture("rsa.pkcs1.des3.pem"), "wrong".toCharArray(), Pem.WRONG_PASSWORD),
        Arguments.of(fixture("ec.sec1.aes128.pem"), "wrong".toCharArray(), Pem.WRONG_PASSWORD),
        Arguments.of(fixture("ed25519.kes-encrypt.pem"), "wrong".toCharArray(), Pem.WRONG_PASSWORD),
        Arguments.of(fixture("rsa.pkcs8.enc.pem"), "wrong".toCharArray(), Pem.WRONG_PASSWORD),
        Arguments.of(fixture("ec.pkcs8.enc.pem"), "wrong".toCharArray(), Pem.WRONG_PASSWORD),
        Arguments.of(fixture("ec.pkcs8.pbes1.pem"), "wrong".toCharArray(), Pem.WRONG_PASSWORD),
        Arguments.of(
            fixture("ed25519.kes-encrypt.pem").replace("AES-256-CBC", "RC2-CBC"),
            PASSWORD,
            Pem.UNKNOWN_ENCRYPTION));
  }

  @ParameterizedTest
  @MethodSource("keyErrors")
  void keyErrorsAreGoKesMessages(String text, char[] password, String message) {
    assertThatThrownBy(() -> Pem.parsePrivateKey(text, password, "private key file 'k.pem'"))
        .isInstanceOf(KesConfigException.class)
        .hasMessage("private key file 'k.pem': " + message);
  }

  static Stream<Arguments> certificateErrors() {
    return Stream.of(
        Arguments.of("", Pem.NO_CERTIFICATE),
        Arguments.of("garbage", Pem.NO_VALID_PEM),
        Arguments.of(fixture("ec.pkcs8.pem"), Pem.UNSUPPORTED_BLOCK),
        Arguments.of(fixture("ec.cert.pem") + fixture("ec.pkcs8.pem"), Pem.UNSUPPORTED_BLOCK),
        Arguments.of(
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", Pem.BAD_CERTIFICATE));
  }

  @ParameterizedTest
  @MethodSource("certificateErrors")
  void certificateErrorsAreGoKesMessages(String text, String message) {
    assertThatThrownBy(() -> Pem.parseCertificates(text, "certificate file 'c.pem'"))
        .isInstanceOf(KesConfigException.class)
        .hasMessage("certificate file 'c.pem': " + message);
  }

  @Test
  void chainsKeepFileOrder() {
    String chain = fixture("rsa.cert.pem") + "\n" + fixture("ec.cert.pem");
    assertThat(Pem.parseCertificates(chain, "chain"))
        .extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=rsa", "CN=ec");
  }

  static Stream<Arguments> mismatches() {
    return Stream.of(
        Arguments.of("ec.pkcs8.pem", "rsa", Pem.KEY_TYPE_MISMATCH),
        Arguments.of("rsa.pkcs8.pem", "ed25519", Pem.KEY_TYPE_MISMATCH),
        Arguments.of("ed25519.pkcs8.pem", "ec", Pem.KEY_TYPE_MISMATCH));
  }

  @ParameterizedTest
  @MethodSource("mismatches")
  void keyOfAnotherTypeIsRefused(String key, String cert, String message) {
    PrivateKey k = Pem.parsePrivateKey(fixture(key), null, "k");
    assertThatThrownBy(() -> Pem.requireMatch(k, cert(cert), "c"))
        .isInstanceOf(KesConfigException.class)
        .hasMessage("c: " + message);
  }

  @ParameterizedTest
  @MethodSource("algorithms")
  void keyOfAnotherCertificateIsRefused(Pki.Algorithm algorithm) {
    Pki.Issued a = issue(algorithm);
    Pki.Issued b = issue(algorithm);
    Pem.requireMatch(a.privateKey(), a.certificate(), "c");
    assertThatThrownBy(() -> Pem.requireMatch(a.privateKey(), b.certificate(), "c"))
        .hasMessage("c: " + Pem.KEY_MISMATCH);
  }

  @Test
  void rsaKeyOfAnotherCertificateIsRefused() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair other = g.generateKeyPair();
    PrivateKey k = Pem.parsePrivateKey(fixture("rsa.pkcs1.pem"), null, "k");
    assertThatThrownBy(() -> Pem.requireMatch(other.getPrivate(), cert("rsa"), "c"))
        .hasMessage("c: " + Pem.KEY_MISMATCH);
    Pem.requireMatch(k, cert("rsa"), "c");
  }

  static Stream<Pki.Algorithm> algorithms() {
    return Stream.of(Pki.Algorithm.values());
  }

  static Pki.Issued issue(Pki.Algorithm algorithm) {
    return Pki.issue(
        Pki.keyPair(algorithm),
        "x",
        Pki.Usage.CLIENT,
        List.of(),
        List.of(),
        Duration.ofHours(1),
        null);
  }

  @Test
  void filesNameThemselvesInErrors(@TempDir Path dir) throws IOException {
    Path cert = Files.writeString(dir.resolve("c.pem"), fixture("ec.cert.pem"));
    Path key = Files.writeString(dir.resolve("k.pem"), fixture("ec.sec1.aes128.pem"));
    Path other = Files.writeString(dir.resolve("o.pem"), fixture("ed25519.pkcs8.pem"));
    Pem.KeyAndChain pair = Pem.readKeyPair(cert, key, PASSWORD);
    assertThat(pair.chain()).hasSize(1);
    assertThat(pair.toString())
        .doesNotContain(Base64.getEncoder().encodeToString(pair.key().getEncoded()));
    assertThatThrownBy(() -> Pem.readKeyPair(cert, key, null))
        .hasMessage("private key file '" + key + "': " + Pem.PASSWORD_REQUIRED);
    assertThatThrownBy(() -> Pem.readKeyPair(cert, other, null))
        .hasMessage("certificate file '" + cert + "': " + Pem.KEY_TYPE_MISMATCH);
    assertThatThrownBy(() -> Pem.readPrivateKey(dir.resolve("missing.pem"), null))
        .hasMessage(
            "cannot read private key file '"
                + dir.resolve("missing.pem")
                + "': NoSuchFileException");
    assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("missing.pem")))
        .hasMessageStartingWith("cannot read certificate file '");
  }

  @Test
  void errorsNeverCarryThePassword() {
    char[] wrong = "hunter2-not-it".toCharArray();
    assertThatThrownBy(() -> Pem.parsePrivateKey(fixture("rsa.pkcs8.enc.pem"), wrong, "k"))
        .satisfies(e -> assertThat(e.toString()).doesNotContain("hunter2"))
        .hasNoCause();
    assertThat(wrong).isEqualTo("hunter2-not-it".toCharArray()); // not modified
  }

  @Property(tries = 30)
  void whatItWritesItReads(@ForAll("algorithm") Pki.Algorithm algorithm) {
    Pki.Issued i = issue(algorithm);
    String pem = Pem.encode(i.certificate()) + Pem.encode(i.privateKey());
    PrivateKey key = Pem.parsePrivateKey(pem, null, "k");
    assertThat(key.getEncoded()).isEqualTo(i.privateKey().getEncoded());
    assertThat(Pem.parseCertificates(Pem.encode(i.certificate()), "c"))
        .containsExactly(i.certificate());
  }

  @Provide
  Arbitrary<Pki.Algorithm> algorithm() {
    return Arbitraries.of(Pki.Algorithm.class);
  }
}
