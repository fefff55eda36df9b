package dev.kes4j.examples.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.KeyService;
import dev.kes4j.core.Kes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Uses the extension the way a user's test suite would, then checks its lifecycle. */
class KesExtensionTest {
  @RegisterExtension static KesExtension kes = KesExtension.inMemory().withKeys("my-key");

  private static final byte[] CONTEXT =
      "{\"bucket\":\"bucket/o\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void aTestGetsAReadyEngineWithItsKeys() {
    DataKey dek = kes.kes().generateKey("my-key", CONTEXT);
    assertThat(kes.kes().decrypt("my-key", dek.ciphertext(), CONTEXT)).isEqualTo(dek.plaintext());
  }

  @Test
  void theEngineIsAlsoInjected(Kes injected, KeyService service) {
    assertThat(injected).isSameAs(kes.kes()).isSameAs(service);
  }

  @RepeatedTest(3)
  void everyTestStartsFromAFreshStore() {
    // whichever repetition runs first, none sees the key another created
    assertThat(kes.kes().listKeys("*", "", 0).items()).containsExactly("my-key");
    kes.kes().createKey("scratch");
  }

  @Nested
  class LifecycleMethods {
    Kes seenBefore;

    @BeforeEach
    void before(Kes injected) {
      seenBefore = injected;
    }

    @Test
    void seeTheTestsEngine(Kes injected) {
      assertThat(seenBefore).isSameAs(injected).isSameAs(kes.kes());
    }

    @AfterEach
    void after(Kes injected) {
      assertThat(injected).isSameAs(seenBefore);
    }
  }

  // ---- lifecycle, checked by running fixture classes through the JUnit launcher

  static final List<Kes> engines = new ArrayList<>();

  static TestExecutionSummary run(Class<?> fixture) {
    engines.clear();
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(DiscoverySelectors.selectClass(fixture))
            .build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(request, listener);
    return listener.getSummary();
  }

  static void assertClosed(Kes engine) {
    assertThatThrownBy(() -> engine.listKeys("*", "", 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("kes4j engine is closed");
  }

  @Test
  void perTestScopeClosesEachEngineAfterItsTest() {
    TestExecutionSummary summary = run(PerTestFixture.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(summary.getTotalFailureCount()).isZero();
    assertThat(engines).hasSize(2).doesNotHaveDuplicates();
    engines.forEach(KesExtensionTest::assertClosed);
  }

  @Test
  void perClassScopeSharesOneEngineAndClosesItAfterTheClass() {
    TestExecutionSummary summary = run(PerClassFixture.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(summary.getTotalFailureCount()).isZero();
    assertThat(engines).hasSize(2);
    assertThat(engines.get(0)).isSameAs(engines.get(1));
    assertClosed(engines.get(0));
  }

  @Test
  void extendWithInjectsAFreshEnginePerTest() {
    TestExecutionSummary summary = run(ExtendWithFixture.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(engines).hasSize(2).doesNotHaveDuplicates();
    engines.forEach(KesExtensionTest::assertClosed);
  }

  @Test
  void perClassOnAnInstanceFieldIsAConfigurationError() {
    TestExecutionSummary summary = run(PerClassOnInstanceFieldFixture.class);
    assertThat(summary.getTestsFailedCount()).isEqualTo(1);
    assertThat(summary.getFailures().get(0).getException())
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageContaining("static field");
  }

  @Test
  void perTestEnginesCannotBeInjectedIntoConstructors() {
    TestExecutionSummary summary = run(ConstructorFixture.class);
    assertThat(summary.getTestsFailedCount()).isEqualTo(1);
    assertThat(summary.getFailures().get(0).getException())
        .isInstanceOf(ParameterResolutionException.class);
  }

  @Test
  void kesOutsideATestIsAnError() {
    assertThatThrownBy(() -> KesExtension.inMemory().kes())
        .isInstanceOf(IllegalStateException.class);
    assertThat(KesExtension.inMemory().perClass().scope()).isEqualTo(KesExtension.Scope.PER_CLASS);
  }

  // ---- fixtures: static nested classes, so only the launcher above runs them

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerTestFixture {
    @RegisterExtension static KesExtension kes = KesExtension.inMemory().withKeys("k");

    @Test
    @Order(1)
    void first() {
      engines.add(kes.kes());
      kes.kes().createKey("only-in-first");
    }

    @Test
    @Order(2)
    void second() {
      engines.add(kes.kes());
      assertThat(kes.kes().listKeys("*", "", 0).items()).containsExactly("k");
    }
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerClassFixture {
    @RegisterExtension static KesExtension kes = KesExtension.inMemory().perClass();

    @Test
    @Order(1)
    void first(Kes injected) {
      engines.add(injected);
      injected.createKey("shared");
    }

    @Test
    @Order(2)
    void second() {
      engines.add(kes.kes());
      assertThat(kes.kes().listKeys("*", "", 0).items()).containsExactly("shared");
    }
  }

  @ExtendWith(KesExtension.class)
  static class ExtendWithFixture {
    @Test
    void one(Kes kes) {
      engines.add(kes);
      kes.createKey("a");
    }

    @Test
    void two(KeyService kes) {
      engines.add((Kes) kes);
      kes.createKey("a"); // no KeyExistsException: a fresh store
    }
  }

  static class PerClassOnInstanceFieldFixture {
    @RegisterExtension KesExtension kes = KesExtension.inMemory().perClass();

    @Test
    void test() {
      engines.add(kes.kes());
    }
  }

  @ExtendWith(KesExtension.class)
  static class ConstructorFixture {
    ConstructorFixture(Kes kes) {
      engines.add(kes);
    }

    @Test
    void test() {}
  }
}
