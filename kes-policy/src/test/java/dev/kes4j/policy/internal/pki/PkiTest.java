package dev.kes4j.policy.internal.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.Identity;
import java.math.BigInteger;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Pki} and {@link CertificateWriter}, the one certificate minter: what it mints parses,
 * verifies, chains, and carries the profile of {@code kes identity new} (spec §10) and of KES's dev
 * server.
 */
class PkiTest {
  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  static final String SKI = "2.5.29.14";
  static final String AKI = "2.5.29.35";

  @ParameterizedTest
  @EnumSource(Pki.Algorithm.class)
  void identityNewProfile(Pki.Algorithm algorithm) throws Exception {
    Instant before = Instant.now().minusSeconds(61);
    Pki.Issued i =
        Pki.issue(
            Pki.keyPair(algorithm),
            "localhost",
            Pki.Usage.BOTH,
            List.of("localhost", "kes.example"),
            List.of("127.0.0.1", "::1"),
            Duration.ofHours(720),
            null);
    X509Certificate c = i.certificate();
    c.verify(i.keyPair().getPublic()); // self-signed
    c.checkValidity();
    assertThat(c.getVersion()).isEqualTo(3);
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
    assertThat(c.getSerialNumber().signum()).isPositive();
    assertThat(c.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
    assertThat(c.getNotBefore().toInstant()).isAfterOrEqualTo(before.minusSeconds(1));
    assertThat(Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofHours(720).plusMinutes(1));
    assertThat(c.getBasicConstraints()).isEqualTo(-1); // cA false
    assertThat(c.getKeyUsage()).startsWith(true, false, false, false, false, false, false);
    assertThat(c.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
    assertThat(c.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.15", "2.5.29.19");
    assertThat(c.getExtensionValue(SKI)).isNotNull();
    assertThat(c.getExtensionValue(AKI)).isNull();
    List<String> sans = new ArrayList<>();
    for (List<?> san : c.getSubjectAlternativeNames()) {
      sans.add(san.get(0) + "=" + san.get(1));
    }
    assertThat(sans)
        .containsExactly("2=localhost", "2=kes.example", "7=127.0.0.1", "7=0:0:0:0:0:0:0:1");
    assertThat(Identity.of(c))
        .isEqualTo(Identity.ofSubjectPublicKeyInfo(i.keyPair().getPublic().getEncoded()));
  }

  @Test
  void clientCertificatesAreForClientsOnly() throws Exception {
    X509Certificate c = issue("app", Pki.Usage.CLIENT, null).certificate();
    assertThat(c.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    X509Certificate s = issue("srv", Pki.Usage.SERVER, null).certificate();
    assertThat(s.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
  }

  @Test
  void caIssuedChainsVerify() throws Exception {
    Pki.Issued ca = issue("dev CA", Pki.Usage.CA, null);
    X509Certificate caCert = ca.certificate();
    assertThat(caCert.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE); // cA, no path length
    boolean[] ku = caCert.getKeyUsage();
    assertThat(new boolean[] {ku[0], ku[5], ku[6]}).containsOnly(true); // digSig, certSign, crlSign
    assertThat(caCert.getExtendedKeyUsage()).isNull();

    Pki.Issued leaf = issue("server", Pki.Usage.SERVER, ca);
    X509Certificate l = leaf.certificate();
    l.verify(caCert.getPublicKey());
    assertThat(l.getIssuerX500Principal()).isEqualTo(caCert.getSubjectX500Principal());
    // authorityKeyIdentifier [0] = the CA's subjectKeyIdentifier
    byte[] caSki = Der.Tlv.parse(Der.Tlv.parse(caCert.getExtensionValue(SKI)).content()).content();
    byte[] aki =
        Der.Tlv.parse(Der.Tlv.parse(l.getExtensionValue(AKI)).content())
            .children()
            .get(0)
            .content();
    assertThat(aki).isEqualTo(caSki);

    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(caCert, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(List.of(l)), params);

    // a leaf cannot issue: the JDK refuses a chain through it
    Pki.Issued sub = issue("sub", Pki.Usage.CLIENT, leaf);
    assertThatThrownBy(
            () ->
                CertPathValidator.getInstance("PKIX")
                    .validate(cf.generateCertPath(List.of(sub.certificate(), l)), params))
        .isInstanceOf(java.security.cert.CertPathValidatorException.class);
  }

  @Test
  void emptyCommonNameIsAnEmptySubject() {
    Pki.Issued ca = issue("CA", Pki.Usage.CA, null);
    // an empty subject needs a subject alternative name (RFC 5280 §4.1.2.6; the JDK checks)
    X509Certificate c =
        Pki.issue(
                Pki.keyPair(Pki.Algorithm.ED25519),
                "",
                Pki.Usage.BOTH,
                List.of("kes.example"),
                List.of(),
                Duration.ofDays(1),
                ca)
            .certificate();
    assertThat(c.getSubjectX500Principal().getName()).isEmpty();
    // self-signed, the issuer would be empty too, which the JDK refuses to parse
    assertThatThrownBy(() -> issue("", Pki.Usage.CLIENT, null))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void ipSansMustBeLiterals() {
    for (String bad : List.of("localhost", "1.2.3", "300.1.1.1", "1.2.3.4.5", "example.com")) {
      assertThatThrownBy(
              () ->
                  Pki.issue(
                      Pki.keyPair(Pki.Algorithm.ED25519),
                      "x",
                      Pki.Usage.BOTH,
                      List.of(),
                      List.of(bad),
                      Duration.ofHours(1),
                      null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not an IP address");
    }
  }

  @Test
  void writerRefusesNonsense() {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    assertThatThrownBy(() -> CertificateWriter.of("x", BigInteger.ZERO, now, now))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CertificateWriter.of("x", BigInteger.ONE, now, now.minusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void datesFrom2050AreGeneralizedTime() {
    Instant from = Instant.parse("2049-12-31T23:59:59Z");
    Instant to = Instant.parse("2050-01-01T00:00:00Z");
    var kp = Pki.keyPair(Pki.Algorithm.ED25519);
    X509Certificate c =
        CertificateWriter.of("t", BigInteger.TEN, from, to).sign(kp.getPublic(), kp.getPrivate());
    assertThat(c.getNotBefore().toInstant()).isEqualTo(from);
    assertThat(c.getNotAfter().toInstant()).isEqualTo(to);
    assertThat(Arrays.asList(c.getKeyUsage()).size()).isEqualTo(1);
  }

  static Pki.Issued issue(String cn, Pki.Usage usage, Pki.Issued issuer) {
    return Pki.issue(
        Pki.keyPair(Pki.Algorithm.ECDSA_P256),
        cn,
        usage,
        List.of(),
        List.of(),
        Duration.ofDays(1),
        issuer);
  }
}
