package dev.kes4j.keystore.gcp.fake;

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
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /** Google's client over a plaintext channel of its own to 127.0.0.1:port. */
  private record Connection(ManagedChannel channel, SecretManagerServiceClient client)
      implements AutoCloseable {
    static Connection to(int port) throws Exception {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      return new Connection(channel, clientOver(channel));
    }

    @Override
    public void close() throws InterruptedException {
      client.close();
      channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
  }

  /** Create, add version 1, access it back: what the GCP key store does for one key. */
  private static String roundTrip(SecretManagerServiceClient c, String project, String id) {
    Secret created = c.createSecret("projects/" + project, id, automatic());
    c.addSecretVersion(created.getName(), payload("value of " + id));
    String read =
        c.accessSecretVersion("projects/" + project + "/secrets/" + id + "/versions/1")
            .getPayload()
            .getData()
            .toStringUtf8();
    assertThat(read).isEqualTo("value of " + id);
    return created.getName();
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
      // PERMISSION_DENIED: only when pinned to one project (Projects.pinned)
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
    @DisplayName("runs as a process: port first, then what it serves; any project over real gRPC")
    void asProcessServingAnyProject() throws Exception {
      Process process = startProcess("--port", "0");
      try {
        List<String> banner = readBanner(process);
        int port = Integer.parseInt(banner.get(0));
        String text = String.join("\n", banner);
        assertThat(text)
            .contains("address:  127.0.0.1:" + port)
            .contains("projects: any")
            .contains("endpoint: http://127.0.0.1:" + port)
            .contains("SECRET_MANAGER_EMULATOR_HOST=127.0.0.1:" + port);
        try (Connection conn = Connection.to(port)) {
          SecretManagerServiceClient c = conn.client();
          assertThat(roundTrip(c, "my-project", "k")).endsWith("/secrets/k");
          assertThat(roundTrip(c, "another-project", "k")).endsWith("/secrets/k");
          assertThat(roundTrip(c, FakeSecretManager.DEFAULT_PROJECT_ID, "k"))
              .isEqualTo("projects/" + FakeSecretManager.DEFAULT_PROJECT_NUMBER + "/secrets/k");
        }
        assertThat(process.isAlive()).isTrue();
      } finally {
        stopProcess(process);
      }
    }

    @Test
    @DisplayName("runs as a process with --project: that project only, others PERMISSION_DENIED")
    void asProcessPinned() throws Exception {
      Process process =
          startProcess("--port", "0", "--project", "proc-project", "--project-number", "42");
      try {
        List<String> banner = readBanner(process);
        int port = Integer.parseInt(banner.get(0));
        assertThat(String.join("\n", banner))
            .contains("projects: proc-project (number 42) only")
            .contains("project_id: proc-project")
            .doesNotContain("projects: any");
        try (Connection conn = Connection.to(port)) {
          SecretManagerServiceClient c = conn.client();
          assertThat(roundTrip(c, "proc-project", "k")).isEqualTo("projects/42/secrets/k");
          assertThat(c.getSecret("projects/42/secrets/k").getName())
              .isEqualTo("projects/42/secrets/k");
          assertThat(codeOf(() -> c.createSecret("projects/my-project", "k", automatic())))
              .isEqualTo(StatusCode.Code.PERMISSION_DENIED);
        }
      } finally {
        stopProcess(process);
      }
    }

    @Test
    @DisplayName("a bad argument exits with status 2 and the usage")
    void badArgument() throws Exception {
      for (List<String> args :
          List.of(List.of("--bogus"), List.of("--project-number", "7"), List.of("--port"))) {
        ProcessBuilder pb = processBuilder(args.toArray(String[]::new));
        pb.redirectErrorStream(true);
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit status for %s", args).isEqualTo(2);
        assertThat(out).contains("usage:");
      }
    }

    private static ProcessBuilder processBuilder(String... args) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>();
      command.add(java);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(FakeSecretManager.class.getName());
      command.addAll(List.of(args));
      return new ProcessBuilder(command);
    }

    private static Process startProcess(String... args) throws Exception {
      ProcessBuilder pb = processBuilder(args);
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      return pb.start();
    }

    /** The lines the process prints up to and including the Ctrl-C line. */
    private static List<String> readBanner(Process process) throws Exception {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      String line = out.readLine();
      assertThat(line).as("first line: the port").isNotNull().matches("[0-9]+");
      lines.add(line);
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.contains("Ctrl-C")) {
          break;
        }
      }
      return lines;
    }

    private static void stopProcess(Process process) throws Exception {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Nested
  @DisplayName("projects")
  class Projects {
    @Test
    @DisplayName("serves any project by default, each its own namespace, with stable numbers")
    void anyProject() {
      assertThat(fake.servesAnyProject()).isTrue();
      String mine = roundTrip(client, "my-project", "shared-name");
      String theirs = roundTrip(client, "their-project", "shared-name");
      long myNumber = fake.projectNumberOf("my-project");
      assertThat(mine).isEqualTo("projects/" + myNumber + "/secrets/shared-name");
      assertThat(theirs)
          .isEqualTo("projects/" + fake.projectNumberOf("their-project") + "/secrets/shared-name");
      assertThat(myNumber)
          .isNotEqualTo(fake.projectNumberOf("their-project"))
          .isBetween(100_000_000_000L, 999_999_999_999L);
      try (FakeSecretManager other = new FakeSecretManager()) {
        assertThat(other.projectNumberOf("my-project"))
            .as("the same number in every fake")
            .isEqualTo(myNumber);
      }

      // a project's number addresses the same secrets as its id
      assertThat(
              client
                  .accessSecretVersion("projects/" + myNumber + "/secrets/shared-name/versions/1")
                  .getPayload()
                  .getData()
                  .toStringUtf8())
          .isEqualTo("value of shared-name");
      // one project's secrets are invisible to another (and to the default project)
      client.deleteSecret("projects/their-project/secrets/shared-name");
      assertThat(client.getSecret("projects/my-project/secrets/shared-name").getName())
          .isEqualTo(mine);
      assertThat(codeOf(() -> client.getSecret("projects/their-project/secrets/shared-name")))
          .isEqualTo(StatusCode.Code.NOT_FOUND);
      assertThat(fake.secretIds("my-project")).containsExactly("shared-name");
      assertThat(fake.secretIds(Long.toString(myNumber))).containsExactly("shared-name");
      assertThat(fake.secretIds("their-project")).isEmpty();
      assertThat(fake.secretIds()).as("the default project").isEmpty();
    }

    @Test
    @DisplayName("ListSecrets lists one project only, with its own total_size")
    void listPerProject() {
      client.createSecret("projects/p-one", "a", automatic());
      client.createSecret("projects/p-one", "b", automatic());
      client.createSecret("projects/p-two", "c", automatic());
      Map<String, List<String>> listed = new java.util.TreeMap<>();
      for (String project : List.of("p-one", "p-two", "p-three")) {
        ListSecretsResponse page =
            client
                .listSecretsCallable()
                .call(ListSecretsRequest.newBuilder().setParent("projects/" + project).build());
        listed.put(
            project,
            page.getSecretsList().stream()
                .map(x -> x.getName().substring(x.getName().lastIndexOf('/') + 1))
                .toList());
        assertThat(page.getTotalSize()).isEqualTo(page.getSecretsCount());
      }
      assertThat(listed)
          .containsEntry("p-one", List.of("a", "b"))
          .containsEntry("p-two", List.of("c"))
          .containsEntry("p-three", List.of());
    }

    @Test
    @DisplayName("a pinned project is served by id and number; every other is PERMISSION_DENIED")
    void pinned() throws Exception {
      try (FakeSecretManager pinned =
          FakeSecretManager.builder().project("only-project", 777).build().start()) {
        assertThat(pinned.servesAnyProject()).isFalse();
        try (Connection conn = Connection.to(pinned.port())) {
          SecretManagerServiceClient c = conn.client();
          assertThat(roundTrip(c, "only-project", "k")).isEqualTo("projects/777/secrets/k");
          assertThat(c.getSecret("projects/777/secrets/k").getName())
              .isEqualTo("projects/777/secrets/k");
          for (String other :
              List.of("my-project", FakeSecretManager.DEFAULT_PROJECT_ID, "778", "123")) {
            assertThat(codeOf(() -> c.createSecret("projects/" + other, "k", automatic())))
                .as("create in %s", other)
                .isEqualTo(StatusCode.Code.PERMISSION_DENIED);
            assertThat(codeOf(() -> c.getSecret("projects/" + other + "/secrets/k")))
                .as("get in %s", other)
                .isEqualTo(StatusCode.Code.PERMISSION_DENIED);
            assertThat(
                    codeOf(
                        () -> c.accessSecretVersion("projects/" + other + "/secrets/k/versions/1")))
                .as("access in %s", other)
                .isEqualTo(StatusCode.Code.PERMISSION_DENIED);
            assertThat(codeOf(() -> c.listSecrets("projects/" + other).iterateAll().iterator()))
                .as("list in %s", other)
                .isEqualTo(StatusCode.Code.PERMISSION_DENIED);
          }
        }
        assertThat(pinned.secretIds()).containsExactly("k");
        assertThatThrownBy(() -> pinned.projectNumberOf("my-project"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(pinned.toString()).contains("only-project (777)");
      }
    }

    @Test
    @DisplayName("the builder serves any project unless told otherwise, and validates")
    void builder() {
      try (FakeSecretManager any = FakeSecretManager.builder().build();
          FakeSecretManager pinned = FakeSecretManager.builder().project("p-id").build();
          FakeSecretManager undone =
              FakeSecretManager.builder().project("p-id").anyProject().build()) {
        assertThat(any.servesAnyProject()).isTrue();
        assertThat(any.projectId()).isEqualTo(FakeSecretManager.DEFAULT_PROJECT_ID);
        assertThat(pinned.servesAnyProject()).isFalse();
        assertThat(pinned.projectId()).isEqualTo("p-id");
        assertThat(pinned.projectNumber()).isEqualTo(FakeSecretManager.DEFAULT_PROJECT_NUMBER);
        assertThat(undone.servesAnyProject()).isTrue();
      }
      for (String bad : List.of("", "a/b", "12345")) {
        assertThatThrownBy(() -> FakeSecretManager.builder().project(bad).build())
            .as("project id %s", bad)
            .isInstanceOf(IllegalArgumentException.class);
      }
      assertThatThrownBy(() -> FakeSecretManager.builder().project("p-id", 0).build())
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
