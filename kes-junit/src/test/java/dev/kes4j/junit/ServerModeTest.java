package dev.kes4j.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.KeyService;
import dev.kes4j.api.NotAuthorizedException;
import dev.kes4j.client.KesClient;
import dev.kes4j.core.Kes;
import dev.kes4j.policy.ApiKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/**
 * The server mode: a real mTLS KesServer on a random loopback port, and a client connected to it.
 */
@KesTest(mode = KesTest.Mode.SERVER, keys = "minio-key")
class ServerModeTest {
  private static final byte[] CONTEXT = "{\"b/o\":\"\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void theKeyServiceIsAClientOfARealServer(KeyService kms, KesClient client, Kes engine) {
    assertThat(kms).isSameAs(client).isNotSameAs(engine);
    assertThat(client.endpoints()).hasSize(1);
    assertThat(client.endpoints().get(0).toString()).matches("https://127\\.0\\.0\\.1:\\d+");
    DataKey dek = kms.generateKey("minio-key", CONTEXT);
    // the engine behind the server opens what came over the network
    assertThat(engine.decrypt("minio-key", dek.ciphertext(), CONTEXT)).isEqualTo(dek.plaintext());
  }

  @Test
  void keysCreatedOverTheNetworkAreGoneAfterTheTestToo(KesClient client) {
    assertThat(client.listKeys("*", "", 0).items()).containsExactly("minio-key");
    client.createKey("left-behind"); // the next test must not see it
  }

  @Test
  void keysCreatedOverTheNetworkAreGoneAfterTheTestAsWell(KesClient client) {
    assertThat(client.listKeys("*", "", 0).items()).containsExactly("minio-key");
    client.createKey("left-behind");
  }

  @Test
  void theClientIsTheAdmin(KesClient client, KesFixture fixture) {
    assertThat(client.identity()).contains(fixture.adminIdentity());
    assertThat(client.describeSelf().admin()).isTrue();
    assertThat(fixture.adminIdentity()).isEqualTo(ApiKey.parse(fixture.adminApiKey()).identity());
  }

  @Test
  void theCertificateFilesAreThereForOtherClients(KesFixture fixture) throws Exception {
    X509Certificate ca = readCertificate(fixture);
    X509Certificate admin = certificate(Files.readString(fixture.adminCertificate()));
    admin.verify(ca.getPublicKey()); // issued by the CA
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(Files.readString(fixture.adminPrivateKey()))
        .startsWith("-----BEGIN PRIVATE KEY-----");
    if (Files.getFileAttributeView(
            fixture.adminPrivateKey(), java.nio.file.attribute.PosixFileAttributeView.class)
        != null) {
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(fixture.adminPrivateKey())))
          .isEqualTo("rw-------");
    }
    assertThat(fixture.environment())
        .containsEntry("MINIO_KMS_KES_ENDPOINT", fixture.endpoint().toString())
        .containsEntry("MINIO_KMS_KES_CAPATH", fixture.caCertificate().toString())
        .containsEntry("MINIO_KMS_KES_CERT_FILE", fixture.adminCertificate().toString())
        .containsEntry("MINIO_KMS_KES_KEY_FILE", fixture.adminPrivateKey().toString())
        .containsEntry("MINIO_KMS_KES_KEY_NAME", "minio-key");
  }

  @Test
  void aClientTrustingOnlyTheCaFileConnectsWithTheAdminApiKey(KesFixture fixture) {
    try (KesClient other =
        KesClient.builder()
            .endpoints(fixture.endpoint().toString())
            .caCertificates(fixture.caCertificate())
            .apiKey(fixture.adminApiKey())
            .build()) {
      assertThat(other.listKeys("*", "", 0).items()).containsExactly("minio-key");
    }
  }

  @Test
  void anIdentityWithoutPolicyIsRefused(KesFixture fixture) {
    try (KesClient stranger = fixture.clientBuilder().apiKey(ApiKey.generate().encode()).build()) {
      assertThatThrownBy(() -> stranger.generateKey("minio-key", CONTEXT))
          .isInstanceOf(NotAuthorizedException.class);
    }
  }

  private static X509Certificate readCertificate(KesFixture fixture) throws IOException, Exception {
    return certificate(Files.readString(fixture.caCertificate()));
  }

  private static X509Certificate certificate(String pem) throws Exception {
    try (InputStream in =
        new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
