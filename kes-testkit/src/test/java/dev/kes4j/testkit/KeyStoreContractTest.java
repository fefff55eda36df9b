package dev.kes4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.testkit.SimpleMapKeyStore.Bug;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The contract itself: it passes a correct store and fails each store that breaks one rule, in the
 * test that checks that rule. Runs {@link KeyStoreContract} through the JUnit launcher.
 */
class KeyStoreContractTest {

  /** The store the next launched contract run tests; set before each launch. */
  private static volatile Bug bug;

  /** The contract against {@link SimpleMapKeyStore} with {@link #bug}; launched, not discovered. */
  static class Subject extends KeyStoreContract {
    @Override
    protected KeyStore newStore() {
      return bug == null ? new SimpleMapKeyStore() : new SimpleMapKeyStore(bug);
    }

    @Override
    protected boolean supportsLargeListings() {
      // the 1030-name test only where it matters, to keep this suite fast
      return bug == null || bug == Bug.LIST_IGNORES_DEFAULT_PAGE_SIZE;
    }
  }

  /** The outcome of one launched run. */
  private record Outcome(Set<String> failedMethods, int succeeded, List<Throwable> errors) {}

  private static final Pattern METHOD = Pattern.compile("\\[(?:method|test-factory):(\\w+)\\(");

  private static synchronized Outcome run(Bug withBug) {
    bug = withBug;
    Set<String> failed = new TreeSet<>();
    List<Throwable> errors = new ArrayList<>();
    int[] succeeded = {0};
    Launcher launcher = LauncherFactory.create();
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Subject.class)).build(),
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) {
              if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                failed.add("container " + id.getUniqueId());
              }
              return;
            }
            if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
              succeeded[0]++;
              return;
            }
            result.getThrowable().ifPresent(errors::add);
            Matcher m = METHOD.matcher(id.getUniqueId());
            String method = id.getUniqueId();
            while (m.find()) {
              method = m.group(1);
            }
            failed.add(method);
          }
        });
    bug = null;
    return new Outcome(failed, succeeded[0], errors);
  }

  @Nested
  class CorrectStore {
    @Test
    void passesEveryTest() {
      Outcome outcome = run(null);
      assertThat(outcome.failedMethods()).as("errors: %s", outcome.errors()).isEmpty();
      assertThat(outcome.succeeded()).as("tests run").isGreaterThan(40);
    }
  }

  @Nested
  class BrokenStore {
    static Stream<Arguments> bugs() {
      return Stream.of(
          Arguments.of(Bug.GET_RETURNS_INTERNAL_ARRAY, Set.of("returnsCopy")),
          Arguments.of(Bug.CREATE_KEEPS_CALLER_ARRAY, Set.of("copiesInput")),
          Arguments.of(
              Bug.CREATE_OVERWRITES, Set.of("takenNameThrowsAndKeepsOriginal", "oneWinner")),
          Arguments.of(Bug.DELETE_OF_MISSING_SUCCEEDS, Set.of("missingThrows", "twiceThrows")),
          Arguments.of(Bug.GET_OF_MISSING_RETURNS_EMPTY, Set.of("missingThrows", "removes")),
          Arguments.of(Bug.LIST_IGNORES_DEFAULT_PAGE_SIZE, Set.of("defaultPageSize")),
          Arguments.of(Bug.LIST_CONTINUE_AT_EXCLUSIVE, Set.of("continueAtInclusive", "paging")),
          Arguments.of(Bug.LIST_UNSORTED, Set.of("sortOrder", "filtersByPrefix")),
          Arguments.of(Bug.LIST_LAST_PAGE_HAS_CONTINUATION, Set.of("nonPositiveLimit")),
          Arguments.of(Bug.CREATE_NOT_ATOMIC, Set.of("oneWinner")),
          Arguments.of(Bug.NO_CLOSE_CHECK, Set.of("callsAfterClose")),
          Arguments.of(Bug.NEGATIVE_STATUS, Set.of("nonNegative")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bugs")
    void failsTheTestForThatRule(Bug bug, Set<String> expected) {
      Outcome outcome = run(bug);
      assertThat(outcome.failedMethods()).containsAll(expected);
      assertThat(outcome.succeeded()).as("the other tests still pass").isGreaterThan(20);
    }
  }
}
