package dev.kes4j.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kes4j.api.Identity;
import dev.kes4j.api.KesException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentitiesTest {
  static final String ROOT_CERT =
      "-----BEGIN CERTIFICATE-----\n"
          + "MIIBKDCB26ADAgECAhB6vebGMUfKnmBKyqoApRSOMAUGAytlcDAbMRkwFwYDVQQD\n"
          + "DBByb290QHBsYXkubWluLmlvMB4XDTIwMDQzMDE1MjIyNVoXDTI1MDQyOTE1MjIy\n"
          + "NVowGzEZMBcGA1UEAwwQcm9vdEBwbGF5Lm1pbi5pbzAqMAUGAytlcAMhALzn735W\n"
          + "fmSH/ghKs+4iPWziZMmWdiWr/sqvqeW+WwSxozUwMzAOBgNVHQ8BAf8EBAMCB4Aw\n"
          + "EwYDVR0lBAwwCgYIKwYBBQUHAwIwDAYDVR0TAQH/BAIwADAFBgMrZXADQQDZOrGK\n"
          + "b2ATkDlu2pTcP3LyhSBDpYh7V4TvjRkBTRgjkacCzwFLm+mh+7US8V4dBpIDsJ4u\n"
          + "uWoF0y6vbLVGIlkG\n"
          + "-----END CERTIFICATE-----\n";
  static final String ROOT_IDENTITY =
      "3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22";
  static final String ROOT_SPKI =
      "302a300506032b6570032100bce7ef7e567e6487fe084ab3ee223d6ce264c9967625abfecaafa9e5be5b04b1";

  static X509Certificate rootCert() throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(ROOT_CERT.getBytes(StandardCharsets.US_ASCII)));
  }

  static String sha256Hex(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Nested
  class IdentityOfCertificate {
    @Test
    void rootCertVector() throws Exception {
      X509Certificate root = rootCert();
      assertThat(Identity.of(root).value()).isEqualTo(ROOT_IDENTITY);
      assertThat(HexFormat.of().formatHex(root.getPublicKey().getEncoded())).isEqualTo(ROOT_SPKI);
      assertThat(Identities.fromPeerChain(new X509Certificate[] {root}).value())
          .isEqualTo(ROOT_IDENTITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "EC", "Ed25519"})
    void identityIsSha256OfSpki(String algorithm) throws Exception {
      KeyPair kp = TestCerts.keyPair(algorithm);
      X509Certificate cert = TestCerts.leaf(kp, "client");
      Identity id = Identity.of(cert);
      assertThat(id.value()).isEqualTo(sha256Hex(kp.getPublic().getEncoded())).hasSize(64);
      assertThat(id.isHash()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "EC", "Ed25519"})
    void sameKeyDifferentCertificatesSameIdentity(String algorithm) {
      KeyPair kp = TestCerts.keyPair(algorithm);
      KeyPair ca = TestCerts.keyPair("EC");
      Identity selfSigned = Identity.of(TestCerts.leaf(kp, "one"));
      Identity issued = Identity.of(TestCerts.issued(kp, "two", ca, "my-ca"));
      assertThat(issued).isEqualTo(selfSigned);
      assertThat(Identity.of(TestCerts.leaf(TestCerts.keyPair(algorithm), "one")))
          .isNotEqualTo(selfSigned);
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class PeerChain {
    final KeyPair leafKey = TestCerts.keyPair("Ed25519");
    final KeyPair caKey = TestCerts.keyPair("EC");
    final X509Certificate leaf = TestCerts.issued(leafKey, "client", caKey, "ca");
    final X509Certificate ca = TestCerts.ca(caKey, "ca");
    final X509Certificate ca2 = TestCerts.ca(TestCerts.keyPair("RSA"), "root-ca");
    final X509Certificate other = TestCerts.leaf(TestCerts.keyPair("RSA"), "other");

    @Test
    void certificateFlags() {
      assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
      assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
      assertThat(TestCerts.leafWithoutBasicConstraints(leafKey, "x").getBasicConstraints())
          .isEqualTo(-1);
    }

    Stream<Arguments> accepted() {
      Identity id = Identity.of(leaf);
      return Stream.of(
          Arguments.of("leaf", new X509Certificate[] {leaf}, id),
          Arguments.of("leaf, ca", new X509Certificate[] {leaf, ca}, id),
          Arguments.of("leaf, ca, root", new X509Certificate[] {leaf, ca, ca2}, id),
          Arguments.of(
              "no basicConstraints",
              new X509Certificate[] {TestCerts.leafWithoutBasicConstraints(leafKey, "x")},
              id),
          Arguments.of(
              "cA=false", new X509Certificate[] {TestCerts.leafNotCa(leafKey, "x"), ca}, id));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void firstCertificateIsTheIdentity(String name, X509Certificate[] chain, Identity expected) {
      assertThat(Identities.fromPeerChain(chain)).isEqualTo(expected);
      assertThat(Identities.leafOf(chain)).isSameAs(chain[0]);
    }

    Stream<Arguments> rejected() {
      return Stream.of(
          Arguments.of(
              "null",
              null,
              PeerChainException.Reason.NO_CERTIFICATE,
              Identities.CLIENT_CERTIFICATE_REQUIRED,
              0),
          Arguments.of(
              "empty",
              new X509Certificate[0],
              PeerChainException.Reason.NO_CERTIFICATE,
              "tls: client certificate is required",
              0),
          Arguments.of(
              "one ca",
              new X509Certificate[] {ca},
              PeerChainException.Reason.CA_CERTIFICATE,
              "tls: client certificate is required",
              1),
          Arguments.of(
              "two cas",
              new X509Certificate[] {ca, ca2},
              PeerChainException.Reason.CA_CERTIFICATE,
              "tls: client certificate is required",
              2),
          // spec §2.1 "don't mirror": Go KES skips the CA and identifies these as the leaf
          Arguments.of(
              "ca, leaf (the impersonation chain)",
              new X509Certificate[] {ca, leaf},
              PeerChainException.Reason.CA_CERTIFICATE,
              "tls: client certificate is required",
              2),
          Arguments.of(
              "ca, root, leaf",
              new X509Certificate[] {ca, ca2, leaf},
              PeerChainException.Reason.CA_CERTIFICATE,
              "tls: client certificate is required",
              3),
          Arguments.of(
              "two leaves",
              new X509Certificate[] {leaf, other},
              PeerChainException.Reason.MORE_THAN_ONE_CERTIFICATE,
              "tls: received more than one client certificate",
              2),
          Arguments.of(
              "two leaves and a ca",
              new X509Certificate[] {leaf, ca, other},
              PeerChainException.Reason.MORE_THAN_ONE_CERTIFICATE,
              "tls: received more than one client certificate",
              3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectedWithKesMessageAndReason(
        String name,
        X509Certificate[] chain,
        PeerChainException.Reason reason,
        String message,
        int count) {
      PeerChainException e =
          catchThrowableOfType(PeerChainException.class, () -> Identities.fromPeerChain(chain));
      assertThat(e).isInstanceOf(KesException.class).hasMessage(message);
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.reason()).isEqualTo(reason);
      assertThat(e.certificateCount()).isEqualTo(count);
      assertThat(e.diagnostic()).startsWith(message).isNotEqualTo(message);
    }

    @Test
    void laterCertificatesNeverBecomeTheIdentity() {
      // whatever follows the first certificate, the identity is the first one's or none
      X509Certificate[][] chains = {{other, ca}, {other, ca, ca2}, {leaf, ca}, {leaf, ca2, ca}};
      for (X509Certificate[] chain : chains) {
        assertThat(Identities.fromPeerChain(chain)).isEqualTo(Identity.of(chain[0]));
      }
    }

    @Test
    void noCertificateAndCaFirstAreDistinguishableInLogsOnly() {
      PeerChainException none =
          catchThrowableOfType(PeerChainException.class, () -> Identities.fromPeerChain(null));
      PeerChainException onlyCa =
          catchThrowableOfType(
              PeerChainException.class, () -> Identities.fromPeerChain(new X509Certificate[] {ca}));
      assertThat(none.getMessage()).isEqualTo(onlyCa.getMessage());
      assertThat(none.diagnostic()).isNotEqualTo(onlyCa.diagnostic());
      assertThat(onlyCa.diagnostic()).contains("is a CA");
    }

    @Test
    void nullElementIsRejected() {
      assertThatThrownBy(() -> Identities.fromPeerChain(new X509Certificate[] {leaf, null}))
          .isInstanceOf(NullPointerException.class);
    }
  }

  @Nested
  class Tls {
    @Test
    void requireTls() {
      Identities.requireTls(true);
      PeerChainException e =
          catchThrowableOfType(PeerChainException.class, () -> Identities.requireTls(false));
      assertThat(e).hasMessage("insecure connection: TLS is required");
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.reason()).isEqualTo(PeerChainException.Reason.NOT_TLS);
      assertThat(Identities.notTls()).hasMessage(Identities.TLS_REQUIRED);
    }
  }
}
