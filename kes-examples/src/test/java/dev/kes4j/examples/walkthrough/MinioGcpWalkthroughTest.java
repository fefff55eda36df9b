package dev.kes4j.examples.walkthrough;

import static dev.kes4j.examples.walkthrough.MinioGcpWalkthrough.KEY;
import static dev.kes4j.examples.walkthrough.MinioGcpWalkthrough.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.secretmanager.v1.Secret;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.core.KesConfig;
import dev.kes4j.crypto.KeyBlobs;
import dev.kes4j.crypto.KeyVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Example 5 end to end: the guide's identities, config and server against the GCP fake, the app
 * identity's create / generate / decrypt over real mutual TLS, and the secret laid out as KES lays
 * it out.
 */
class MinioGcpWalkthroughTest {
  private static final String CONTEXT =
      Base64.getEncoder()
          .encodeToString("{\"bucket\":\"bucket/object\"}".getBytes(StandardCharsets.UTF_8));

  @TempDir Path dir;

  @Test
  void theGuideEndToEnd() throws Exception {
    byte[] dataKey;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(printed, true, StandardCharsets.UTF_8);
    try (MinioGcpWalkthrough w = MinioGcpWalkthrough.prepare(dir, log, "127.0.0.1:0")) {
      // steps 1-4: identities and the guide's config on disk
      assertThat(dir.resolve("server.key")).exists();
      assertThat(Files.getPosixFilePermissions(dir.resolve("app.key")))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      TlsIdentity app = TlsIdentity.readPem(dir.resolve("app.key"), dir.resolve("app.cert"));
      assertThat(app.identity()).isEqualTo(w.app().identity());
      String yaml = Files.readString(w.configFile());
      assertThat(yaml)
          .contains("root: disabled")
          .contains("- ${MINIO_KES_IDENTITY}")
          .contains("endpoint: " + w.fake().endpoint());
      KesConfig parsed =
          KesConfig.parse(
              yaml, new KesConfig.Options(n -> n.equals("MINIO_KES_IDENTITY") ? "x" : null, true));
      assertThat(parsed.schema()).isEqualTo(KesConfig.Schema.V0_16);

      // step 5: the server from the config
      w.start();

      // step 6: create, as the app identity (the policy allows /v1/key/create/*)
      HttpResponse<String> created = w.asApp("POST", "/v1/key/create/" + KEY, null);
      assertThat(created.statusCode()).isEqualTo(200);
      assertThat(created.body()).isEmpty();
      HttpResponse<String> again = w.asApp("POST", "/v1/key/create/" + KEY, null);
      assertThat(again.statusCode()).isEqualTo(400);
      assertThat(again.body()).isEqualTo("{\"message\":\"key does already exist\"\n}");

      // step 7: generate a data key bound to a context
      HttpResponse<String> generated =
          w.asApp("POST", "/v1/key/generate/" + KEY, "{\"context\":\"" + CONTEXT + "\"}");
      assertThat(generated.statusCode()).isEqualTo(200);
      dataKey = Base64.getDecoder().decode(field(generated.body(), "plaintext"));
      assertThat(dataKey).hasSize(32);
      String sealed = field(generated.body(), "ciphertext");

      // step 8: decrypt it; a wrong context fails
      HttpResponse<String> decrypted = w.asApp("POST", "/v1/key/decrypt/" + KEY, body(sealed));
      assertThat(decrypted.statusCode()).isEqualTo(200);
      assertThat(Base64.getDecoder().decode(field(decrypted.body(), "plaintext")))
          .isEqualTo(dataKey);
      String otherContext =
          Base64.getEncoder().encodeToString("{\"bucket\":\"bucket/other\"}".getBytes());
      HttpResponse<String> wrong =
          w.asApp(
              "POST",
              "/v1/key/decrypt/" + KEY,
              "{\"ciphertext\":\"" + sealed + "\",\"context\":\"" + otherContext + "\"}");
      assertThat(wrong.statusCode()).isEqualTo(400);

      // the policy allows nothing else
      assertThat(w.asApp("DELETE", "/v1/key/delete/" + KEY, null).statusCode()).isEqualTo(403);
      assertThat(w.asApp("GET", "/v1/key/describe/" + KEY, null).statusCode()).isEqualTo(403);
      assertThat(w.asApp("POST", "/v1/key/encrypt/" + KEY, "{\"plaintext\":\"\"}").statusCode())
          .isEqualTo(403);

      // step 10: the secret in Secret Manager as KES lays it out
      assertThat(w.fake().secretIds()).containsExactly(KEY);
      assertThat(w.fake().versionCount(KEY)).isEqualTo(1);
      Secret secret = w.fake().secret(KEY).orElseThrow();
      assertThat(secret.getName())
          .isEqualTo("projects/" + w.fake().projectNumber() + "/secrets/" + KEY);
      assertThat(secret.getReplication().hasAutomatic()).isTrue();
      assertThat(secret.getLabelsMap()).isEmpty();
      assertThat(secret.getAnnotationsMap()).isEmpty();
      byte[] payload = w.fake().payload(KEY, 1).orElseThrow();
      assertThat(w.fake().versionHadChecksum(KEY, 1)).isTrue();
      KeyVersion stored = KeyBlobs.parse(payload);
      assertThat(stored.masterKey().algorithm()).isEqualTo(KeyAlgorithm.AES256);
      assertThat(stored.createdBy()).isEqualTo(w.app().identity().value());
      stored.destroy();

      // a restarted server reads the key back from Secret Manager and opens the sealed key
      w.stop();
      w.start();
      HttpResponse<String> afterRestart = w.asApp("POST", "/v1/key/decrypt/" + KEY, body(sealed));
      assertThat(afterRestart.statusCode()).isEqualTo(200);
      assertThat(Base64.getDecoder().decode(field(afterRestart.body(), "plaintext")))
          .isEqualTo(dataKey);
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("== 1. Start the (fake) GCP Secret Manager")
        .contains("export MINIO_KES_IDENTITY=")
        .contains("--cacert server.cert -X POST https://127.0.0.1:")
        .contains("\"plaintext\":\"<not shown>\"")
        .doesNotContain(Base64.getEncoder().encodeToString(dataKey))
        .doesNotContain("PRIVATE KEY");
  }

  @Test
  void onlyTheServersCertificateIsTrustedAndAClientWithoutCertificateIsTurnedAway()
      throws Exception {
    try (MinioGcpWalkthrough w =
        MinioGcpWalkthrough.prepare(
            dir, new PrintStream(new ByteArrayOutputStream()), "127.0.0.1:0")) {
      w.start();
      URI status = URI.create(w.endpoint() + "/v1/key/create/" + KEY);
      // every route needs a certificate here: the handshake itself fails without one
      HttpClient anonymous =
          HttpClient.newBuilder()
              .sslContext(
                  TlsIdentity.anonymousClientContext(List.of(w.serverIdentity().certificate())))
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      assertThatThrownBy(
              () ->
                  anonymous.send(
                      HttpRequest.newBuilder(status)
                          .POST(HttpRequest.BodyPublishers.noBody())
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
      // an identity outside the policy is authenticated, then denied
      TlsIdentity stranger = TlsIdentity.create("stranger", List.of(), List.of());
      HttpClient strangerClient =
          HttpClient.newBuilder()
              .sslContext(stranger.clientContext(List.of(w.serverIdentity().certificate())))
              .build();
      HttpResponse<String> denied =
          strangerClient.send(
              HttpRequest.newBuilder(status).POST(HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(denied.statusCode()).isEqualTo(403);
      assertThat(denied.body()).isEqualTo("{\"message\":\"prohibited by policy\"\n}");
      assertThat(w.fake().secretIds()).isEmpty();
    }
  }

  private static String body(String sealed) {
    return "{\"ciphertext\":\"" + sealed + "\",\"context\":\"" + CONTEXT + "\"}";
  }
}
