package dev.kes4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.Identity;
import dev.kes4j.policy.internal.pki.Pem;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KES 0.16's {@code kes tool …} spellings, as MinIO's GCP guide types them, run in-process against
 * a real {@code kes4j server} over mTLS; and what an unknown command says.
 */
class ToolCommandsTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @TempDir Path dir;

  @AfterEach
  void stopServer() throws Exception {
    AutoCloseable s = Kes4j.started;
    Kes4j.started = null;
    if (s != null) {
      s.close();
    }
  }

  static CliServer.Result run(String... args) {
    return CliServer.run(Map.of(), args);
  }

  private X509Certificate cert(Path p) throws Exception {
    List<X509Certificate> certs = Pem.readCertificates(p);
    return certs.get(0);
  }

  @Test
  void theGuidesServerCertificateHasServerAuthAndItsSans() throws Exception {
    Path key = dir.resolve("server.key");
    Path crt = dir.resolve("server.cert");
    CliServer.Result r =
        run(
            "tool",
            "identity",
            "new",
            "--server",
            "--key",
            key.toString(),
            "--cert",
            crt.toString(),
            "--ip",
            "127.0.0.1",
            "--dns",
            "localhost");
    assertThat(r.code()).as(r.err()).isZero();
    X509Certificate c = cert(crt);
    assertThat(c.getExtendedKeyUsage()).contains(SERVER_AUTH);
    List<String> sans =
        c.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))).toList();
    assertThat(sans).containsExactlyInAnyOrder("127.0.0.1", "localhost");
    assertThat(c.getBasicConstraints()).isEqualTo(-1); // a leaf
    assertThat(Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()))
        .isBetween(Duration.ofHours(719), Duration.ofHours(721)); // 0.16's default -t 720h
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(r.out()).contains("Identity:     " + Identity.of(c).value());
  }

  @Test
  void theGuidesClientCertificateIsForClientsOnlyAndTimeSetsItsValidity() throws Exception {
    Path key = dir.resolve("client.key");
    Path crt = dir.resolve("client.cert");
    CliServer.Result r =
        run("tool", "identity", "new", "--key=" + key, "--cert=" + crt, "-t", "2h", "MinIO");
    assertThat(r.code()).as(r.err()).isZero();
    X509Certificate c = cert(crt);
    assertThat(c.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=MinIO");
    assertThat(Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()))
        .isBetween(Duration.ofMinutes(119), Duration.ofMinutes(121));
    CliServer.Result again = run("tool", "identity", "new", "--key=" + key, "--cert=" + crt);
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err())
        .isEqualTo(
            "kes4j: error: private key " + key + " already exists: use --force to overwrite it\n");
    assertThat(run("tool", "identity", "new", "-f", "--key=" + key, "--cert=" + crt).code())
        .isZero();
  }

  @Test
  void identityOfPrintsTheBareHashAlsoUnderTheGuidesTypoAndFromStdin() throws Exception {
    Path key = dir.resolve("client.key");
    Path crt = dir.resolve("client.cert");
    assertThat(
            run("tool", "identity", "new", "--key", key.toString(), "--cert", crt.toString())
                .code())
        .isZero();
    String id = Identity.of(cert(crt)).value();
    assertThat(run("tool", "identity", "of", crt.toString()).out()).isEqualTo(id + "\n");
    assertThat(run("tool", "identify", "of", crt.toString()).out()).isEqualTo(id + "\n");
    CliServer.Result stdin =
        CliServer.run(
            Map.of(), new ByteArrayInputStream(Files.readAllBytes(crt)), "tool", "identity", "of");
    assertThat(stdin.out()).isEqualTo(id + "\n");
    assertThat(run("tool", "identity", "of", "--hash", "SHA-256", crt.toString()).out())
        .isEqualTo(id + "\n");
    CliServer.Result sha512 = run("tool", "identity", "of", "--hash", "SHA512", crt.toString());
    assertThat(sha512.code()).isEqualTo(2);
    assertThat(sha512.err()).contains("SHA-256 only");
  }

  @Test
  void theGuideEndToEndWithToolSpellingsAgainstARealServer() throws Exception {
    Path serverKey = dir.resolve("server.key");
    Path serverCert = dir.resolve("server.cert");
    Path clientKey = dir.resolve("client.key");
    Path clientCert = dir.resolve("client.cert");
    assertThat(
            run(
                    "tool",
                    "identity",
                    "new",
                    "--server",
                    "--key",
                    serverKey.toString(),
                    "--cert",
                    serverCert.toString(),
                    "--ip",
                    "127.0.0.1",
                    "--dns",
                    "localhost")
                .code())
        .isZero();
    assertThat(
            run("tool", "identity", "new", "--key=" + clientKey, "--cert=" + clientCert, "MinIO")
                .code())
        .isZero();
    String identity = run("tool", "identify", "of", clientCert.toString()).out().trim();
    int port = Kes4jTest.freePort();
    Path config = dir.resolve("server-config.yml");
    Files.writeString(
        config,
        "address: 127.0.0.1:"
            + port
            + "\nroot: disabled\ntls:\n  key: "
            + serverKey
            + "\n  cert: "
            + serverCert
            + "\npolicy:\n  minio:\n    allow:\n    - /v1/key/create/*\n"
            + "    - /v1/key/generate/*\n    - /v1/key/decrypt/*\n    identities:\n    - "
            + identity
            + "\n");
    CliServer.Result server = run("server", "--config=" + config, "--auth=off", "-q");
    assertThat(server.code()).as(server.err()).isEqualTo(Kes4j.RUNNING);

    Map<String, String> env = new HashMap<>();
    env.put("KES_SERVER", "https://localhost:" + port);
    env.put("KES_CLIENT_KEY", clientKey.toString());
    env.put("KES_CLIENT_CERT", clientCert.toString());
    CliServer.Result untrusted = CliServer.run(env, "key", "create", "my-minio-key");
    assertThat(untrusted.code()).isEqualTo(5);
    assertThat(untrusted.err())
        .contains("set MINIO_KMS_KES_CAPATH to the CA certificate file that issued it")
        .doesNotContain("PKIX")
        .doesNotContain("sun.security")
        .doesNotContain("Exception");
    CliServer.Result created =
        CliServer.run(env, "key", "create", "my-minio-key", "--ca", serverCert.toString());
    assertThat(created.code()).as(created.err()).isZero();
    CliServer.Result insecure = CliServer.run(env, "key", "create", "-k", "my-minio-key-2");
    assertThat(insecure.code()).as(insecure.err()).isZero();
  }

  @Test
  void toolIsHiddenAndUnknownCommandsGetOnlyNearMissSuggestions() {
    CliServer.Result help = run("--help");
    assertThat(help.out()).contains("migrate").doesNotContain("tool");
    CliServer.Result bogus = run("bogus");
    assertThat(bogus.code()).isEqualTo(2);
    assertThat(bogus.err())
        .isEqualTo("kes4j: error: unknown command 'bogus'\nSee 'kes4j --help'.\n");
    CliServer.Result typo = run("stauts");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).contains("Did you mean: kes4j status?");
    CliServer.Result toolTypo = run("tool", "identiti", "of");
    assertThat(toolTypo.code()).isEqualTo(2);
    assertThat(toolTypo.err()).doesNotContain("doctor").contains("kes4j tool --help");
    CliServer.Result bare = run("tool");
    assertThat(bare.code()).isEqualTo(2);
    assertThat(bare.err()).contains("identity").contains("migrate").doesNotContain("identify");
    assertThat(run("tool", "migrate", "--help").out()).contains("--from").contains("--merge");
  }

  @Test
  void serverHelpStatesTheDefaults() {
    String help = run("server", "--help").out().replaceAll("\\s+", " ");
    assertThat(help)
        .contains("default: the config's address, else 0.0.0.0:7373")
        .contains("default: the config's tls.auth, else off");
  }
}
