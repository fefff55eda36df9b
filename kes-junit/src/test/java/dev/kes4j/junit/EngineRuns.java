package dev.kes4j.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs fixture classes through the Jupiter engine (junit-platform-testkit) and reads the failures.
 */
final class EngineRuns {
  private EngineRuns() {}

  static EngineExecutionResults run(Class<?>... fixtures) {
    return run(Map.of(), fixtures);
  }

  static EngineExecutionResults run(Map<String, String> configuration, Class<?>... fixtures) {
    EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter");
    for (Class<?> fixture : fixtures) {
      kit.selectors(selectClass(fixture));
    }
    configuration.forEach(kit::configurationParameter);
    return kit.execute();
  }

  /** Every failure, of tests and containers, in the order reported. */
  static List<Throwable> failures(EngineExecutionResults results) {
    return results.allEvents().failed().stream()
        .map(e -> e.getRequiredPayload(TestExecutionResult.class))
        .map(r -> r.getThrowable().orElseThrow())
        .toList();
  }

  /** The message of {@code r}'s only failure, which must be a {@code type}. */
  static AbstractStringAssert<?> onlyFailureMessage(
      EngineExecutionResults r, Class<? extends Throwable> type) {
    return assertThat(failures(r))
        .singleElement()
        .isInstanceOf(type)
        .extracting(Throwable::getMessage)
        .asString();
  }
}
