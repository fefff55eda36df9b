package dev.kes4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kes4j.cli.CliServer.Result;
import dev.kes4j.server.KesServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kes4j doctor} against a running server: the success case and each failure. */
class DoctorTest {
  @TempDir static Path dir;
  static CliServer server;

  @BeforeAll
  static void start() {
    server = new CliServer(dir, KesServer.ClientAuth.ANY);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Result doctor(Map<String, String> env, String... extra) {
    String[] args = new String[extra.length + 3];
    args[0] = "doctor";
    args[1] = "--timeout";
    args[2] = "5s";
    System.arraycopy(extra, 0, args, 3, extra.length);
    Result r = CliServer.run(env, args);
    // nothing in any doctor output reveals the admin API key
    assertThat(r.all()).doesNotContain(server.admin.encode().substring("kes:v1:".length()));
    return r;
  }

  @Test
  void adminPassesEveryStep() {
    Result r = doctor(server.adminEnv());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("[ ok ] Credentials")
        .contains("API key ($KES_API_KEY), identity " + server.admin.identity().value())
        .contains("[ ok ] DNS 127.0.0.1")
        .contains("[ ok ] TCP 127.0.0.1:")
        .contains("[ ok ] TLS ")
        .containsPattern("TLSv1\\.[23]")
        .containsPattern("\\[ ok \\] Server certificate +trusted \\(")
        .contains("[ ok ] Identity")
        .contains("the admin")
        .contains("[ ok ] Status")
        .contains("key store reachable")
        .contains("All checks passed.")
        .doesNotContain("[FAIL]");
  }

  @Test
  void policyIdentityShowsItsApis() throws Exception {
    Result r = doctor(server.certEnv("app"), "--json");
    assertThat(r.code()).as(r.out()).isZero();
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertThat(n.get("ok").asBoolean()).isTrue();
    String apis = "";
    for (JsonNode step : n.get("steps")) {
      if (step.get("step").asText().equals("APIs")) {
        apis = step.get("detail").asText();
      }
    }
    assertThat(apis)
        .contains("policy 'app' allows")
        .contains("/v1/key/create/")
        .contains("/v1/status")
        .doesNotContain("/v1/identity/list/")
        .contains("the server's /v1/api");
  }

  @Test
  void wrongCaSaysHowToFixIt() {
    Map<String, String> env = server.adminEnv();
    env.put("MINIO_KMS_KES_CAPATH", dir.resolve("other-ca.cert").toString());
    Result r = doctor(env);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("[FAIL] Server certificate")
        .contains("not trusted")
        .contains("issuer 'CN=cli test CA'")
        .contains("--ca FILE")
        .contains("-k/--insecure")
        .contains("Some checks failed.");
    Result insecure = doctor(env, "-k");
    assertThat(insecure.code()).as(insecure.out()).isZero();
    assertThat(insecure.out()).contains("NOT verified (-k/--insecure)");
  }

  @Test
  void caOnlyClientCertificate() {
    Result r = doctor(server.certEnv("caonly"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("[FAIL] Credentials")
        .contains("CA:TRUE")
        .contains("openssl req -x509")
        .contains("[FAIL] Status")
        .contains("client certificate is required");
  }

  @Test
  void unassignedIdentity() {
    Result r = doctor(server.certEnv("nobody"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("[skip] Identity")
        .contains("'identity does not exist'")
        .contains(CliServer.id(server.nobody))
        .contains("[FAIL] Status")
        .contains("policy.<name>.identities");
  }

  @Test
  void deniedPath() {
    Result r = doctor(server.certEnv("limited"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("[ ok ] Identity")
        .contains("policy 'limited'")
        .contains("[FAIL] Status")
        .contains("deny rule '/v1/status'");
  }

  /**
   * Go KES 2024+ answers 404 "identity does not exist" to self-describe for every non-admin: the
   * real API behind a JDK HTTPS front (real TLS, the server's certificate) that answers so.
   */
  @Test
  void nonAdminOnGoKesWhichCannotDescribeItPasses() throws Exception {
    try (GoSelfDescribeFront go = new GoSelfDescribeFront(server)) {
      Map<String, String> env = server.certEnv("app");
      env.put("MINIO_KES_SERVER", go.url());
      Result r = doctor(env);
      assertThat(r.code()).as(r.out()).isZero();
      assertThat(r.out())
          .contains("[skip] Identity")
          .contains("its policy cannot be read")
          .contains("Go KES 2024+")
          .contains("[skip] APIs")
          .contains("[ ok ] Status")
          .contains("All checks passed.")
          .doesNotContain("[FAIL]");
    }
  }

  /** {@code kes4j log} against a server that, like Go KES, answers only with the first event. */
  @Test
  void logWaitsForAQuietServer() throws Exception {
    try (GoSelfDescribeFront go = new GoSelfDescribeFront(server)) {
      Map<String, String> env = server.certEnv("app");
      env.put("MINIO_KES_SERVER", go.url());
      Result r = CliServer.run(env, "log", "--error", "-n", "1", "--timeout", "300ms");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo("quiet server spoke\n");
    }
  }

  @Test
  void closedPort() {
    Map<String, String> env = server.adminEnv();
    env.put("KES_SERVER", "127.0.0.1:1");
    Result r = doctor(env);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("[FAIL] TCP 127.0.0.1:1").contains("is the server running");
  }

  @Test
  void serverThatResetsTheConnectionOnTheClientCertificate() throws Exception {
    try (ResettingTlsServer resetting = new ResettingTlsServer(server)) {
      Map<String, String> env = server.certEnv("app");
      env.put("MINIO_KES_SERVER", "https://127.0.0.1:" + resetting.port());
      Result r = doctor(env);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out())
          .contains("[FAIL] TLS")
          .contains("the server sent its certificate, then closed the connection")
          .contains("it refused the client certificate")
          .contains("tls.auth: on")
          .doesNotContain("is this a KES server");
    }
  }

  @Test
  void serverThatVerifiesClientCertificates(@TempDir Path other) {
    try (CliServer verifying = new CliServer(other, KesServer.ClientAuth.VERIFY)) {
      // a self-signed certificate: the server's TLS layer refuses it
      Result refused = doctor(verifying.certEnv("app"));
      assertThat(refused.code()).isEqualTo(1);
      assertThat(refused.out()).contains("tls.auth: on");
      // one issued by the server's CA passes the TLS layer (then has no policy)
      verifying.issuedByCa("issued");
      Result issued = doctor(verifying.certEnv("issued"));
      assertThat(issued.out()).contains("[ ok ] Client certificate").contains("[FAIL] Status");
    }
  }
}
