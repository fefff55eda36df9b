package dev.kes4j.junit;

import dev.kes4j.api.KeyService;
import dev.kes4j.core.Kes;
import dev.kes4j.policy.PolicySet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link KesTest}: starts an in-process kes4j engine or a real KES
 * server for a test class, creates fresh keys for every test, injects what the test asks for and
 * closes everything afterwards.
 *
 * <p><b>Two ways to use it.</b> Usually {@link KesTest} on the class (configuration by annotation).
 * When the engine needs settings an annotation cannot carry (policies, cache, clock, ciphertext
 * format, an audit sink), register it in a {@code static} field instead:
 *
 * <pre>{@code
 * @ResourceLock(providers = KesLocks.class) // optional: lets JUnit schedule around the shared engine
 * class AuditTest {
 *   static final List<AuditEvent> events = new CopyOnWriteArrayList<>();
 *
 *   @RegisterExtension
 *   static KesExtension kes =
 *       KesExtension.builder().keys("my-key").customizeEngine(b -> b.auditSink(events::add)).build();
 *
 *   @Test
 *   void audits(KeyService kms) { ... }
 * }
 * }</pre>
 *
 * <p><b>Injected parameters</b> (of tests, {@code @BeforeEach}/{@code @AfterEach} methods, and with
 * {@link KesTest.Scope#PER_CLASS} also constructors and {@code @BeforeAll}/{@code @AfterAll}):
 *
 * <ul>
 *   <li>{@link KeyService}: what the code under test should use — the engine in-process, the admin
 *       {@code KesClient} in {@link KesTest.Mode#SERVER};
 *   <li>{@link Kes}: the engine (in server mode the one behind the server, for set-up and checks
 *       that should not cross the network);
 *   <li>{@code dev.kes4j.client.KesClient}: the client connected to the server as its admin (server
 *       mode only);
 *   <li>{@link KesFixture}: all of the above plus the server's endpoint, CA certificate, admin
 *       certificate, key and API key, MinIO's environment variables, unique key names;
 *   <li>{@code dev.kes4j.keystore.gcp.fake.FakeSecretManager}: the fake behind the store, for fault
 *       injection ({@link KesTest.Store#GCP_FAKE} only).
 * </ul>
 *
 * A parameter the configuration cannot provide (a {@code KesClient} in-process, anything in a
 * constructor with {@link KesTest.Scope#PER_TEST}) fails with a {@link
 * ParameterResolutionException} that says which setting is needed.
 *
 * <p><b>Lifecycle.</b> See {@link KesTest}: one engine per class by default, torn down after
 * {@code @AfterAll}; before each test the declared keys are created, after it every key the test
 * left is deleted. The engine runs with manual cache maintenance (no background thread; {@link
 * Kes#runMaintenance()} runs it). Tests sharing an engine never overlap, even under parallel
 * execution; engines of different classes are independent, so classes run in parallel.
 *
 * <p><b>Failures.</b> A mode or store whose optional artifact is missing fails the class with an
 * {@link ExtensionConfigurationException} naming the artifact to add; so do two registrations of
 * the extension on one class, and a shared engine registered in a non-static field. A declared key
 * that cannot be created fails the test, naming the key.
 *
 * <p>Instances are immutable and thread-safe; JUnit may call one from several threads.
 */
public final class KesExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KesExtension.class);
  private static final String SETTINGS = "settings";
  private static final String FIXTURE = "fixture";
  private static final String TEST_FIXTURE = "test-fixture";
  private static final String TEST_STATE = "test-state";

  private static final Consumer<PolicySet.Builder> NO_POLICIES = b -> {};
  private static final Consumer<Kes.Builder> NO_CUSTOMIZER = b -> {};

  /**
   * The configuration of one engine, and which class context (unique id) and extension instance
   * took it on.
   */
  private record Settings(
      KesTest.Mode mode,
      KesTest.Store store,
      List<String> keys,
      KesTest.Scope scope,
      Consumer<PolicySet.Builder> policies,
      Consumer<Kes.Builder> customizer,
      String owner,
      KesExtension registeredBy) {
    static final Settings DEFAULTS =
        new Settings(
            KesTest.Mode.IN_PROCESS,
            KesTest.Store.MEMORY,
            List.of(),
            KesTest.Scope.PER_CLASS,
            NO_POLICIES,
            NO_CUSTOMIZER,
            "",
            null);

    Settings ownedBy(String owner, KesExtension by) {
      return new Settings(mode, store, keys, scope, policies, customizer, owner, by);
    }
  }

  /** A class-scoped fixture and the unique id of the class context that started it. */
  private record Owned(KesFixture fixture, String owner) {}

  private final Settings configured; // null: read @KesTest

  /**
   * The extension {@link KesTest} registers; reads its configuration from the test class's {@link
   * KesTest} annotation, or uses the defaults (in-process, in-memory store, no keys, per class).
   */
  public KesExtension() {
    this.configured = null;
  }

  private KesExtension(Settings settings) {
    this.configured = settings;
  }

  /** A builder for registering the extension with {@code @RegisterExtension}. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- JUnit callbacks

  @Override
  public void beforeAll(ExtensionContext context) {
    ensureClassFixture(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    Owned owned = store.get(FIXTURE, Owned.class);
    if (owned != null && owned.owner().equals(context.getUniqueId())) {
      store.remove(FIXTURE);
      owned.fixture().close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Settings settings = settings(context);
    KesFixture fixture;
    if (settings.scope() == KesTest.Scope.PER_TEST) {
      fixture = start(settings);
      context.getStore(NAMESPACE).put(TEST_FIXTURE, fixture);
    } else {
      fixture = classFixture(context).orElseThrow(KesExtension::notStatic);
    }
    KesFixture.TestState state;
    try {
      state = fixture.beforeTest();
    } catch (RuntimeException e) {
      if (settings.scope() == KesTest.Scope.PER_TEST) {
        context.getStore(NAMESPACE).remove(TEST_FIXTURE);
        fixture.close();
      }
      throw e;
    }
    context.getStore(NAMESPACE).put(TEST_STATE, state);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    KesFixture.TestState state = store.remove(TEST_STATE, KesFixture.TestState.class);
    KesFixture perTest = store.remove(TEST_FIXTURE, KesFixture.class);
    try {
      if (state != null) {
        (perTest != null ? perTest : classFixture(context).orElseThrow()).afterTest(state);
      }
    } finally {
      if (perTest != null) {
        perTest.close();
      }
    }
  }

  /**
   * Supports parameters of type {@link KeyService}, {@link Kes}, {@link KesFixture}, {@code
   * KesClient} and {@code FakeSecretManager}.
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    // compared by name: the optional classes are not loaded unless they are asked for
    return type == KeyService.class
        || type == Kes.class
        || type == KesFixture.class
        || type.getName().equals("dev.kes4j.client.KesClient")
        || type.getName().equals("dev.kes4j.keystore.gcp.fake.FakeSecretManager");
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    KesFixture fixture = currentFixture(context, parameter);
    Class<?> type = parameter.getParameter().getType();
    if (type == KeyService.class) {
      return fixture.keyService();
    }
    if (type == Kes.class) {
      return fixture.kes();
    }
    if (type == KesFixture.class) {
      return fixture;
    }
    if (type.getName().equals("dev.kes4j.client.KesClient")) {
      if (fixture.mode() != KesTest.Mode.SERVER) {
        throw new ParameterResolutionException(
            "a KesClient parameter needs @KesTest(mode = SERVER); "
                + describe(parameter)
                + " runs KES IN_PROCESS: take a KeyService (the engine) instead");
      }
      return fixture.client();
    }
    if (fixture.store() != KesTest.Store.GCP_FAKE) {
      throw new ParameterResolutionException(
          "a FakeSecretManager parameter needs @KesTest(store = GCP_FAKE); "
              + describe(parameter)
              + " uses the "
              + fixture.store()
              + " store");
    }
    return fixture.fakeSecretManager();
  }

  @Override
  public String toString() {
    return configured == null
        ? "KesExtension[@KesTest]"
        : "KesExtension["
            + configured.mode()
            + ", "
            + configured.store()
            + ", "
            + configured.scope()
            + ", keys="
            + configured.keys()
            + "]";
  }

  // ---- finding configuration and fixtures

  /**
   * Decides, for a class context, whether it gets an engine of its own and starts it (per-class
   * scope) or records its settings (per-test scope). A {@code @Nested} class without a {@link
   * KesTest} of its own shares its enclosing class's. Idempotent per extension instance.
   */
  private void ensureClassFixture(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    String id = context.getUniqueId();
    Settings existing = store.get(SETTINGS, Settings.class);
    boolean mine = existing != null && existing.owner().equals(id);
    if (mine && existing.registeredBy() == this) {
      return; // already done (a constructor parameter of a @TestInstance(PER_CLASS) class)
    }
    Optional<Settings> own = ownSettings(context, existing != null && !mine);
    if (own.isEmpty()) {
      return; // shares the enclosing class's engine
    }
    if (mine) {
      throw new ExtensionConfigurationException(
          "KesExtension is registered twice on "
              + context.getRequiredTestClass().getName()
              + " (for example with @KesTest and with @RegisterExtension): register it once");
    }
    Settings settings = own.get();
    store.put(SETTINGS, settings);
    if (settings.scope() == KesTest.Scope.PER_CLASS) {
      store.put(FIXTURE, new Owned(start(settings), id));
    }
  }

  private Optional<Settings> ownSettings(ExtensionContext context, boolean enclosingHasOne) {
    String owner = context.getUniqueId();
    if (configured != null) {
      // a @RegisterExtension field: registered by the class that declares it, shared by @Nested
      return enclosingHasOne ? Optional.empty() : Optional.of(configured.ownedBy(owner, this));
    }
    Optional<KesTest> annotation =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), KesTest.class);
    if (annotation.isEmpty()) {
      // @ExtendWith(KesExtension.class) alone, or a @Nested class inside a @KesTest class
      return enclosingHasOne
          ? Optional.empty()
          : Optional.of(Settings.DEFAULTS.ownedBy(owner, this));
    }
    KesTest k = annotation.get();
    return Optional.of(
        new Settings(
            k.mode(),
            k.store(),
            List.of(k.keys()),
            k.scope(),
            NO_POLICIES,
            NO_CUSTOMIZER,
            owner,
            this));
  }

  private Settings settings(ExtensionContext context) {
    Settings s = context.getStore(NAMESPACE).get(SETTINGS, Settings.class);
    if (s != null) {
      return s;
    }
    if (configured != null && configured.scope() == KesTest.Scope.PER_TEST) {
      return configured; // a non-static @RegisterExtension field: fine for per-test engines
    }
    throw notStatic();
  }

  private static Optional<KesFixture> classFixture(ExtensionContext context) {
    return Optional.ofNullable(context.getStore(NAMESPACE).get(FIXTURE, Owned.class))
        .map(Owned::fixture);
  }

  private KesFixture currentFixture(ExtensionContext context, ParameterContext parameter) {
    KesFixture perTest = context.getStore(NAMESPACE).get(TEST_FIXTURE, KesFixture.class);
    if (perTest != null) {
      return perTest;
    }
    Optional<KesFixture> shared = classFixture(context);
    if (shared.isEmpty()
        && context.getTestMethod().isEmpty()
        && context.getStore(NAMESPACE).get(SETTINGS, Settings.class) == null) {
      // a constructor of a @TestInstance(PER_CLASS) class runs before beforeAll
      ensureClassFixture(context);
      shared = classFixture(context);
    }
    return shared.orElseThrow(
        () ->
            new ParameterResolutionException(
                "no KES engine yet for "
                    + describe(parameter)
                    + ": with @KesTest(scope = PER_TEST) an engine exists only around each test,"
                    + " so it can be injected into test, @BeforeEach and @AfterEach methods, not"
                    + " into constructors or @BeforeAll/@AfterAll methods"));
  }

  private static String describe(ParameterContext parameter) {
    return parameter.getDeclaringExecutable().getDeclaringClass().getSimpleName()
        + "."
        + parameter.getDeclaringExecutable().getName();
  }

  private static ExtensionConfigurationException notStatic() {
    return new ExtensionConfigurationException(
        "KesExtension has no engine for this test: register it in a static field"
            + " (@RegisterExtension static KesExtension ...), with @KesTest or with @ExtendWith;"
            + " JUnit calls a non-static field's extension only around each test");
  }

  private static KesFixture start(Settings s) {
    return KesFixture.start(s.mode(), s.store(), s.keys(), s.policies(), s.customizer());
  }

  /**
   * Configures a {@link KesExtension} for {@code @RegisterExtension}; the same settings as {@link
   * KesTest} plus {@link #customizeEngine}. Not thread-safe; the extension it builds is.
   */
  public static final class Builder {
    private KesTest.Mode mode = KesTest.Mode.IN_PROCESS;
    private KesTest.Store store = KesTest.Store.MEMORY;
    private List<String> keys = List.of();
    private KesTest.Scope scope = KesTest.Scope.PER_CLASS;
    private Consumer<PolicySet.Builder> policies = NO_POLICIES;
    private Consumer<Kes.Builder> customizer = NO_CUSTOMIZER;

    private Builder() {}

    /** Where KES runs (default {@link KesTest.Mode#IN_PROCESS}). */
    public Builder mode(KesTest.Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** The key store (default {@link KesTest.Store#MEMORY}). */
    public Builder store(KesTest.Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Keys created before and deleted after every test, as {@link KesTest#keys()}. */
    public Builder keys(String... keys) {
      this.keys = List.of(keys);
      return this;
    }

    /** How long one engine lives (default {@link KesTest.Scope#PER_CLASS}). */
    public Builder scope(KesTest.Scope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /**
     * Adds policies and identities to every engine's policy set, for tests of authorization
     * (through {@link Kes#as} in-process, or a client from {@link KesFixture#clientBuilder()} with
     * its own identity in server mode). In server mode the set's admin is already the generated
     * admin identity. Calls add up, in order.
     */
    public Builder policies(Consumer<PolicySet.Builder> policies) {
      Objects.requireNonNull(policies, "policies");
      this.policies = this.policies.andThen(policies);
      return this;
    }

    /**
     * Adjusts every engine's builder after the key store and the policies are set: cache, clock,
     * ciphertext format, key format, audit sink, listener. (Set policies with {@link #policies}: a
     * {@code policies(...)} call here replaces the set, and with it the server's admin.)
     * Customizers add up, in order.
     */
    public Builder customizeEngine(Consumer<Kes.Builder> customizer) {
      Objects.requireNonNull(customizer, "customizer");
      this.customizer = this.customizer.andThen(customizer);
      return this;
    }

    /** The extension. */
    public KesExtension build() {
      return new KesExtension(
          new Settings(mode, store, keys, scope, policies, customizer, "", null));
    }
  }
}
