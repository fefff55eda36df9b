package dev.kes4j.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The commit the build records for {@code /version}. */
class BuildInfoTest {
  @Test
  void keepsOnlyACommitId() {
    String id = "0123456789abcdef0123456789abcdef01234567";
    assertThat(BuildInfo.parse(id + "\n")).isEqualTo(id);
    assertThat(BuildInfo.parse(id.toUpperCase())).isEqualTo(id);
    assertThat(BuildInfo.parse("fatal: not a git repository (or any parent)")).isEqualTo("unknown");
    assertThat(BuildInfo.parse("")).isEqualTo("unknown");
    assertThat(BuildInfo.parse(id.substring(1))).isEqualTo("unknown");
  }

  @Test
  void aBuildInAGitCheckoutRecordsItsCommit() throws Exception {
    // this test runs in the source tree: when it is a git checkout, the build recorded HEAD
    Path root = Path.of("").toAbsolutePath().getParent();
    if (Files.exists(root.resolve(".git"))) {
      assertThat(BuildInfo.commit()).matches("[0-9a-f]{40}");
    } else {
      assertThat(BuildInfo.commit()).isEqualTo(BuildInfo.UNKNOWN);
    }
  }
}
