package dev.kes4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.policy.ApiKey;
import dev.kes4j.server.KesServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLI errors in words, each from a real failure: a closed port, a missing file, a real server whose
 * certificate the client does not trust, and {@code ~/} in path options after {@code =}.
 */
class CliErrorsTest {
  @TempDir Path dir;
  private String home;

  @BeforeEach
  void fakeHome() {
    home = System.getProperty("user.home");
    System.setProperty("user.home", dir.toString());
  }

  @AfterEach
  void restoreHome() {
    System.setProperty("user.home", home);
  }

  private static void assertNoClassNames(String text) {
    assertThat(text)
        .doesNotContain("Exception")
        .doesNotContain("java.")
        .doesNotContain("sun.")
        .doesNotContain("PKIX");
  }

  @Test
  void aClosedPortIsConnectionRefused() throws Exception {
    int port = Kes4jTest.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("KES_SERVER", "https://127.0.0.1:" + port);
    env.put("KES_API_KEY", ApiKey.generate().encode());
    CliServer.Result r = CliServer.run(env, "key", "ls");
    assertThat(r.code()).isEqualTo(5);
    assertThat(r.err())
        .startsWith("kes4j: error: cannot connect to KES server https://127.0.0.1:" + port)
        .endsWith(": connection refused\n");
    assertNoClassNames(r.err());
  }

  @Test
  void aMissingFileIsNoSuchFile() {
    Path key = dir.resolve("nope.key");
    Path cert = dir.resolve("nope.cert");
    Map<String, String> env = Map.of("KES_SERVER", "https://127.0.0.1:1");
    CliServer.Result r =
        CliServer.run(env, "key", "ls", "--key", key.toString(), "--cert", cert.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("kes4j: error: cannot read certificate file '" + cert + "': no such file\n");

    CliServer.Result cfg = CliServer.run(Map.of(), "server", "--config", cert.toString());
    assertThat(cfg.code()).isEqualTo(1);
    assertThat(cfg.err()).contains(cert.toString()).contains("no such file");
    assertNoClassNames(cfg.err());

    CliServer.Result of = CliServer.run(Map.of(), "identity", "of", cert.toString());
    assertThat(of.code()).isEqualTo(1);
    assertThat(of.err()).isEqualTo("kes4j: error: no such file: " + cert + "\n");
  }

  @Test
  void anUntrustedServerCertificateSaysHowToTrustIt() throws Exception {
    try (CliServer server = new CliServer(dir, KesServer.ClientAuth.ANY)) {
      Map<String, String> env = server.adminEnv();
      env.remove("MINIO_KMS_KES_CAPATH");
      CliServer.Result r = CliServer.run(env, "key", "ls");
      assertThat(r.code()).isEqualTo(5);
      assertThat(r.err())
          .isEqualTo(
              "kes4j: error: cannot connect to KES server "
                  + server.url()
                  + ": its certificate is not issued by a CA this client trusts (the system"
                  + " roots): set MINIO_KMS_KES_CAPATH to the CA certificate file that issued it"
                  + " (kes4j: --ca FILE; KesClient.Builder.caCertificates), or for tests only"
                  + " skip verification (kes4j -k)\n");
      // trusting another CA is the same mistake
      CliServer.Result other =
          CliServer.run(env, "key", "ls", "--ca", dir.resolve("other-ca.cert").toString());
      assertThat(other.code()).isEqualTo(5);
      assertThat(other.err()).contains("is not issued by a CA this client trusts");
      // --ca=~/ca.cert: the shell leaves ~ after '=' alone; kes4j expands it
      CliServer.Result tilde = CliServer.run(env, "key", "ls", "--ca=~/ca.cert");
      assertThat(tilde.code()).as(tilde.err()).isZero();
    }
  }

  @Test
  void aTildeAfterEqualsIsExpandedAndNamedWhenTheFileIsMissing() throws Exception {
    CliServer.Result r = CliServer.run(Map.of(), "server", "--config=~/x.yaml");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(dir.resolve("x.yaml").toString())
        .contains("no such file")
        .contains("from ~/x.yaml, with ~ expanded to the home directory");
    assertNoClassNames(r.err());

    Files.writeString(dir.resolve("x.yaml"), "address: [unclosed\n");
    CliServer.Result found = CliServer.run(Map.of(), "server", "--config=~/x.yaml");
    assertThat(found.code()).isEqualTo(1);
    assertThat(found.err()).doesNotContain("no such file"); // read: the YAML is what is wrong

    Path to = dir.resolve("fs.yml");
    Files.writeString(
        to, "admin:\n  identity: disabled\nkeystore:\n  fs:\n    path: " + dir.resolve("k") + "\n");
    CliServer.Result migrate =
        CliServer.run(Map.of(), "migrate", "--from=~/a.yml", "--to", to.toString());
    assertThat(migrate.err())
        .isEqualTo(
            "kes4j: error: no such file: "
                + dir.resolve("a.yml")
                + " (from ~/a.yml, with ~ expanded to the home directory)\n");
  }
}
