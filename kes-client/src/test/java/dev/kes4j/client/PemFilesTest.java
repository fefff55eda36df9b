package dev.kes4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.policy.internal.pki.Pem;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kes-policy's PEM codec (what the client reads key files with) over keys that Bouncy Castle wrote:
 * an independent writer, beside the OpenSSL-written files of kes-policy's {@code PemTest}.
 */
class PemFilesTest {
  static final char[] PASSWORD = "correct horse".toCharArray();
  static final KeyPair EC = TestPki.ec();
  static final KeyPair ED = TestPki.ed25519();

  static Stream<Arguments> keys() {
    return Stream.of(
        Arguments.of("EC PKCS#8", TestPki.pkcs8(EC.getPrivate()), null, EC),
        Arguments.of(
            "EC encrypted PKCS#8", TestPki.encryptedPkcs8(EC.getPrivate(), PASSWORD), PASSWORD, EC),
        Arguments.of("EC traditional", TestPki.traditional(EC.getPrivate(), null), null, EC),
        Arguments.of(
            "EC traditional encrypted",
            TestPki.traditional(EC.getPrivate(), PASSWORD),
            PASSWORD,
            EC),
        Arguments.of("Ed25519 PKCS#8", TestPki.pkcs8(ED.getPrivate()), null, ED),
        Arguments.of(
            "Ed25519 encrypted PKCS#8",
            TestPki.encryptedPkcs8(ED.getPrivate(), PASSWORD),
            PASSWORD,
            ED),
        Arguments.of(
            "key after a certificate",
            TestPki.pem(TestServer.CA.certificate()) + TestPki.pkcs8(EC.getPrivate()),
            null,
            EC));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keys")
  void readsKeys(String label, String pem, char[] password, KeyPair expected) {
    PrivateKey key = Pem.parsePrivateKey(pem, password, "test.key");
    if (key instanceof ECPrivateKey) {
      // the traditional form carries the curve twice, so compare the secret scalar
      assertThat(((ECPrivateKey) key).getS())
          .isEqualTo(((ECPrivateKey) expected.getPrivate()).getS());
    } else {
      assertThat(key.getEncoded()).isEqualTo(expected.getPrivate().getEncoded());
    }
    assertThat(key.getClass().getName()).startsWith("sun."); // a JDK key the JDK's TLS can use
  }

  static Stream<Arguments> badKeys() {
    return Stream.of(
        Arguments.of(
            TestPki.encryptedPkcs8(EC.getPrivate(), PASSWORD),
            "wrong".toCharArray(),
            "x509: decryption password incorrect"),
        Arguments.of(
            TestPki.traditional(EC.getPrivate(), PASSWORD),
            "wrong".toCharArray(),
            "x509: decryption password incorrect"),
        Arguments.of(
            TestPki.encryptedPkcs8(EC.getPrivate(), PASSWORD),
            null,
            "https: private key is encrypted: password required"),
        Arguments.of(
            TestPki.pem(TestServer.CA.certificate()),
            null,
            "https: no PEM-encoded private key found"),
        Arguments.of("", null, "https: no PEM-encoded private key found"));
  }

  @ParameterizedTest
  @MethodSource("badKeys")
  void reportsBadKeys(String pem, char[] password, String message) {
    assertThatThrownBy(() -> Pem.parsePrivateKey(pem, password, "test.key"))
        .isInstanceOf(KesConfigException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("test.key");
  }

  @Test
  void readsCertificateChainsInOrder() {
    String chain =
        TestPki.pem(TestServer.SERVER_CERT.certificate())
            + TestPki.pem(TestServer.CA.certificate());
    assertThat(Pem.parseCertificates(chain, "chain.pem"))
        .isEqualTo(List.of(TestServer.SERVER_CERT.certificate(), TestServer.CA.certificate()));
    assertThatThrownBy(() -> Pem.parseCertificates(TestPki.pkcs8(EC.getPrivate()), "x.pem"))
        .isInstanceOf(KesConfigException.class)
        .hasMessage("x.pem: https: unsupported PEM data block");
  }
}
