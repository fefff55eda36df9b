package dev.kes4j.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The host example needs kes-http only: none of its compiled classes (nested ones included) names a
 * kes-server, Netty or Bouncy Castle type (a class file lists every type it refers to in its
 * constant pool).
 */
class HostClassesTest {
  @Test
  void hostExampleNamesNoServerType() throws IOException, URISyntaxException {
    Path dir =
        Path.of(KesHttpHandler.class.getResource("KesHttpHandler.class").toURI()).getParent();
    List<Path> classes;
    try (Stream<Path> files = Files.list(dir)) {
      classes = files.filter(f -> f.getFileName().toString().endsWith(".class")).toList();
    }
    assertThat(classes).extracting(f -> f.getFileName().toString()).contains("HostServer.class");
    for (Path c : classes) {
      String classFile = new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1);
      assertThat(classFile)
          .as(c.getFileName().toString())
          .doesNotContain("dev/kes4j/server/")
          .doesNotContain("io/netty/")
          .doesNotContain("org/bouncycastle/");
    }
    String handler =
        new String(
            Files.readAllBytes(dir.resolve("KesHttpHandler.class")), StandardCharsets.ISO_8859_1);
    assertThat(handler).contains("dev/kes4j/http/KesHttpApi");
  }
}
