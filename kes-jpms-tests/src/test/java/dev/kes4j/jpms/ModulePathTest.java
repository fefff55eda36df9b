package dev.kes4j.jpms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applications that are named modules use kes4j from the module path with only their own {@code
 * requires} and no {@code --add-modules}: each test compiles a tiny application module with the
 * module path Maven resolved for it (see this module's POM) and runs it in a child JVM of the same
 * JDK.
 */
class ModulePathTest {
  private static final String CORE_APP_MODULE =
      "module app {\n  requires dev.kes4j.core;\n  requires dev.kes4j.keystore.mem;\n}\n";

  private static final String CORE_APP_MAIN =
      String.join(
          "\n",
          "package app;",
          "",
          "import dev.kes4j.api.DataKey;",
          "import dev.kes4j.core.Kes;",
          "import dev.kes4j.core.KesConfig;",
          "import dev.kes4j.keystore.mem.MemKeyStore;",
          "import java.util.Arrays;",
          "",
          "public final class Main {",
          "  public static void main(String[] args) {",
          "    byte[] context = {1, 2, 3};",
          "    try (Kes kes = Kes.builder().keyStore(new MemKeyStore()).build()) {",
          "      kes.createKey(\"my-key\");",
          "      DataKey key = kes.generateKey(\"my-key\", context);",
          "      byte[] plaintext = kes.decrypt(\"my-key\", key.ciphertext(), context);",
          "      if (!Arrays.equals(plaintext, key.plaintext())) {",
          "        throw new AssertionError(\"round trip returned other bytes\");",
          "      }",
          "      System.out.println(\"builder: round trip of \" + plaintext.length + \" bytes\");",
          "    }",
          "    String yaml = \"admin:\\n  identity: disabled\\nkeystore:\\n  mem: {}\\n\"",
          "        + \"keys:\\n  - name: startup-key\\n\";",
          "    try (Kes kes = Kes.fromConfig(KesConfig.parse(yaml))) {",
          "      System.out.println(\"config: \" + kes.describeKey(\"startup-key\").name()",
          "          + \" in \" + Main.class.getModule().getName()",
          "          + \" with \" + Kes.class.getModule().getName());",
          "    }",
          "  }",
          "}",
          "");

  private static final String CLIENT_APP_MODULE = "module app {\n  requires dev.kes4j.client;\n}\n";

  private static final String CLIENT_APP_MAIN =
      String.join(
          "\n",
          "package app;",
          "",
          "import dev.kes4j.api.KesException;",
          "import dev.kes4j.client.KesClient;",
          "",
          "public final class Main {",
          "  public static void main(String[] args) {",
          "    try (KesClient client =",
          "        KesClient.builder().endpoints(args[0]).insecure(true).retries(0).build()) {",
          "      client.status();",
          "      System.out.println(\"client: unexpected answer from \" + args[0]);",
          "    } catch (KesException e) {",
          "      System.out.println(\"client: \" + e.getClass().getSimpleName() + \" \" + e.status()",
          "          + \" in \" + KesClient.class.getModule().getName());",
          "    }",
          "  }",
          "}",
          "");

  private static final String HOST_APP_MODULE = "module app {\n  requires dev.kes4j.http;\n}\n";

  /** A host mounting the HTTP API; the store is found through the SPI (service binding). */
  private static final String HOST_APP_MAIN =
      String.join(
          "\n",
          "package app;",
          "",
          "import dev.kes4j.api.spi.KeyStoreConfig;",
          "import dev.kes4j.api.spi.KeyStores;",
          "import dev.kes4j.core.Kes;",
          "import dev.kes4j.http.ApiRequest;",
          "import dev.kes4j.http.ApiResponse;",
          "import dev.kes4j.http.KesHttpApi;",
          "import java.nio.charset.StandardCharsets;",
          "import java.util.Map;",
          "",
          "public final class Main {",
          "  public static void main(String[] args) {",
          "    try (Kes kes = Kes.builder()",
          "        .keyStore(KeyStores.discover().open(KeyStoreConfig.of(Map.of(\"mem\", Map.of()))))",
          "        .build()) {",
          "      ApiResponse r = KesHttpApi.builder(kes).build()",
          "          .handle(ApiRequest.builder(\"GET\", \"/version\").build());",
          "      System.out.println(\"host: \" + r.status() + \" \"",
          "          + new String(r.body(), StandardCharsets.UTF_8).strip()",
          "          + \" in \" + KesHttpApi.class.getModule().getName());",
          "    }",
          "  }",
          "}",
          "");

  @Nested
  class HostMountingTheHttpApi {
    @Test
    void runsWithOnlyItsRequires(@TempDir Path dir) throws Exception {
      Run run =
          compileAndRun(
              dir, HOST_APP_MODULE, HOST_APP_MAIN, modulePath("kes4j.jpms.client-app.path"));

      assertThat(run.exitCode).as(run.toString()).isZero();
      assertThat(run.stdout)
          .as(run.toString())
          .containsPattern("host: 200 \\{\"version\":\"[^\"]+\".* in dev\\.kes4j\\.http");
    }
  }

  @Nested
  class CoreAndMemStore {
    @Test
    void runsWithOnlyItsRequires(@TempDir Path dir) throws Exception {
      List<String> modulePath = modulePath("kes4j.jpms.core-app.path");
      assertThat(modulePath)
          .anyMatch(p -> p.contains("kes-core"))
          .anyMatch(p -> p.contains("kes-keystore-mem"))
          .noneMatch(p -> p.contains("kes-client"));

      Run run = compileAndRun(dir, CORE_APP_MODULE, CORE_APP_MAIN, modulePath);

      assertThat(run.exitCode).as(run.toString()).isZero();
      assertThat(run.stdout)
          .as(run.toString())
          .contains("builder: round trip of 32 bytes")
          .contains("config: startup-key in app with dev.kes4j.core");
    }
  }

  @Nested
  class Client {
    @Test
    void failsCleanlyAgainstAClosedPort(@TempDir Path dir) throws Exception {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort(); // closed again before the application connects
      }

      Run run =
          compileAndRun(
              dir,
              CLIENT_APP_MODULE,
              CLIENT_APP_MAIN,
              modulePath("kes4j.jpms.client-app.path"),
              "https://127.0.0.1:" + port);

      assertThat(run.exitCode).as(run.toString()).isZero();
      assertThat(run.stdout)
          .as(run.toString())
          .containsPattern("client: \\w+Exception \\d{3} in dev\\.kes4j\\.client");
      assertThat(run.stderr).as(run.toString()).doesNotContain("NoClassDefFoundError");
    }
  }

  /** The module path Maven's dependency plugin wrote for one application. */
  private static List<String> modulePath(String property) throws IOException {
    String file = System.getProperty(property);
    assertThat(file).as("system property " + property + " (set by the POM)").isNotNull();
    String content = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    List<String> entries = new ArrayList<>(List.of(content.split(File.pathSeparator)));
    assertThat(entries).isNotEmpty().allMatch(p -> Files.exists(Path.of(p)));
    return entries;
  }

  private static Run compileAndRun(
      Path dir, String moduleInfo, String main, List<String> modulePath, String... args)
      throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("app"));
    Path moduleInfoFile = Files.writeString(src.resolve("module-info.java"), moduleInfo);
    Path mainFile = Files.writeString(src.resolve("app").resolve("Main.java"), main);
    Path classes = dir.resolve("classes");
    String path = String.join(File.pathSeparator, modulePath);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean compiled =
        javac
            .getTask(
                diagnostics,
                null,
                null,
                List.of("--release", "17", "--module-path", path, "-d", classes.toString()),
                null,
                javac
                    .getStandardFileManager(null, null, StandardCharsets.UTF_8)
                    .getJavaFileObjects(moduleInfoFile, mainFile))
            .call();
    assertThat(compiled).as("javac: " + diagnostics).isTrue();

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--module-path");
    command.add(classes + File.pathSeparator + path);
    command.add("-m");
    command.add("app/app.Main");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.remove("JAVA_TOOL_OPTIONS"); // nothing but the command line decides the module graph
    env.remove("JDK_JAVA_OPTIONS");
    pb.redirectOutput(dir.resolve("stdout").toFile());
    pb.redirectError(dir.resolve("stderr").toFile());
    Process process = pb.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the application did not finish within 60 s: " + command);
    }
    return new Run(
        command,
        process.exitValue(),
        Files.readString(dir.resolve("stdout")),
        Files.readString(dir.resolve("stderr")));
  }

  /** One finished child JVM. */
  private static final class Run {
    final List<String> command;
    final int exitCode;
    final String stdout;
    final String stderr;

    Run(List<String> command, int exitCode, String stdout, String stderr) {
      this.command = command;
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    @Override
    public String toString() {
      return "exit "
          + exitCode
          + " of "
          + String.join(" ", command)
          + "\n--- stdout\n"
          + stdout
          + "--- stderr\n"
          + stderr;
    }
  }
}
