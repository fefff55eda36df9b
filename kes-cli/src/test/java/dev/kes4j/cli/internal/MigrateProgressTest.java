package dev.kes4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The terminal progress bar of {@code kes4j migrate} and its summary line. */
class MigrateProgressTest {
  @Test
  void theBarCountsEveryOutcomeAndFailuresGetTheirOwnLine() {
    StringWriter sw = new StringWriter();
    Migrate.Progress p = new Migrate.Progress(new PrintWriter(sw, true), true, false);
    p.started(4);
    assertThat(sw.toString())
        .isEqualTo("\r[------------------------------]  0/4  copied 0  skipped 0  failed 0");
    p.key("a", Migration.Outcome.COPIED, "");
    p.key("b", Migration.Outcome.SKIPPED, "already at the target");
    assertThat(sw.toString())
        .endsWith("\r[###############---------------]  2/4  copied 1  skipped 1  failed 0");
    p.key("c", Migration.Outcome.FAILED, "target: failed to create key");
    assertThat(sw.toString())
        .contains("kes4j: error: key 'c': target: failed to create key\n")
        .endsWith("\r[######################--------]  3/4  copied 1  skipped 1  failed 1");
    p.key("d", Migration.Outcome.REPLACED, "");
    p.done();
    assertThat(sw.toString())
        .endsWith("\r[##############################]  4/4  copied 2  skipped 1  failed 1\n");
  }

  @Test
  void withoutATerminalOnlyFailuresArePrinted() {
    StringWriter sw = new StringWriter();
    Migrate.Progress p = new Migrate.Progress(new PrintWriter(sw, true), false, false);
    p.started(2);
    p.key("a", Migration.Outcome.COPIED, "");
    p.key("b", Migration.Outcome.FAILED, "source: failed to read key");
    p.done();
    assertThat(sw.toString()).isEqualTo("kes4j: error: key 'b': source: failed to read key\n");
  }

  @Test
  void summaryLines() {
    Migration.Result r = new Migration.Result(5, 2, 1, 1, 1, null);
    assertThat(Migrate.summary(r, false, "*"))
        .isEqualTo("copied 2, replaced 1, skipped 1, failed 1 (5 keys matching '*')");
    assertThat(Migrate.summary(new Migration.Result(1, 0, 0, 0, 1, "x"), false, "a*"))
        .isEqualTo("copied 0, skipped 0, failed 1 (1 key matching 'a*'; stopped early)");
    assertThat(Migrate.summary(r, true, "*"))
        .isEqualTo(
            "dry run: would copy 2, would replace 1, would skip 1, would fail 1"
                + " (5 keys matching '*'); nothing was written");
  }

  @Test
  void theListingPrefixIsThePatternUpToItsFirstMetacharacter() {
    assertThat(Migration.literalPrefix("*")).isEmpty();
    assertThat(Migration.literalPrefix("minio-*")).isEqualTo("minio-");
    assertThat(Migration.literalPrefix("a?b")).isEqualTo("a");
    assertThat(Migration.literalPrefix("x[ab]")).isEqualTo("x");
    assertThat(Migration.literalPrefix("my\\*key")).isEqualTo("my");
    assertThat(Migration.literalPrefix("exact")).isEqualTo("exact");
  }
}
