package dev.kes4j.keystore.gcp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.AddSecretVersionRequest;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.ListSecretsResponse;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.ByteString;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.keystore.gcp.GcpSecretManagerKeyStore;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The fake answers the official client like the real service. */
class FakeSecretManagerTest {
  private static final String PROJECT = "projects/" + FakeSecretManager.DEFAULT_PROJECT_ID;

  private FakeSecretManager fake;
  private ManagedChannel channel;
  private SecretManagerServiceClient client;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeSecretManager().start();
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", fake.port()).usePlaintext().build();
    client = clientOver(channel);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    fake.close();
  }

  private static SecretManagerServiceClient clientOver(ManagedChannel channel) throws Exception {
    return SecretManagerServiceClient.create(
        SecretManagerServiceSettings.newBuilder()
            .setTransportChannelProvider(
                FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build());
  }

  private static Secret automatic() {
    return Secret.newBuilder()
        .setReplication(
            Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()))
        .build();
  }

  private static SecretPayload payload(String text) {
    return SecretPayload.newBuilder().setData(ByteString.copyFromUtf8(text)).build();
  }

  private static StatusCode.Code codeOf(Runnable call) {
    try {
      call.run();
    } catch (ApiException e) {
      return e.getStatusCode().getCode();
    }
    throw new AssertionError("no error");
  }

  @Nested
  @DisplayName("answers like Secret Manager")
  class Answers {
    @Test
    @DisplayName("create, add, access (versions/N, latest), get, delete, with project numbers")
    void lifecycle() {
      Secret created = client.createSecret(PROJECT, "s1", automatic());
      assertThat(created.getName())
          .isEqualTo("projects/" + FakeSecretManager.DEFAULT_PROJECT_NUMBER + "/secrets/s1");
      assertThat(created.hasCreateTime()).isTrue();
      SecretVersion v1 = client.addSecretVersion(created.getName(), payload("one"));
      assertThat(v1.getName()).endsWith("/secrets/s1/versions/1");
      assertThat(v1.getState()).isEqualTo(SecretVersion.State.ENABLED);
      client.addSecretVersion(PROJECT + "/secrets/s1", payload("two"));

      AccessSecretVersionResponse first =
          client.accessSecretVersion(PROJECT + "/secrets/s1/versions/1");
      assertThat(first.getPayload().getData().toStringUtf8()).isEqualTo("one");
      CRC32C crc = new CRC32C();
      crc.update("one".getBytes(StandardCharsets.UTF_8));
      assertThat(first.getPayload().getDataCrc32C()).isEqualTo(crc.getValue());
      AccessSecretVersionResponse latest =
          client.accessSecretVersion(PROJECT + "/secrets/s1/versions/latest");
      assertThat(latest.getPayload().getData().toStringUtf8()).isEqualTo("two");
      assertThat(latest.getName()).endsWith("/versions/2");

      assertThat(client.getSecret(PROJECT + "/secrets/s1").getReplication().hasAutomatic())
          .isTrue();
      client.deleteSecret(PROJECT + "/secrets/s1");
      assertThat(fake.secretIds()).isEmpty();
    }

    @Test
    @DisplayName("status codes: ALREADY_EXISTS, NOT_FOUND, INVALID_ARGUMENT, PERMISSION_DENIED")
    void statusCodes() {
      client.createSecret(PROJECT, "s1", automatic());
      assertThat(codeOf(() -> client.createSecret(PROJECT, "s1", automatic())))
          .isEqualTo(StatusCode.Code.ALREADY_EXISTS);
      assertThat(codeOf(() -> client.createSecret(PROJECT, "bad.id", automatic())))
          .isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
      assertThat(codeOf(() -> client.createSecret(PROJECT, "x".repeat(256), automatic())))
          .isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
      assertThat(codeOf(() -> client.createSecret(PROJECT, "norepl", Secret.getDefaultInstance())))
          .isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
      assertThat(codeOf(() -> client.createSecret("projects/other", "s2", automatic())))
          .isEqualTo(StatusCode.Code.PERMISSION_DENIED);
      assertThat(codeOf(() -> client.accessSecretVersion(PROJECT + "/secrets/s1/versions/1")))
          .as("no versions yet")
          .isEqualTo(StatusCode.Code.NOT_FOUND);
      client.addSecretVersion(PROJECT + "/secrets/s1", payload("one"));
      assertThat(codeOf(() -> client.accessSecretVersion(PROJECT + "/secrets/s1/versions/2")))
          .isEqualTo(StatusCode.Code.NOT_FOUND);
      assertThat(codeOf(() -> client.accessSecretVersion(PROJECT + "/secrets/s1/versions/0")))
          .isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
      assertThat(codeOf(() -> client.accessSecretVersion(PROJECT + "/secrets/nope/versions/1")))
          .isEqualTo(StatusCode.Code.NOT_FOUND);
      assertThat(codeOf(() -> client.addSecretVersion(PROJECT + "/secrets/nope", payload("x"))))
          .isEqualTo(StatusCode.Code.NOT_FOUND);
      assertThat(codeOf(() -> client.getSecret(PROJECT + "/secrets/nope")))
          .isEqualTo(StatusCode.Code.NOT_FOUND);
      assertThat(codeOf(() -> client.deleteSecret(PROJECT + "/secrets/nope")))
          .isEqualTo(StatusCode.Code.NOT_FOUND);
      assertThat(
              codeOf(
                  () ->
                      client.addSecretVersion(
                          PROJECT + "/secrets/s1",
                          SecretPayload.newBuilder()
                              .setData(ByteString.copyFrom(new byte[65537]))
                              .build())))
          .isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    }

    @Test
    @DisplayName("a wrong data_crc32c on add is INVALID_ARGUMENT and stores nothing")
    void crcMismatchOnAdd() {
      client.createSecret(PROJECT, "s1", automatic());
      assertThat(
              codeOf(
                  () ->
                      client.addSecretVersion(
                          AddSecretVersionRequest.newBuilder()
                              .setParent(PROJECT + "/secrets/s1")
                              .setPayload(payload("one").toBuilder().setDataCrc32C(12345))
                              .build())))
          .isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
      assertThat(fake.versionCount("s1")).isZero();
    }

    @Test
    @DisplayName("ListSecrets pages with page_size / page_token, in creation order")
    void paging() {
      for (String id : List.of("c", "a", "b", "e", "d")) {
        client.createSecret(PROJECT, id, automatic());
      }
      List<String> names = new ArrayList<>();
      String token = "";
      int pages = 0;
      do {
        ListSecretsResponse page =
            client
                .listSecretsCallable()
                .call(
                    ListSecretsRequest.newBuilder()
                        .setParent(PROJECT)
                        .setPageSize(2)
                        .setPageToken(token)
                        .build());
        page.getSecretsList().forEach(s -> names.add(s.getName()));
        assertThat(page.getTotalSize()).isEqualTo(5);
        token = page.getNextPageToken();
        pages++;
      } while (!token.isEmpty());
      assertThat(pages).isEqualTo(3);
      String prefix = "projects/" + FakeSecretManager.DEFAULT_PROJECT_NUMBER + "/secrets/";
      assertThat(names)
          .containsExactly(prefix + "c", prefix + "a", prefix + "b", prefix + "e", prefix + "d");
      assertThat(
              codeOf(
                  () ->
                      client
                          .listSecretsCallable()
                          .call(
                              ListSecretsRequest.newBuilder()
                                  .setParent(PROJECT)
                                  .setPageToken("garbage")
                                  .build())))
          .isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
      // the paged iterator of the official client follows the tokens too
      fake.maxPageSize(2);
      List<String> all = new ArrayList<>();
      client.listSecrets(PROJECT).iterateAll().forEach(s -> all.add(s.getName()));
      assertThat(all).hasSize(5);
    }
  }

  @Nested
  @DisplayName("faults")
  class Faults {
    @Test
    @DisplayName("failNext fails exactly N calls of one method and counts them")
    void failNext() {
      fake.failNext(FakeSecretManager.Method.GET_SECRET, Status.Code.INTERNAL, 2);
      client.createSecret(PROJECT, "s1", automatic());
      // GetSecret is not retried on INTERNAL by the client defaults
      assertThat(codeOf(() -> client.getSecret(PROJECT + "/secrets/s1")))
          .isEqualTo(StatusCode.Code.INTERNAL);
      assertThat(codeOf(() -> client.getSecret(PROJECT + "/secrets/s1")))
          .isEqualTo(StatusCode.Code.INTERNAL);
      assertThat(client.getSecret(PROJECT + "/secrets/s1").getName()).endsWith("/s1");
      assertThat(fake.calls(FakeSecretManager.Method.GET_SECRET)).isEqualTo(3);
      assertThat(fake.calls(FakeSecretManager.Method.CREATE_SECRET)).isEqualTo(1);
      fake.resetCalls();
      assertThat(fake.calls(FakeSecretManager.Method.GET_SECRET)).isZero();
    }

    @Test
    @DisplayName("corruptChecksums answers a wrong crc; clearFaults restores it")
    void corruptChecksums() {
      fake.createSecret("s1");
      fake.addSecretVersion("s1", "one".getBytes(StandardCharsets.UTF_8));
      fake.corruptChecksums(true);
      CRC32C crc = new CRC32C();
      crc.update("one".getBytes(StandardCharsets.UTF_8));
      assertThat(
              client
                  .accessSecretVersion(PROJECT + "/secrets/s1/versions/1")
                  .getPayload()
                  .getDataCrc32C())
          .isNotEqualTo(crc.getValue());
      fake.clearFaults();
      assertThat(
              client
                  .accessSecretVersion(PROJECT + "/secrets/s1/versions/1")
                  .getPayload()
                  .getDataCrc32C())
          .isEqualTo(crc.getValue());
    }

    @Test
    @DisplayName("direct API validates like the service")
    void directApi() {
      assertThatThrownBy(() -> fake.createSecret("a.b"))
          .isInstanceOf(IllegalArgumentException.class);
      fake.createSecret("s1");
      assertThatThrownBy(() -> fake.createSecret("s1")).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> fake.addSecretVersion("nope", new byte[1]))
          .isInstanceOf(IllegalStateException.class);
      assertThat(fake.payload("s1", 1)).isEmpty();
      assertThat(fake.addSecretVersion("s1", new byte[] {7})).isEqualTo(1);
      assertThat(fake.payload("s1", 1)).hasValueSatisfying(p -> assertThat(p).containsExactly(7));
      assertThat(fake.versionHadChecksum("s1", 1)).isFalse();
    }
  }

  @Nested
  @DisplayName("transports")
  class Transports {
    @Test
    @DisplayName("serves in-process too")
    void inProcess() throws Exception {
      fake.startInProcess("fake-sm-test");
      ManagedChannel inProcess = InProcessChannelBuilder.forName("fake-sm-test").build();
      try (SecretManagerServiceClient c = clientOver(inProcess)) {
        c.createSecret(PROJECT, "via-in-process", automatic());
        assertThat(fake.secretIds()).containsExactly("via-in-process");
      } finally {
        inProcess.shutdownNow();
      }
    }

    @Test
    @DisplayName("runs as a process: prints its port and serves a store until killed")
    void asProcess() throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb =
          new ProcessBuilder(
              java,
              "-cp",
              System.getProperty("java.class.path"),
              FakeSecretManager.class.getName(),
              "--port",
              "0",
              "--project",
              "proc-project");
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process process = pb.start();
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("first line: the port").matches("[0-9]+");
        int port = Integer.parseInt(line);
        try (KeyStore store =
            GcpSecretManagerKeyStore.builder()
                .projectId("proc-project")
                .endpoint("http://127.0.0.1:" + port)
                .timeout(Duration.ofSeconds(5))
                .build()) {
          store.create("k", new byte[] {1, 2, 3});
          assertThat(store.get("k")).containsExactly(1, 2, 3);
        }
        assertThat(process.isAlive()).isTrue();
      } finally {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }
}
