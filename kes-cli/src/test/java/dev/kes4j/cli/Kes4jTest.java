package dev.kes4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.Identity;
import dev.kes4j.policy.ApiKey;
import dev.kes4j.policy.internal.pki.Pem;
import dev.kes4j.policy.internal.pki.Pki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code kes4j} CLI, in-process, with {@code curl} as the client where KES docs use it. */
class Kes4jTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Kes4j.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stopServer() throws Exception {
    AutoCloseable s = Kes4j.started;
    Kes4j.started = null;
    if (s != null) {
      s.close();
    }
  }

  static boolean hasCurl() {
    try {
      Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void assumeCurl() {
    Assumptions.assumeTrue(
        hasCurl(), "curl is not installed: the curl tests are skipped (.ci/run installs it)");
  }

  /**
   * Runs a command line (split on spaces; no quoting) and returns its stdout; fails on exit ≠ 0.
   */
  static String sh(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", cmd, err).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Nested
  class Identities {
    @Test
    void newApiKeyAndItsIdentity() {
      Result r = run("identity", "new");
      assertThat(r.code()).isZero();
      Matcher m = Pattern.compile("(kes:v1:\\S+)").matcher(r.out());
      assertThat(m.find()).isTrue();
      String identity = ApiKey.parse(m.group(1)).identity().value();
      assertThat(r.out()).contains(identity);
      Result of = run("identity", "of", "-q", m.group(1));
      assertThat(of.out().trim()).isEqualTo(identity);
      assertThat(run("identity", "of", m.group(1)).out())
          .contains("Identity   " + identity)
          .contains("API key");
    }

    @Test
    void newCertificateAndIdentityOfTheFileAndStdin() throws Exception {
      Path key = dir.resolve("app.key");
      Path cert = dir.resolve("app.cert");
      Result r =
          run(
              "identity",
              "new",
              "--key",
              key.toString(),
              "--cert",
              cert.toString(),
              "--ip",
              "127.0.0.1",
              "--dns",
              "localhost",
              "--expiry",
              "24h",
              "app");
      assertThat(r.code()).as(r.err()).isZero();
      String identity = Identity.of(Pem.readCertificates(cert).get(0)).value();
      assertThat(r.out()).contains(identity);
      assertThat(run("identity", "of", "-q", cert.toString()).out().trim()).isEqualTo(identity);
      // the key file is a PKCS#8 Ed25519 key whose API key has the same identity
      assertThat(ApiKey.fromPem(Files.readString(key)).identity().value()).isEqualTo(identity);
      InputStream stdin = System.in;
      try {
        System.setIn(new ByteArrayInputStream(Files.readAllBytes(cert)));
        assertThat(run("identity", "of", "--quiet").out().trim()).isEqualTo(identity);
      } finally {
        System.setIn(stdin);
      }
      Result again = run("identity", "new", "--key", key.toString(), "--cert", cert.toString());
      assertThat(again.code()).isEqualTo(1);
      assertThat(again.err()).contains("--force");
      assertThat(
              run(
                      "identity",
                      "new",
                      "--ecdsa",
                      "--force",
                      "--key",
                      key.toString(),
                      "--cert",
                      cert.toString())
                  .code())
          .isZero();
      assertThat(Pem.readCertificates(cert).get(0).getPublicKey().getAlgorithm()).isEqualTo("EC");
    }
  }

  @Nested
  class IdentityOfReport {
    @Test
    void leafIsAcceptedWithItsDetails() throws Exception {
      Path key = dir.resolve("leaf.key");
      Path cert = dir.resolve("leaf.cert");
      run("identity", "new", "--ecdsa", "--key", key.toString(), "--cert", cert.toString(), "me");
      String identity = Identity.of(Pem.readCertificates(cert).get(0)).value();
      Result r = run("identity", "of", cert.toString());
      assertThat(r.code()).isZero();
      assertThat(r.out())
          .contains("Identity   " + identity)
          .contains("Subject    CN=me")
          .contains("(self-signed)")
          .contains("Kind       leaf")
          .contains("Key        ECDSA P-256")
          .contains("KES        accepted");
      // the private key never shows
      assertThat(r.out()).doesNotContain(Files.readString(key).lines().skip(1).findFirst().get());
    }

    @Test
    void caCertificateIsRefusedWithTheOpensslHint() throws Exception {
      Pki.Issued ca =
          Pki.issue(
              Pki.keyPair(Pki.Algorithm.ECDSA_P256),
              "openssl-made",
              Pki.Usage.CA,
              List.of(),
              List.of(),
              Duration.ofDays(1),
              null);
      Path cert = dir.resolve("ca.cert");
      Files.writeString(cert, Pem.encode(ca.certificate()));
      Result r = run("identity", "of", cert.toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out())
          .contains("Kind       CA certificate (CA:TRUE)")
          .contains("KES        refused: the first certificate is a CA certificate")
          .contains("'openssl req -x509' marks certificates as CA by default");
      Result json = run("identity", "of", "--json", cert.toString());
      assertThat(json.out()).contains("\"accepted\":false").contains("\"ca\":true");
    }

    @Test
    void expiredCertificateIsAcceptedWithAWarning() throws Exception {
      Pki.Issued old =
          Pki.issue(
              Pki.keyPair(Pki.Algorithm.ED25519),
              "old",
              Pki.Usage.CLIENT,
              List.of(),
              List.of(),
              Duration.ofSeconds(1),
              null);
      Path cert = dir.resolve("old.cert");
      Files.writeString(cert, Pem.encode(old.certificate()));
      Thread.sleep(1100);
      Result r = run("identity", "of", cert.toString());
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("Warning    expired on").contains("tls.auth off");
    }
  }

  @Nested
  class Server {
    @Test
    void devServerPrintsAWorkingCurlLine() throws Exception {
      assumeCurl();
      Result r =
          run("server", "--dev", "--addr", "127.0.0.1:0", "--dev-dir", dir.toString(), "--mlock");
      assertThat(r.code()).as(r.err()).isEqualTo(Kes4j.RUNNING);
      assertThat(r.err()).contains("--mlock has no effect");
      assertThat(r.out())
          .contains("export MINIO_KMS_KES_ENDPOINT=https://127.0.0.1:")
          .contains("export MINIO_KMS_KES_KEY_NAME=my-key")
          .contains("API key    kes:v1:");
      Matcher m = Pattern.compile("(?m)^  (curl .*/v1/status)$").matcher(r.out());
      assertThat(m.find()).isTrue();
      List<String> cmd = new ArrayList<>(List.of(m.group(1).split(" ")));
      cmd.add(1, "-sSf");
      assertThat(sh(cmd)).contains("\"version\":");
      Matcher g = Pattern.compile("(?m)^  (curl .*/v1/key/generate/my-key)$").matcher(r.out());
      assertThat(g.find()).isTrue();
      List<String> gen = new ArrayList<>(List.of(g.group(1).split(" ")));
      gen.add(1, "-sSf");
      assertThat(sh(gen)).contains("\"plaintext\":");
    }

    @Test
    void minioGuideFlowWithCurl() throws Exception {
      assumeCurl();
      // as the MinIO GCP guide: `kes tool identity new --server ...` and `... identity new app`
      Pki.Issued serverCert =
          Pki.issue(
              Pki.keyPair(Pki.Algorithm.ED25519),
              "localhost",
              Pki.Usage.BOTH,
              List.of("localhost"),
              List.of("127.0.0.1"),
              Duration.ofDays(1),
              null);
      Files.writeString(dir.resolve("server.key"), Pem.encode(serverCert.privateKey()));
      Files.writeString(dir.resolve("server.cert"), Pem.encode(serverCert.certificate()));
      Path appKey = dir.resolve("app.key");
      Path appCert = dir.resolve("app.cert");
      run("identity", "new", "--key", appKey.toString(), "--cert", appCert.toString(), "app");
      String app = run("identity", "of", "-q", appCert.toString()).out().trim();
      String guide =
          Files.readString(Path.of("src/test/resources/minio-gcp-guide-mem.yaml"))
              .replace("${MINIO_KES_IDENTITY}", app)
              .replace("./server.key", dir.resolve("server.key").toString())
              .replace("./server.cert", dir.resolve("server.cert").toString());
      Path config = dir.resolve("config.yml");
      Files.writeString(config, guide);
      int port = freePort();
      Result r = run("server", "--config=" + config, "--addr", "127.0.0.1:" + port, "--auth=off");
      assertThat(r.code()).as(r.err()).isEqualTo(Kes4j.RUNNING);
      assertThat(r.out()).contains("Admin      <disabled>").contains("Keystore   mem: in memory");

      String url = "https://127.0.0.1:" + port;
      List<String> curl =
          List.of(
              "curl",
              "-sS",
              "--key",
              appKey.toString(),
              "--cert",
              appCert.toString(),
              "--insecure");
      assertThat(sh(concat(curl, "-X", "POST", url + "/v1/key/create/my-minio-key"))).isEmpty();
      String generated = sh(concat(curl, "-X", "POST", url + "/v1/key/generate/my-minio-key"));
      Matcher m =
          Pattern.compile("\\{\"plaintext\":\"([^\"]+)\",\"ciphertext\":\"([^\"]+)\"\\}")
              .matcher(generated);
      assertThat(m.find()).as(generated).isTrue();
      String decrypted =
          sh(
              concat(
                  curl,
                  "-X",
                  "POST",
                  "-d",
                  "{\"ciphertext\":\"" + m.group(2) + "\"}",
                  url + "/v1/key/decrypt/my-minio-key"));
      assertThat(decrypted.trim()).isEqualTo("{\"plaintext\":\"" + m.group(1) + "\"}");
      // the minio policy allows nothing else; the root identity is disabled
      assertThat(sh(concat(curl, "-X", "DELETE", url + "/v1/key/delete/my-minio-key")))
          .isEqualTo("{\"message\":\"prohibited by policy\"\n}");
      assertThat(sh(concat(curl, "-X", "POST", url + "/v1/key/create/my-minio-key")))
          .isEqualTo("{\"message\":\"key does already exist\"\n}");
    }

    private List<String> concat(List<String> a, String... b) {
      List<String> out = new ArrayList<>(a);
      out.addAll(List.of(b));
      return out;
    }

    @Test
    void encryptedServerKeyWithPassword() throws Exception {
      Pki.Issued cert =
          Pki.issue(
              Pki.keyPair(Pki.Algorithm.ECDSA_P256),
              "localhost",
              Pki.Usage.SERVER,
              List.of("localhost"),
              List.of("127.0.0.1"),
              Duration.ofDays(1),
              null);
      Path key = dir.resolve("enc.key");
      try (PemWriter w = new PemWriter(Files.newBufferedWriter(key))) {
        w.writeObject(
            new JcaPKCS8Generator(
                cert.privateKey(),
                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                    .setPassword("s3cret".toCharArray())
                    .build()));
      }
      Files.writeString(dir.resolve("enc.cert"), Pem.encode(cert.certificate()));
      String admin = "ab".repeat(32);
      String yaml =
          "admin:\n  identity: "
              + admin
              + "\ntls:\n  key: "
              + key
              + "\n  cert: "
              + dir.resolve("enc.cert")
              + "\n  password: %s\nkeystore:\n  mem: {}\n";
      Path good = dir.resolve("good.yml");
      Files.writeString(good, String.format(yaml, "s3cret"));
      Result ok = run("server", "--config", good.toString(), "--addr", "127.0.0.1:0", "-q");
      assertThat(ok.code()).as(ok.err()).isEqualTo(Kes4j.RUNNING);
      stopServer();
      Path bad = dir.resolve("bad.yml");
      Files.writeString(bad, String.format(yaml, "b4d-pa55"));
      Result fail = run("server", "--config", bad.toString(), "--addr", "127.0.0.1:0");
      assertThat(fail.code()).isEqualTo(1);
      assertThat(fail.err())
          .contains("x509: decryption password incorrect")
          .doesNotContain("b4d-pa55");
    }

    @Test
    void startupErrorsAreClear() throws Exception {
      Result missing = run("server", "--config", dir.resolve("nope.yml").toString());
      assertThat(missing.code()).isEqualTo(1);
      assertThat(missing.err()).startsWith("kes4j: error: cannot read config file");

      Files.writeString(dir.resolve("garbage.cert"), "not a certificate");
      Files.writeString(dir.resolve("none.key"), "not a key either");
      Path cfg = dir.resolve("c.yml");
      Files.writeString(
          cfg,
          "admin:\n  identity: disabled\ntls:\n  key: "
              + dir.resolve("none.key")
              + "\n  cert: "
              + dir.resolve("garbage.cert")
              + "\nkeystore:\n  mem: {}\n");
      Result badKey = run("server", "--config", cfg.toString(), "--addr", "127.0.0.1:0");
      assertThat(badKey.code()).isEqualTo(1);
      // the certificate is read first, as Go KES does; its error is Go KES's
      assertThat(badKey.err()).contains("garbage.cert': https: no valid PEM data");

      assertThat(run("server").code()).isEqualTo(2);
      assertThat(run("server", "--dev", "--config", cfg.toString()).code()).isEqualTo(2);
      assertThat(run("server", "--dev", "--auth", "maybe").code()).isEqualTo(2);
      assertThat(run("bogus").code()).isEqualTo(2);
    }

    @Test
    void devServerPortInUse() throws Exception {
      try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        Result r =
            run(
                "server",
                "--dev",
                "--addr",
                "127.0.0.1:" + taken.getLocalPort(),
                "--dev-dir",
                dir.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("address already in use");
      }
    }
  }

  @Test
  void aCommandBuiltAloneHasTheSameHelpAndTheRootStillListsEveryCommand() {
    // `kes4j server ...` builds only the server command (start-up); its help is the full tree's
    Result alone = run("server", "--help");
    java.io.StringWriter out = new java.io.StringWriter();
    dev.kes4j.cli.internal.Io io =
        new dev.kes4j.cli.internal.Io(
            new java.io.PrintWriter(out, true),
            new java.io.PrintWriter(new java.io.StringWriter(), true),
            new java.io.ByteArrayInputStream(new byte[0]),
            java.util.Map.of());
    Kes4j.commandLine(io).getSubcommands().get("server").usage(io.out());
    assertThat(alone.code()).isZero();
    assertThat(alone.out()).startsWith("Usage: kes4j server ").isEqualTo(out.toString());
    Result root = run("--help");
    for (String command :
        java.util.List.of(
            "server", "identity", "key", "policy", "status", "log", "doctor", "migrate")) {
      assertThat(root.out()).containsPattern("(?m)^ +" + command + " ");
    }
    assertThat(run("serv").err()).contains("Did you mean: kes4j server?");
  }

  @Test
  void goDurations() {
    assertThat(Kes4j.parseDuration("720h")).isEqualTo(Duration.ofHours(720));
    assertThat(Kes4j.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Kes4j.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
  }
}
