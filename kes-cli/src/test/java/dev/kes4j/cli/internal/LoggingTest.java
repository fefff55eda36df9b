package dev.kes4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import org.junit.jupiter.api.Test;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** After the CLI's logging setup, System.Logger and JUL lines are printed by slf4j-simple. */
class LoggingTest {
  // slf4j-simple with the CLI's simplelogger.properties: "2026-12-03T12:58:01.123+00:00 [thread]
  // INFO logger - message"
  private static final String SLF4J_LINE =
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) \\[[^\\]]+\\] ";

  @Test
  void systemLoggerAndJulLinesEndUpInTheSlf4jOutput() {
    Logging.install();
    Logging.install(); // idempotent

    String err =
        captureStderr(
            () -> {
              System.getLogger("kes4j.test.platform")
                  .log(System.Logger.Level.INFO, "a System.Logger line");
              java.util.logging.Logger.getLogger("kes4j.test.jul").warning("a JUL line");
            });

    assertThat(err)
        .containsPattern(SLF4J_LINE + "INFO kes4j\\.test\\.platform - a System\\.Logger line")
        .containsPattern(SLF4J_LINE + "WARN kes4j\\.test\\.jul - a JUL line");
    Handler[] root = LogManager.getLogManager().getLogger("").getHandlers();
    assertThat(root).hasSize(1).allMatch(h -> h instanceof SLF4JBridgeHandler);
  }

  private static String captureStderr(Runnable action) {
    PrintStream saved = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(saved);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
