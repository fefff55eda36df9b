package dev.kes4j.junit;

import static dev.kes4j.junit.EngineRuns.failures;
import static dev.kes4j.junit.EngineRuns.onlyFailureMessage;
import static dev.kes4j.junit.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyService;
import dev.kes4j.client.KesClient;
import dev.kes4j.core.Kes;
import dev.kes4j.keystore.gcp.fake.FakeSecretManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The extension's lifecycle and its failures, checked by running fixture classes through the
 * Jupiter engine: what is started and closed when, and that each misuse fails with a message that
 * says what to change.
 */
class LifecycleAndFailuresTest {
  static final List<Kes> engines = new CopyOnWriteArrayList<>();
  static final List<KesFixture> fixtures = new CopyOnWriteArrayList<>();

  static void assertClosed(Kes engine) {
    assertThatThrownBy(() -> engine.listKeys("*", "", 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("kes4j engine is closed");
  }

  static EngineExecutionResults runClean(Class<?>... fixtureClasses) {
    engines.clear();
    fixtures.clear();
    return run(fixtureClasses);
  }

  // ---- lifecycle

  @Test
  void perClassScopeSharesOneEngineAndClosesItAfterTheClass() {
    EngineExecutionResults r = runClean(PerClassFixture.class);
    r.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    assertThat(engines).hasSize(2);
    assertThat(engines.get(0)).isSameAs(engines.get(1));
    assertClosed(engines.get(0));
  }

  @Test
  void perTestScopeGivesEachTestItsOwnEngineAndClosesIt() {
    EngineExecutionResults r = runClean(PerTestFixture.class);
    r.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    assertThat(engines).hasSize(2).doesNotHaveDuplicates();
    engines.forEach(LifecycleAndFailuresTest::assertClosed);
  }

  @Test
  void extendWithAloneUsesTheDefaults() {
    EngineExecutionResults r = runClean(ExtendWithFixture.class);
    r.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    assertClosed(engines.get(0));
  }

  @Test
  void keysAreCleanedUpEvenAfterAFailingTest() {
    EngineExecutionResults r = runClean(FailingTestFixture.class);
    r.testEvents().assertStatistics(s -> s.started(2).succeeded(1).failed(1));
    assertThat(failures(r)).singleElement().isInstanceOf(AssertionError.class);
  }

  @Test
  void theServerStopsAndItsFilesAreDeletedAfterTheClass() {
    EngineExecutionResults r = runClean(ServerFixture.class);
    r.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    KesFixture fixture = fixtures.get(0);
    assertClosed(fixture.kes());
    assertThat(Files.exists(fixture.caCertificate())).isFalse();
    assertThat(Files.exists(fixture.caCertificate().getParent())).isFalse();
    try (KesClient late =
        KesClient.builder()
            .endpoints(fixture.endpoint().toString())
            .insecure(true)
            .apiKey(fixture.adminApiKey())
            .retries(0)
            .build()) {
      assertThatThrownBy(late::status).isInstanceOf(KesException.class);
    }
  }

  // ---- failures that say what to change

  @Test
  void aDeclaredKeyWithAnInvalidNameFailsTheTestNamingTheKey() {
    EngineExecutionResults r = runClean(InvalidKeyFixture.class);
    r.testEvents().assertStatistics(s -> s.started(1).failed(1));
    onlyFailureMessage(r, ExtensionConfigurationException.class)
        .startsWith("@KesTest(keys): cannot create key 'bad key!': ");
  }

  @Test
  void aDeclaredKeyThatExistsAlreadyFailsTheTest() {
    EngineExecutionResults r = runClean(KeyFromBeforeAllFixture.class);
    r.testEvents().assertStatistics(s -> s.started(1).failed(1));
    onlyFailureMessage(r, ExtensionConfigurationException.class)
        .contains("key 'k' exists already before the test");
  }

  @Test
  void aKesClientInProcessIsRefusedWithTheSettingToChange() {
    EngineExecutionResults r = runClean(ClientInProcessFixture.class);
    onlyFailureMessage(r, ParameterResolutionException.class)
        .contains("a KesClient parameter needs @KesTest(mode = SERVER)")
        .contains("take a KeyService");
  }

  @Test
  void aFakeSecretManagerWithTheMemoryStoreIsRefused() {
    EngineExecutionResults r = runClean(FakeWithMemoryFixture.class);
    onlyFailureMessage(r, ParameterResolutionException.class)
        .contains("needs @KesTest(store = GCP_FAKE)");
  }

  @Test
  void perTestEnginesCannotBeInjectedIntoConstructors() {
    EngineExecutionResults r = runClean(PerTestConstructorFixture.class);
    onlyFailureMessage(r, ParameterResolutionException.class)
        .contains("scope = PER_TEST")
        .contains("not into constructors");
  }

  @Test
  void aSharedEngineOnAnInstanceFieldIsAConfigurationError() {
    EngineExecutionResults r = runClean(InstanceFieldFixture.class);
    onlyFailureMessage(r, ExtensionConfigurationException.class).contains("static field");
  }

  @Test
  void aPerTestEngineOnAnInstanceFieldWorks() {
    EngineExecutionResults r = runClean(PerTestInstanceFieldFixture.class);
    r.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    assertClosed(engines.get(0));
  }

  @Test
  void twoRegistrationsOnOneClassAreAConfigurationError() {
    EngineExecutionResults r = runClean(TwiceFixture.class);
    r.containerEvents().assertStatistics(s -> s.failed(1));
    onlyFailureMessage(r, ExtensionConfigurationException.class)
        .contains("registered twice on " + TwiceFixture.class.getName());
  }

  @Test
  void serverOnlyFixtureMethodsSayWhichModeTheyNeed() {
    EngineExecutionResults r = runClean(PerClassFixture.class);
    r.testEvents().assertStatistics(s -> s.succeeded(2));
    KesFixture inProcess = fixtures.get(0);
    assertThatThrownBy(inProcess::endpoint)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("endpoint() needs @KesTest(mode = SERVER); this engine runs IN_PROCESS");
    assertThatThrownBy(() -> inProcess.fakeSecretManager(FakeSecretManager.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs @KesTest(store = GCP_FAKE)");
    assertThat(inProcess.toString()).isEqualTo("KesFixture[IN_PROCESS, MEMORY, keys=[]]");
  }

  // ---- fixtures: static nested classes, so only the runs above execute them

  @KesTest
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerClassFixture {
    @Test
    @Order(1)
    void first(Kes kes, KesFixture fixture) {
      engines.add(kes);
      fixtures.add(fixture);
      kes.createKey("shared");
    }

    @Test
    @Order(2)
    void second(Kes kes) {
      engines.add(kes);
      assertThat(kes.listKeys("*", "", 0).items()).isEmpty(); // the first test's key is gone
    }
  }

  @KesTest(scope = KesTest.Scope.PER_TEST, keys = "k")
  static class PerTestFixture {
    @Test
    void one(Kes kes) {
      engines.add(kes);
    }

    @Test
    void two(Kes kes) {
      engines.add(kes);
    }
  }

  @ExtendWith(KesExtension.class)
  static class ExtendWithFixture {
    @Test
    void test(KeyService kms) {
      engines.add((Kes) kms);
    }
  }

  @KesTest(keys = "k")
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class FailingTestFixture {
    @Test
    @Order(1)
    void fails(Kes kes) {
      kes.createKey("left-by-a-failed-test");
      throw new AssertionError("this test fails on purpose");
    }

    @Test
    @Order(2)
    void nextTestStartsClean(Kes kes) {
      assertThat(kes.listKeys("*", "", 0).items()).containsExactly("k");
    }
  }

  @KesTest(mode = KesTest.Mode.SERVER)
  static class ServerFixture {
    @Test
    void test(KesFixture fixture, KesClient client) {
      fixtures.add(fixture);
      assertThat(client.status().keyStoreReachable()).isTrue();
      assertThat(Path.of(fixture.caCertificate().toString())).exists();
    }
  }

  @KesTest(keys = "bad key!")
  static class InvalidKeyFixture {
    @Test
    void test() {}
  }

  @KesTest(keys = "k")
  static class KeyFromBeforeAllFixture {
    @BeforeAll
    static void createIt(Kes kes) {
      kes.createKey("k");
    }

    @Test
    void test() {}
  }

  @KesTest
  static class ClientInProcessFixture {
    @Test
    void test(KesClient client) {}
  }

  @KesTest
  static class FakeWithMemoryFixture {
    @Test
    void test(FakeSecretManager fake) {}
  }

  @KesTest(scope = KesTest.Scope.PER_TEST)
  static class PerTestConstructorFixture {
    PerTestConstructorFixture(Kes kes) {}

    @Test
    void test() {}
  }

  static class InstanceFieldFixture {
    @RegisterExtension KesExtension kes = KesExtension.builder().build();

    @Test
    void test(Kes kes) {}
  }

  static class PerTestInstanceFieldFixture {
    @RegisterExtension
    KesExtension kes = KesExtension.builder().scope(KesTest.Scope.PER_TEST).keys("k").build();

    @Test
    void test(Kes kes) {
      engines.add(kes);
      assertThat(kes.listKeys("*", "", 0).items()).containsExactly("k");
    }
  }

  @KesTest
  static class TwiceFixture {
    @RegisterExtension static KesExtension again = KesExtension.builder().build();

    @Test
    void test() {}
  }
}
