package dev.kes4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.core.KesConfig;
import dev.kes4j.keystore.gcp.fake.FakeSecretManager;
import dev.kes4j.policy.internal.pki.Pem;
import dev.kes4j.policy.internal.pki.Pki;
import dev.kes4j.server.internal.ConfigServer;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kes4j server --config}: local settings are checked before the key store is touched, store
 * failures say which key and why, and the banner names the store. Over the Secret Manager fake
 * (real gRPC, Google's client), whose call counters show whether the store was touched.
 */
class ConfigServerStartupTest {
  static final TestCerts CERTS = new TestCerts();
  static final Pki.Issued ADMIN = TestCerts.selfSigned("admin", true);

  @TempDir Path dir;
  FakeSecretManager fake;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(dir.resolve("s.key"), Pem.encode(CERTS.server.privateKey()));
    Files.writeString(dir.resolve("s.cert"), Pem.encode(CERTS.server.certificate()));
  }

  @AfterEach
  void stopFake() {
    if (fake != null) {
      fake.close();
    }
  }

  String config(String project, String tls, String address) {
    return "address: "
        + address
        + "\nadmin:\n  identity: "
        + TestCerts.identity(ADMIN).value()
        + "\ntls:\n"
        + tls
        + "keys:\n  - name: my-key\n  - name: other-key\n"
        + "keystore:\n  gcp:\n    secretmanager:\n      project_id: "
        + project
        + "\n      endpoint: "
        + fake.endpoint()
        + "\n";
  }

  static final String GOOD_TLS = "  key: s.key\n  cert: s.cert\n";

  ConfigServer start(String yaml) {
    return ConfigServer.start(
        KesConfig.parse(yaml),
        ConfigServer.Overrides.none(),
        dir,
        KeyStores.discover(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  long storeCalls() {
    long n = 0;
    for (FakeSecretManager.Method m : FakeSecretManager.Method.values()) {
      n += fake.calls(m);
    }
    return n;
  }

  @Test
  void aMissingTlsFileFailsBeforeTheStoreIsTouched() {
    fake = new FakeSecretManager().start();
    String yaml = config("my-project", "  key: missing.key\n  cert: s.cert\n", "127.0.0.1:0");
    assertThatThrownBy(() -> start(yaml)).isInstanceOf(KesConfigException.class);
    assertThat(storeCalls()).isZero();
    assertThat(fake.secretIds("my-project")).isEmpty();
  }

  @Test
  void aBadCertificateFailsBeforeTheStoreIsTouched() throws Exception {
    fake = new FakeSecretManager().start();
    Files.writeString(dir.resolve("bad.cert"), "-----BEGIN CERTIFICATE-----\nnot base64\n");
    String yaml = config("my-project", "  key: s.key\n  cert: bad.cert\n", "127.0.0.1:0");
    assertThatThrownBy(() -> start(yaml)).isInstanceOf(KesConfigException.class);
    assertThat(storeCalls()).isZero();
  }

  @Test
  void aTakenAddressFailsBeforeAnyKeyIsCreated() throws Exception {
    fake = new FakeSecretManager().start();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String yaml = config("my-project", GOOD_TLS, "127.0.0.1:" + taken.getLocalPort());
      assertThatThrownBy(() -> start(yaml))
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
    assertThat(storeCalls()).isZero();
    assertThat(fake.secretIds("my-project")).isEmpty();
  }

  @Test
  void anInvalidAddressFailsBeforeAnyKeyIsCreated() {
    fake = new FakeSecretManager().start();
    assertThatThrownBy(() -> start(config("my-project", GOOD_TLS, "localhost:99999")))
        .hasMessageContaining("invalid address 'localhost:99999'");
    assertThat(storeCalls()).isZero();
  }

  @Test
  void keysAreCreatedOnceTheServerIsBoundAndTheBannerNamesTheStore() throws Exception {
    fake = new FakeSecretManager().start();
    try (ConfigServer s = start(config("my-project", GOOD_TLS, "127.0.0.1:0"))) {
      assertThat(fake.secretIds("my-project")).containsExactlyInAnyOrder("my-key", "other-key");
      String banner = s.banner(Duration.ofMillis(1234));
      assertThat(banner)
          .contains(
              "Keystore   gcp.secretmanager: project 'my-project', endpoint "
                  + fake.endpoint().substring("http://".length())
                  + " (emulator, plaintext)\n")
          .contains("Endpoint   https://127.0.0.1:" + s.server().address().getPort() + "\n")
          .contains("Admin      " + TestCerts.identity(ADMIN).value() + "\n")
          .contains("Ready in   1.23 s");
    }
  }

  @Test
  void aPermissionDeniedStartupKeySaysWhichKeyAndWhyAndLeavesNoServer() throws Exception {
    fake = FakeSecretManager.builder().project("kes4j-test").build().start();
    String yaml = config("p", GOOD_TLS, "127.0.0.1:0");
    assertThatThrownBy(() -> start(yaml))
        .isInstanceOf(KesException.class)
        .hasMessageStartingWith(
            "failed to create key \"my-key\": permission denied by the key store: Permission"
                + " 'secretmanager.secrets.create' denied for resource 'projects/p'")
        .hasMessageContaining("(CreateSecret: PERMISSION_DENIED)")
        .hasMessageNotContaining("Exception");
  }

  @Test
  void aClientSeesKesTextWhileTheLogSaysWhichKeyAndWhy() throws Exception {
    fake = new FakeSecretManager().start();
    PrintStream originalErr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (ConfigServer s = start(config("my-project", GOOD_TLS, "127.0.0.1:0"))) {
      fake.failNext(FakeSecretManager.Method.CREATE_SECRET, Status.Code.PERMISSION_DENIED, 1);
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      HttpResponse<String> r;
      try {
        HttpClient c =
            HttpClient.newBuilder()
                .sslContext(CERTS.clientContext(ADMIN))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        r =
            c.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "https://127.0.0.1:"
                                + s.server().address().getPort()
                                + "/v1/key/create/new-key"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      } finally {
        System.setErr(originalErr);
      }
      // spec §1.2/§5.3: the body keeps KES's fixed text
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.body()).isEqualTo("{\"message\":\"failed to create key\"\n}");
    }
    String printed = log.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains(
            "POST /v1/key/create/new-key: failed to create key \"new-key\": permission denied by"
                + " the key store: ")
        .contains("(CreateSecret: PERMISSION_DENIED)")
        .doesNotContain("Exception");
  }

  @Test
  void startupWithoutKeysCreatesNothing() {
    fake = new FakeSecretManager().start();
    String yaml =
        config("my-project", GOOD_TLS, "127.0.0.1:0")
            .replace("keys:\n  - name: my-key\n  - name: other-key\n", "");
    try (ConfigServer s = start(yaml)) {
      assertThat(fake.calls(FakeSecretManager.Method.CREATE_SECRET)).isZero();
      assertThat(s.server().address().getPort()).isPositive();
    }
  }

  static double heapObjects(ConfigServer s) throws Exception {
    HttpClient c =
        HttpClient.newBuilder()
            .sslContext(CERTS.clientContext(ADMIN))
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    String body =
        c.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "https://127.0.0.1:" + s.server().address().getPort() + "/v1/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    String line =
        body.lines()
            .filter(l -> l.startsWith("kes_system_mem_heap_objects "))
            .findFirst()
            .orElseThrow();
    return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
  }

  @Test
  void metricsCountHeapObjectsUnlessTheConfigTurnsItOff() throws Exception {
    fake = new FakeSecretManager().start();
    String yaml = config("my-project", GOOD_TLS, "127.0.0.1:0");
    try (ConfigServer s = start(yaml)) {
      assertThat(heapObjects(s)).isGreaterThan(10_000);
    }
    try (ConfigServer s = start(yaml + "kes4j:\n  heap_objects: off\n")) {
      assertThat(heapObjects(s)).isZero();
    }
  }
}
