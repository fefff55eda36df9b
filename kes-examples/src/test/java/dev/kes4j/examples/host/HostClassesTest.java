package dev.kes4j.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The host example needs kes-http only: none of its compiled classes names a kes-server, Netty or
 * Bouncy Castle type (a class file lists every type it refers to in its constant pool).
 */
class HostClassesTest {
  @Test
  void hostExampleNamesNoServerType() throws IOException {
    for (Class<?> c : new Class<?>[] {KesHttpHandler.class, HostServer.class}) {
      String classFile;
      try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
        assertThat(in).as(c.getName()).isNotNull();
        classFile = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      }
      assertThat(classFile)
          .as(c.getName())
          .contains("dev/kes4j/http/KesHttpApi")
          .doesNotContain("dev/kes4j/server/")
          .doesNotContain("io/netty/")
          .doesNotContain("org/bouncycastle/");
    }
  }
}
