package dev.kes4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.DecryptRequest;
import dev.kes4j.api.DecryptionException;
import dev.kes4j.api.Identity;
import dev.kes4j.api.InvalidNameException;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.NotAuthorizedException;
import dev.kes4j.api.Page;
import dev.kes4j.core.KesConfig;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.testkit.FaultyKeyStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link KesClient} against real kes4j servers over mutual TLS. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KesClientTest {
  TestServer current;
  TestServer legacy;
  KesClient currentAdmin;
  KesClient legacyAdmin;
  @TempDir Path dir;

  @BeforeAll
  void start() {
    current = new TestServer(KesConfig.ErrorMessages.CURRENT, false);
    legacy = new TestServer(KesConfig.ErrorMessages.LEGACY, true);
    currentAdmin = current.admin();
    legacyAdmin = legacy.admin();
  }

  @AfterAll
  void stop() {
    currentAdmin.close();
    legacyAdmin.close();
    current.close();
    legacy.close();
  }

  /** The server with CURRENT error strings and JSON listing, or LEGACY strings and ndjson. */
  TestServer server(KesConfig.ErrorMessages mode) {
    return mode == KesConfig.ErrorMessages.CURRENT ? current : legacy;
  }

  KesClient app(TestServer s) {
    Path key = TestPki.write(dir.resolve("app.key"), TestPki.pkcs8(TestServer.APP.privateKey()));
    Path cert = TestPki.write(dir.resolve("app.cert"), TestPki.pem(TestServer.APP.certificate()));
    return s.clientBuilder().certificateFile(cert).privateKeyFile(key).build();
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Nested
  class ErrorMapping {
    @ParameterizedTest
    @EnumSource(KesConfig.ErrorMessages.class)
    void everyErrorMapsToTheEngineException(KesConfig.ErrorMessages mode) {
      TestServer s = server(mode);
      try (KesClient admin = s.admin();
          KesClient app = app(s);
          KesClient stranger = s.clientBuilder().apiKey(TestServer.STRANGER.encode()).build()) {
        String name = KeyServiceContract.unique("app-err");
        admin.createKey(name);
        assertThatThrownBy(() -> admin.createKey(name))
            .isExactlyInstanceOf(KeyExistsException.class)
            .hasMessage(KeyExistsException.MESSAGE);
        assertThatThrownBy(() -> admin.describeKey(name + "x"))
            .isExactlyInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> admin.decrypt(name, new byte[] {1, 2}, null))
            .isExactlyInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> admin.createKey("a b"))
            .isExactlyInstanceOf(InvalidNameException.class)
            .hasMessage(InvalidNameException.keyName("a b").getMessage());
        assertThatThrownBy(() -> stranger.createKey(KeyServiceContract.unique("app-x")))
            .isExactlyInstanceOf(NotAuthorizedException.class)
            .hasMessage(NotAuthorizedException.MESSAGE);
        assertThatThrownBy(() -> app.createKey(KeyServiceContract.unique("app-forbidden")))
            .isExactlyInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> app.deleteKey(name))
            .isExactlyInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> admin.readPolicy("nope"))
            .isExactlyInstanceOf(KesException.class)
            .hasMessage("policy does not exist")
            .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(404));
      }
    }

    @Test
    void keyStoreFailuresMapToKeyStoreUnreachable() {
      FaultyKeyStore store = FaultyKeyStore.wrap(new MemKeyStore());
      try (TestServer s = new TestServer(KesConfig.ErrorMessages.CURRENT, false, store);
          KesClient admin =
              s.clientBuilder().apiKey(TestServer.ADMIN.encode()).retries(0).build()) {
        store.outage();
        assertThatThrownBy(() -> admin.createKey("k"))
            .isInstanceOf(KeyStoreUnreachableException.class)
            .satisfies(e -> assertThat(((KesException) e).status()).isIn(502, 504));
        assertThat(admin.status().keyStoreReachable()).isFalse();
        store.recover();
        admin.createKey("k");
        assertThat(admin.status().keyStoreReachable()).isTrue();
      }
    }

    @Test
    void slowServerTimesOut() {
      FaultyKeyStore store = FaultyKeyStore.wrap(new MemKeyStore());
      try (TestServer s = new TestServer(KesConfig.ErrorMessages.CURRENT, false, store);
          KesClient admin =
              s.clientBuilder()
                  .apiKey(TestServer.ADMIN.encode())
                  .timeout(Duration.ofMillis(300))
                  .retries(0)
                  .build()) {
        store.latency(Duration.ofSeconds(2));
        assertThatThrownBy(() -> admin.createKey("slow"))
            .isExactlyInstanceOf(KesException.class)
            .hasMessageContaining("did not answer within")
            .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(504));
        store.latency(Duration.ZERO);
      }
    }
  }

  @Nested
  class Listings {
    @ParameterizedTest
    @EnumSource(KesConfig.ErrorMessages.class)
    void pagesInBothForms(KesConfig.ErrorMessages mode) {
      TestServer s = server(mode);
      try (KesClient admin = s.admin()) {
        String prefix = KeyServiceContract.unique("ls") + "-";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          names.add(prefix + i);
          admin.createKey(prefix + i);
        }
        List<String> seen = new ArrayList<>();
        String next = "";
        do {
          Page<String> p = admin.listKeys(prefix, next, 2);
          assertThat(p.items().size()).isLessThanOrEqualTo(2);
          seen.addAll(p.items());
          next = p.continueAt();
        } while (!next.isEmpty());
        assertThat(seen).isEqualTo(names);
        assertThat(admin.listKeys(prefix + "*", "", 0).items()).isEqualTo(names);
        assertThat(admin.listKeys(prefix + "3", "", 0).items()).containsExactly(prefix + 3);
      }
    }
  }

  @Nested
  class OlderServers {
    @Test
    void speaksToAKes016StyleFront() throws Exception {
      try (OldServerFront old = new OldServerFront(legacy.api);
          KesClient admin =
              KesClient.builder()
                  .endpoints(old.endpoint())
                  .caCertificates(List.of(TestServer.CA.certificate()))
                  .apiKey(TestServer.ADMIN.encode())
                  .build()) {
        String prefix = KeyServiceContract.unique("old") + "-";
        admin.createKey(prefix + "a");
        admin.createKey(prefix + "b");
        // 0.16 error bodies, legacy strings
        assertThatThrownBy(() -> admin.createKey(prefix + "a"))
            .isExactlyInstanceOf(KeyExistsException.class);
        // {"Name":..} lines without Content-Type
        assertThat(admin.listKeys(prefix, "", 0).items())
            .containsExactly(prefix + "a", prefix + "b");
        Page<String> first = admin.listKeys(prefix, "", 1);
        assertThat(first.items()).containsExactly(prefix + "a");
        assertThat(first.continueAt()).isEqualTo(prefix + "b");
        // no bulk route: single decrypts, twice (the second time without trying the route)
        DataKey d1 = admin.generateKey(prefix + "a", new byte[] {1});
        DataKey d2 = admin.generateKey(prefix + "a", null);
        for (int round = 0; round < 2; round++) {
          List<byte[]> out =
              admin.decryptAll(
                  prefix + "a",
                  List.of(
                      DecryptRequest.of(d1.ciphertext(), new byte[] {1}),
                      DecryptRequest.of(d2.ciphertext(), null)));
          assertThat(out.get(0)).isEqualTo(d1.plaintext());
          assertThat(out.get(1)).isEqualTo(d2.plaintext());
        }
        assertThatThrownBy(
                () ->
                    admin.decryptAll(
                        prefix + "a", List.of(DecryptRequest.of(d1.ciphertext(), null))))
            .isExactlyInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> admin.decryptAll(prefix + "zz", List.of()))
            .isExactlyInstanceOf(KeyNotFoundException.class);
      }
    }
  }

  @Nested
  class BulkDecryptAuthorization {
    @Test
    void aPolicyWithoutTheBulkRouteFallsBackToSingleDecryptions() {
      // the "app" policy allows /v1/key/decrypt/app-* but not /v1/key/bulk/decrypt/
      try (KesClient app = app(current)) {
        String name = KeyServiceContract.unique("app-bulk");
        currentAdmin.createKey(name);
        DataKey d1 = app.generateKey(name, new byte[] {7});
        DataKey d2 = app.generateKey(name, null);
        for (int round = 0; round < 2; round++) {
          List<byte[]> out =
              app.decryptAll(
                  name,
                  List.of(
                      DecryptRequest.of(d1.ciphertext(), new byte[] {7}),
                      DecryptRequest.of(d2.ciphertext(), null)));
          assertThat(out.get(0)).isEqualTo(d1.plaintext());
          assertThat(out.get(1)).isEqualTo(d2.plaintext());
        }
        // still all-or-nothing, and each item authorized on its own
        assertThatThrownBy(
                () -> app.decryptAll(name, List.of(DecryptRequest.of(d1.ciphertext(), null))))
            .isExactlyInstanceOf(DecryptionException.class);
        String other = KeyServiceContract.unique("other-bulk");
        currentAdmin.createKey(other);
        byte[] ct = currentAdmin.generateKey(other, null).ciphertext();
        assertThatThrownBy(() -> app.decryptAll(other, List.of(DecryptRequest.of(ct, null))))
            .isExactlyInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> app.decryptAll(name, List.of()))
            .isExactlyInstanceOf(NotAuthorizedException.class);
        // the admin's bulk route was not given up for the endpoint
        assertThat(currentAdmin.decryptAll(name, List.of(DecryptRequest.of(d2.ciphertext(), null))))
            .singleElement()
            .isEqualTo(d2.plaintext());
      }
    }
  }

  @Nested
  class Failover {
    @Test
    void movesOnWhenAnEndpointIsDown() throws IOException {
      String down = "https://127.0.0.1:" + closedPort();
      try (KesClient c =
          KesClient.builder()
              .endpoints(down, current.endpoint())
              .caCertificates(List.of(TestServer.CA.certificate()))
              .apiKey(TestServer.ADMIN.encode())
              .retries(0)
              .build()) {
        String name = KeyServiceContract.unique("fo");
        c.createKey(name); // not idempotent, but nothing was sent to the dead endpoint
        DataKey dek = c.generateKey(name, null);
        assertThat(c.decrypt(name, dek.ciphertext(), null)).isEqualTo(dek.plaintext());
        assertThat(c.endpoints()).hasSize(2);
      }
    }

    @Test
    void failsWhenEveryEndpointIsDown() throws IOException {
      try (KesClient c =
          KesClient.builder()
              .endpoints("127.0.0.1:" + closedPort() + ",127.0.0.1:" + closedPort())
              .apiKey(TestServer.ADMIN.encode())
              .retries(1)
              .build()) {
        assertThatThrownBy(() -> c.createKey("k"))
            .isExactlyInstanceOf(KesException.class)
            .hasMessageContaining("cannot connect to KES server")
            .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(503));
        assertThatThrownBy(c::status).hasMessageContaining("cannot connect");
      }
    }

    @Test
    void untrustedServerIsRefusedUnlessInsecure() {
      KesClient.Builder b =
          KesClient.builder().endpoints(current.endpoint()).apiKey(TestServer.ADMIN.encode());
      try (KesClient strict = b.retries(0).build()) {
        assertThatThrownBy(strict::version)
            .isInstanceOf(KesException.class)
            .hasMessageContaining("not issued by a CA this client trusts (the system roots)")
            .hasMessageContaining("set MINIO_KMS_KES_CAPATH")
            .hasMessageNotContaining("PKIX")
            .hasNoCause();
      }
      try (KesClient insecure = b.insecure(true).build()) {
        assertThat(insecure.version()).isNotEmpty();
      }
    }
  }

  @Nested
  class Authentication {
    @Test
    void apiKeyAuthenticatesAsItsIdentity() {
      IdentityInfo self = currentAdmin.describeSelf();
      assertThat(self.identity()).isEqualTo(TestServer.ADMIN.identity().value());
      assertThat(self.admin()).isTrue();
      assertThat(currentAdmin.identity()).contains(TestServer.ADMIN.identity());
    }

    @Test
    void encryptedKeyFileAuthenticatesThePolicyIdentity() {
      char[] pw = "secret".toCharArray();
      Path key =
          TestPki.write(
              dir.resolve("enc.key"), TestPki.encryptedPkcs8(TestServer.APP.privateKey(), pw));
      Path cert = TestPki.write(dir.resolve("enc.cert"), TestPki.pem(TestServer.APP.certificate()));
      try (KesClient app =
          current.clientBuilder().certificateFile(cert).privateKeyFile(key, pw).build()) {
        assertThat(app.identity()).contains(Identity.of(TestServer.APP.certificate()));
        IdentityInfo self = app.describeSelf();
        assertThat(self.admin()).isFalse();
        assertThat(self.policy()).isEqualTo("app");
        assertThat(self.allow()).contains("/v1/key/create/app-*");
        assertThat(self.deny()).containsExactly("/v1/key/create/app-forbidden*");
        String name = KeyServiceContract.unique("app-ok");
        app.createKey(name);
        DataKey dek = app.generateKey(name, null);
        assertThat(app.decrypt(name, dek.ciphertext(), null)).isEqualTo(dek.plaintext());
        assertThat(app.status().keyStoreReachable()).isTrue();
      }
      assertThatThrownBy(
              () ->
                  current
                      .clientBuilder()
                      .certificateFile(cert)
                      .privateKeyFile(key, "bad".toCharArray())
                      .build())
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("x509: decryption password incorrect");
    }

    @Test
    void environmentVariablesConfigureTheClient() {
      Map<String, String> env = new HashMap<>();
      env.put("KES_SERVER", "127.0.0.1:" + current.server.address().getPort());
      env.put("MINIO_KES_API_KEY", TestServer.ADMIN.encode());
      try (KesClient c =
          KesClient.builder()
              .environment(env)
              .caCertificates(List.of(TestServer.CA.certificate()))
              .build()) {
        assertThat(c.describeSelf().admin()).isTrue();
      }
      Path key = TestPki.write(dir.resolve("env.key"), TestPki.pkcs8(TestServer.APP.privateKey()));
      Path cert = TestPki.write(dir.resolve("env.cert"), TestPki.pem(TestServer.APP.certificate()));
      env.remove("MINIO_KES_API_KEY");
      env.put("KES_CLIENT_KEY", key.toString());
      env.put("MINIO_KES_CLIENT_CERT", cert.toString());
      try (KesClient c =
          KesClient.builder()
              .environment(env)
              .caCertificates(List.of(TestServer.CA.certificate()))
              .build()) {
        assertThat(c.describeSelf().policy()).isEqualTo("app");
      }
      env.put("KES_API_KEY", TestServer.ADMIN.encode());
      assertThatThrownBy(() -> KesClient.fromEnvironment(env))
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("mutually exclusive")
          .hasMessageNotContaining(TestServer.ADMIN.encode());
      assertThatThrownBy(() -> KesClient.fromEnvironment(Map.of()))
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("no client credentials");
    }

    @Test
    void fromEnvironmentReadsMinioVariablesAsTheCliDoes() {
      Path key = TestPki.write(dir.resolve("m.key"), TestPki.pkcs8(TestServer.APP.privateKey()));
      Path cert = TestPki.write(dir.resolve("m.cert"), TestPki.pem(TestServer.APP.certificate()));
      Path ca = TestPki.write(dir.resolve("m-ca.cert"), TestPki.pem(TestServer.CA.certificate()));
      Map<String, String> env = new HashMap<>();
      env.put("MINIO_KMS_KES_ENDPOINT", current.endpoint());
      env.put("MINIO_KMS_KES_KEY_FILE", key.toString());
      env.put("MINIO_KMS_KES_CERT_FILE", cert.toString());
      env.put("MINIO_KMS_KES_CAPATH", ca.toString());
      try (KesClient c = KesClient.fromEnvironment(env)) {
        assertThat(c.describeSelf().policy()).isEqualTo("app");
      }
      env.put("MINIO_KMS_KES_CAPATH", dir.toString()); // a directory of PEM files
      try (KesClient c = KesClient.fromEnvironment(env)) {
        assertThat(c.identity()).contains(Identity.of(TestServer.APP.certificate()));
        assertThat(c.status().keyStoreReachable()).isTrue();
      }
      // KES's own credential variables win over MinIO's as a group, without a conflict
      env.put("KES_API_KEY", TestServer.ADMIN.encode());
      try (KesClient c = KesClient.fromEnvironment(env)) {
        assertThat(c.describeSelf().admin()).isTrue();
      }
      // no CA variable: the error says which one to set, not a PKIX trace
      env.remove("MINIO_KMS_KES_CAPATH");
      try (KesClient c = KesClient.fromEnvironment(env)) {
        assertThatThrownBy(c::status)
            .isInstanceOf(KesException.class)
            .hasMessageContaining("MINIO_KMS_KES_CAPATH")
            .hasMessageNotContaining("PKIX")
            .hasMessageNotContaining("sun.security");
      }
    }

    @Test
    void swappedOrMismatchedFilesAreNamed() {
      Path key = TestPki.write(dir.resolve("s.key"), TestPki.pkcs8(TestServer.APP.privateKey()));
      Path cert = TestPki.write(dir.resolve("s.cert"), TestPki.pem(TestServer.APP.certificate()));
      assertThatThrownBy(
              () -> current.clientBuilder().certificateFile(key).privateKeyFile(cert).build())
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("look swapped")
          .hasMessageContaining("certificate file '" + key + "'");
      Map<String, String> env =
          Map.of(
              "KES_SERVER", current.endpoint(),
              "KES_CLIENT_KEY", cert.toString(),
              "KES_CLIENT_CERT", key.toString());
      assertThatThrownBy(() -> KesClient.fromEnvironment(env))
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("look swapped");
      TestPki.Issued other = TestPki.client("other", null, TestPki.ec());
      Path otherCert = TestPki.write(dir.resolve("o.cert"), TestPki.pem(other.certificate()));
      assertThatThrownBy(
              () -> current.clientBuilder().certificateFile(otherCert).privateKeyFile(key).build())
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("certificate file '" + otherCert + "'")
          .hasMessageContaining("private key does not match public key");
      assertThatThrownBy(() -> current.clientBuilder().certificateFile(cert).build())
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("no private key file");
    }

    @Test
    void invalidApiKeyIsAConfigError() {
      assertThatThrownBy(() -> KesClient.builder().apiKey("kes:v1:AAAA").build())
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("invalid API key");
    }
  }

  @Nested
  class Extras {
    @Test
    void versionStatusAndPolicies() {
      assertThat(currentAdmin.version()).isNotEmpty();
      assertThat(currentAdmin.status().version()).isEqualTo(currentAdmin.version());
      assertThat(currentAdmin.listPolicies("")).containsExactly("app");
      assertThat(currentAdmin.listPolicies("a*")).containsExactly("app");
      assertThat(currentAdmin.listPolicies("x*")).isEmpty();
      PolicyInfo read = currentAdmin.readPolicy("app");
      assertThat(read.allow()).contains("/v1/key/list/*").isSorted();
      assertThat(read.deny()).containsExactly("/v1/key/create/app-forbidden*");
      assertThat(read.createdBy()).isEqualTo(TestServer.ADMIN.identity().value());
      PolicyInfo described = currentAdmin.describePolicy("app");
      assertThat(described.name()).isEqualTo("app");
      assertThat(described.allow()).isEmpty();
      assertThat(described.createdAt()).isNotNull();
    }

    @Test
    void toStringShowsNoSecrets() {
      assertThat(currentAdmin.toString())
          .contains(TestServer.ADMIN.identity().value())
          .doesNotContain(TestServer.ADMIN.encode());
      assertThat(KesClient.builder().apiKey(TestServer.ADMIN.encode()).toString())
          .doesNotContain(TestServer.ADMIN.encode());
    }

    @Test
    void closedClientRefusesCalls() {
      KesClient c = current.admin();
      c.close();
      c.close();
      assertThatThrownBy(c::version).isInstanceOf(IllegalStateException.class);
    }
  }

  @Nested
  class Logs {
    @Test
    void auditStreamDeliversEventsAndCloses() throws Exception {
      String name = KeyServiceContract.unique("audited");
      try (LogStream log = currentAdmin.auditLog()) {
        // the server subscribes just after answering: repeat the call until an event arrives
        Optional<String> line = Optional.empty();
        for (int i = 0; i < 50 && line.isEmpty(); i++) {
          currentAdmin.createKey(name + "-" + i);
          line = log.poll(Duration.ofMillis(200));
        }
        assertThat(line).isPresent();
        assertThat(line.get()).contains("\"path\":\"/v1/key/create/" + name);
        assertThat(line.get()).contains(TestServer.ADMIN.identity().value());
        assertThat(log.isOpen()).isTrue();
      }
    }

    @Test
    void streamOutlivesTheCallTimeout() throws Exception {
      try (KesClient c =
              current
                  .clientBuilder()
                  .apiKey(TestServer.ADMIN.encode())
                  .timeout(Duration.ofMillis(300))
                  .build();
          LogStream log = c.auditLog()) {
        Thread.sleep(700); // idle longer than the timeout: only the subscription is bounded
        Optional<String> line = Optional.empty();
        for (int i = 0; i < 50 && line.isEmpty(); i++) {
          c.createKey(KeyServiceContract.unique("late"));
          line = log.poll(Duration.ofMillis(200));
        }
        assertThat(line).isPresent();
      }
    }

    @Test
    void closeWakesABlockedReader() throws Exception {
      LogStream log = currentAdmin.errorLog();
      CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(log::hasNext);
      Thread.sleep(100);
      log.close();
      assertThat(reader.get(5, TimeUnit.SECONDS)).isFalse();
      assertThat(log.isOpen()).isFalse();
      assertThat(log.hasNext()).isFalse();
    }

    @Test
    void closingTheClientEndsItsStreams() {
      KesClient c = current.admin();
      LogStream log = c.auditLog();
      c.close();
      assertThat(log.hasNext()).isFalse();
    }

    @Test
    void forbiddenLogIsNotAuthorized() {
      try (KesClient app = app(current)) {
        assertThatThrownBy(app::auditLog).isExactlyInstanceOf(NotAuthorizedException.class);
      }
    }
  }
}
