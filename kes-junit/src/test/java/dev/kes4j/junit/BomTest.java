package dev.kes4j.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * kes-bom lists kes-junit and manages JUnit at the version kes-junit is built against (the parent's
 * {@code junit.version}), so users of the BOM get a matching Jupiter engine.
 */
class BomTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void theBomListsKesJunitAndImportsJunitBomAtTheBuildsVersion() throws IOException {
    String bom = Files.readString(ROOT.resolve("kes-bom/pom.xml"));
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    assertThat(bom).contains("<artifactId>kes-junit</artifactId>");
    Matcher built = Pattern.compile("<junit.version>([^<]+)</junit.version>").matcher(parent);
    Matcher managed =
        Pattern.compile(
                "<groupId>org.junit</groupId><artifactId>junit-bom</artifactId>"
                    + "<version>([^<]+)</version><type>pom</type><scope>import</scope>")
            .matcher(bom);
    assertThat(built.find()).isTrue();
    assertThat(managed.find()).isTrue();
    assertThat(managed.group(1)).isEqualTo(built.group(1));
  }
}
