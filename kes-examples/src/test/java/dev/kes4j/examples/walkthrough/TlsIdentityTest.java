package dev.kes4j.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TlsIdentity}: the certificate profile of {@code kes4j identity new} and PEM files. */
class TlsIdentityTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @TempDir Path dir;

  @Test
  void aClientIdentityIsASelfSignedEd25519LeafForClientAuth() throws Exception {
    TlsIdentity app = TlsIdentity.create("app", List.of(), List.of());
    X509Certificate c = app.certificate();
    assertThat(c.getPublicKey().getAlgorithm()).isIn("Ed25519", "EdDSA");
    assertThat(c.getSubjectX500Principal()).isEqualTo(c.getIssuerX500Principal());
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=app");
    c.verify(c.getPublicKey());
    assertThat(c.getBasicConstraints()).isEqualTo(-1); // not a CA
    assertThat(c.getKeyUsage()[0]).isTrue(); // digitalSignature
    assertThat(c.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(c.getSubjectAlternativeNames()).isNull();
    assertThat(Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofHours(720).plusMinutes(1));
  }

  @Test
  void addressesMakeAServerCertificateWithSubjectAlternativeNames() throws Exception {
    X509Certificate c =
        TlsIdentity.create("localhost", List.of("127.0.0.1", "::1"), List.of("localhost"))
            .certificate();
    assertThat(c.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
    assertThat(c.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(
            List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
    assertThatThrownBy(() -> TlsIdentity.create("x", List.of("localhost"), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theIdentityIsTheSha256OfThePublicKey() throws Exception {
    TlsIdentity app = TlsIdentity.create("", List.of(), List.of());
    byte[] spki = app.certificate().getPublicKey().getEncoded();
    assertThat(app.identity().value())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki)));
    assertThat(app.certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=" + app.identity().value()); // no CN given: named after the identity
    assertThat(app.toString()).contains(app.identity().value()).doesNotContain("PRIVATE");
  }

  @Test
  void pemFilesRoundTripAndTheKeyIsPrivate() throws Exception {
    TlsIdentity app = TlsIdentity.create("app", List.of(), List.of());
    Path key = dir.resolve("app.key");
    Path cert = dir.resolve("app.cert");
    app.writePem(key, cert);
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----\n");
    assertThat(Files.getPosixFilePermissions(key)).hasSize(2);
    TlsIdentity read = TlsIdentity.readPem(key, cert);
    assertThat(read.certificate()).isEqualTo(app.certificate());
    assertThat(read.privateKey().getEncoded()).isEqualTo(app.privateKey().getEncoded());
    assertThatThrownBy(() -> TlsIdentity.readPem(cert, cert))
        .isInstanceOf(dev.kes4j.api.KesConfigException.class)
        .hasMessage("private key file '" + cert + "': https: no PEM-encoded private key found");
  }
}
