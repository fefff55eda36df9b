package dev.kes4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kes4j.cli.CliServer.Result;
import dev.kes4j.server.KesServer;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a real kes4j server over mTLS, with KES's environment variables. */
class ClientCommandsTest {
  static final ObjectMapper JSON = new ObjectMapper();
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

  static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void keyLifecycleAsAdmin() throws Exception {
    Map<String, String> env = server.adminEnv();
    assertThat(CliServer.run(env, "key", "create", "k1", "k2").code()).isZero();
    Result exists = CliServer.run(env, "key", "create", "k1");
    assertThat(exists.code()).isEqualTo(1);
    assertThat(exists.err()).contains("kes4j: error: key already exists");

    Result ls = CliServer.run(env, "key", "ls");
    assertThat(ls.out().lines()).startsWith("Key").contains("k1", "k2");
    // kes key ls --json: a JSON array of names
    assertThat(CliServer.run(env, "key", "ls", "k1*", "--json").out()).isEqualTo("[\"k1\"]\n");
    assertThat(CliServer.run(env, "key", "ls", "none-such", "--json").out()).isEqualTo("[]\n");
    assertThat(CliServer.run(env, "key", "ls", "none-such").out()).isEmpty();

    Result info = CliServer.run(env, "key", "info", "k1");
    assertThat(info.out().lines())
        .hasSize(4)
        .satisfies(l -> assertThat(l.get(0)).isEqualTo("Name        k1"))
        .satisfies(l -> assertThat(l.get(1)).isEqualTo("Algorithm   AES256"))
        .satisfies(
            l ->
                assertThat(l.get(2))
                    .matches("Date        \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"))
        .satisfies(
            l -> assertThat(l.get(3)).isEqualTo("Owner       " + server.admin.identity().value()));
    JsonNode infoJson = json(CliServer.run(env, "key", "info", "k1", "--json").out());
    assertThat(infoJson.get("name").asText()).isEqualTo("k1");
    assertThat(infoJson.get("algorithm").asText()).isEqualTo("AES256");
    assertThat(infoJson.get("created_by").asText()).isEqualTo(server.admin.identity().value());

    // kes key dek NAME [CONTEXT]: the context in base64; to a pipe exactly kes's JSON
    String ctx = Base64.getEncoder().encodeToString("ctx".getBytes());
    Result dekPipe = CliServer.run(env, "key", "dek", "k1", ctx);
    assertThat(dekPipe.out())
        .matches("\\{\"plaintext\":\"[A-Za-z0-9+/=]{44}\",\"ciphertext\":\"[A-Za-z0-9+/=]+\"}");
    JsonNode dek = json(dekPipe.out());
    byte[] plaintext = Base64.getDecoder().decode(dek.get("plaintext").asText());
    assertThat(plaintext).hasSize(32);
    assertThat(
            server.kes.decrypt(
                "k1", Base64.getDecoder().decode(dek.get("ciphertext").asText()), "ctx".getBytes()))
        .isEqualTo(plaintext);
    // the same context as text, with the explicit flag
    JsonNode dekText2 = json(CliServer.run(env, "key", "dek", "k1", "--context", "ctx").out());
    assertThat(
            server.kes.decrypt(
                "k1",
                Base64.getDecoder().decode(dekText2.get("ciphertext").asText()),
                "ctx".getBytes()))
        .hasSize(32);
    assertThat(CliServer.run(env, "key", "dek", "k1", "not base64!").code()).isEqualTo(2);
    assertThat(CliServer.run(env, "key", "dek", "k1", ctx, "--context", "ctx").code()).isEqualTo(2);
    // on a terminal, kes's lines
    Result dekText = CliServer.runOnTerminal(env, "key", "dek", "k1");
    assertThat(dekText.out())
        .matches("\nplaintext:  [A-Za-z0-9+/=]{44}\nciphertext: [A-Za-z0-9+/=]+\n");

    // kes key encrypt NAME MESSAGE → {"ciphertext":..}; kes key decrypt NAME CT [CONTEXT]
    JsonNode enc = json(CliServer.run(env, "key", "encrypt", "k1", "hello world").out());
    String ct = enc.get("ciphertext").asText();
    Result pt = CliServer.run(env, "key", "decrypt", "k1", ct);
    assertThat(pt.code()).isZero();
    String helloB64 = Base64.getEncoder().encodeToString("hello world".getBytes());
    assertThat(pt.out()).isEqualTo("{\"plaintext\":\"" + helloB64 + "\"}");
    assertThat(CliServer.runOnTerminal(env, "key", "decrypt", "k1", ct).out())
        .isEqualTo("\nplaintext: " + helloB64 + "\n"); // base64 on a terminal, never raw bytes
    assertThat(CliServer.runOnTerminal(env, "key", "encrypt", "k1", "x").out())
        .startsWith("\nciphertext: ");
    String ctWithContext =
        json(CliServer.run(env, "key", "encrypt", "k1", "hello world", "--context", "c").out())
            .get("ciphertext")
            .asText();
    String c64 = Base64.getEncoder().encodeToString("c".getBytes());
    assertThat(CliServer.run(env, "key", "decrypt", "k1", ctWithContext, c64).out())
        .contains(helloB64);
    assertThat(CliServer.run(env, "key", "decrypt", "k1", ctWithContext, "--context", "c").out())
        .contains(helloB64);
    Result wrongContext = CliServer.run(env, "key", "decrypt", "k1", ctWithContext);
    assertThat(wrongContext.code()).isEqualTo(1);
    assertThat(wrongContext.err()).contains("decryption failed");

    String imported = Base64.getEncoder().encodeToString(new byte[32]);
    assertThat(CliServer.run(env, "key", "import", "imp", imported).code()).isZero();
    assertThat(CliServer.run(env, "key", "import", "imp2", "not base64!").code()).isEqualTo(2);

    assertThat(CliServer.run(env, "key", "rm", "k2").code()).isZero();
    Result gone = CliServer.run(env, "key", "info", "k2");
    assertThat(gone.code()).isEqualTo(3);
    assertThat(gone.err()).contains("key does not exist");
    // no output of any command reveals the API key
    assertThat(ls.all() + info.all() + dekText.all() + gone.all())
        .doesNotContain(server.admin.encode())
        .doesNotContain(server.admin.encode().substring("kes:v1:".length()));
  }

  @Test
  void statusPolicyAndIdentity() throws Exception {
    Map<String, String> env = server.certEnv("app");
    Result status = CliServer.run(env, "status");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("Endpoint   " + server.url())
        .contains("Key store  reachable");
    JsonNode s = json(CliServer.run(env, "status", "--json").out());
    assertThat(s.get("keystore_reachable").asBoolean()).isTrue();

    assertThat(CliServer.run(env, "policy", "ls").out().lines()).containsExactly("app", "limited");
    assertThat(CliServer.run(env, "policy", "info", "app").out()).contains("app");
    Result show = CliServer.run(env, "policy", "show", "limited");
    assertThat(show.out()).contains("Allow:", "  /v1/key/generate/*", "Deny:", "  /v1/status");
    JsonNode shown = json(CliServer.run(env, "policy", "show", "app", "--json").out());
    assertThat(shown.get("allow").toString()).contains("/v1/key/*");
    assertThat(CliServer.run(env, "policy", "show", "nope").code()).isEqualTo(3);

    Result self = CliServer.run(env, "identity", "info");
    assertThat(self.out()).contains(CliServer.id(server.app)).contains("Policy    app");
    JsonNode selfJson = json(CliServer.run(server.adminEnv(), "identity", "info", "--json").out());
    assertThat(selfJson.get("admin").asBoolean()).isTrue();
  }

  @Test
  void exitCodes() {
    // 4: not authorized
    Result denied = CliServer.run(server.certEnv("limited"), "key", "create", "x");
    assertThat(denied.code()).isEqualTo(4);
    assertThat(denied.err()).contains("not authorized");
    // 2: no credentials, bad flags
    Map<String, String> none = new HashMap<>();
    none.put("KES_SERVER", server.url());
    Result noCreds = CliServer.run(none, "key", "ls");
    assertThat(noCreds.code()).isEqualTo(2);
    assertThat(noCreds.err()).contains("no client credentials");
    assertThat(CliServer.run(server.adminEnv(), "key", "ls", "--bogus").code()).isEqualTo(2);
    assertThat(CliServer.run(server.adminEnv(), "key").code()).isEqualTo(2);
    // 5: untrusted server certificate (system roots) and a closed port
    Map<String, String> untrusted = server.adminEnv();
    untrusted.remove("MINIO_KMS_KES_CAPATH");
    Result tls = CliServer.run(untrusted, "status", "--timeout", "5s");
    assertThat(tls.code()).as(tls.err()).isEqualTo(5);
    assertThat(CliServer.run(untrusted, "-k", "status").code())
        .isEqualTo(2); // -k is a subcommand flag
    assertThat(CliServer.run(untrusted, "status", "-k").code()).isZero();
    Result closed =
        CliServer.run(server.adminEnv(), "status", "--server", "127.0.0.1:1", "--timeout", "5s");
    assertThat(closed.code()).isEqualTo(5);
    // flags win over the environment
    Result flags =
        CliServer.run(
            Map.of(),
            "key",
            "ls",
            "-s",
            server.url(),
            "--key",
            dir.resolve("app.key").toString(),
            "--cert",
            dir.resolve("app.cert").toString(),
            "--ca",
            dir.resolve("ca.cert").toString());
    assertThat(flags.code()).as(flags.err()).isZero();
  }

  @Test
  void logStreamsUntilCountOrStdinCloses() throws Exception {
    Map<String, String> admin = server.adminEnv();
    CompletableFuture<Result> errors =
        CompletableFuture.supplyAsync(() -> CliServer.run(admin, "log", "--error", "-n", "1"));
    // provoke refusals until the subscriber sees one
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!errors.isDone() && System.nanoTime() < deadline) {
      CliServer.run(server.certEnv("nobody"), "key", "ls");
      Thread.sleep(200);
    }
    Result e = errors.get(5, TimeUnit.SECONDS);
    assertThat(e.code()).isZero();
    assertThat(e.out())
        .contains("identity " + CliServer.id(server.nobody))
        .contains("is not assigned to any policy (policies: app, limited)");

    CompletableFuture<Result> audit =
        CompletableFuture.supplyAsync(() -> CliServer.run(admin, "log", "--audit", "-n", "1"));
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!audit.isDone() && System.nanoTime() < deadline) {
      CliServer.run(server.certEnv("app"), "key", "ls");
      Thread.sleep(200);
    }
    Result a = audit.get(5, TimeUnit.SECONDS);
    assertThat(a.code()).isZero();
    assertThat(a.out())
        .contains("/v1/key/list/")
        .contains(CliServer.id(server.app).substring(0, 16));

    // --until-eof: ends when standard input closes
    PipedOutputStream stdin = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(stdin);
    CompletableFuture<Result> untilEof =
        CompletableFuture.supplyAsync(
            () -> CliServer.run(admin, in, "log", "--audit", "--until-eof", "--json"));
    Thread.sleep(500);
    assertThat(untilEof.isDone()).isFalse();
    stdin.close();
    assertThat(untilEof.get(10, TimeUnit.SECONDS).code()).isZero();
  }
}
