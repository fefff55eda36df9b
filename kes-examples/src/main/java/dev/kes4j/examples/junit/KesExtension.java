package dev.kes4j.examples.junit;

import dev.kes4j.api.KeyService;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.core.Kes;
import dev.kes4j.keystore.mem.MemKeyStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives a test a ready kes4j engine ({@link Kes}) and closes it
 * afterwards, for the test suites of applications that use KES. With a field:
 *
 * <pre>{@code
 * class MyServiceTest {
 *   @RegisterExtension
 *   static KesExtension kes = KesExtension.inMemory().withKeys("my-key");
 *
 *   @Test
 *   void encryptsWithADataKey() {
 *     DataKey dek = kes.kes().generateKey("my-key", null);
 *     ...
 *   }
 * }
 * }</pre>
 *
 * or declaratively, with the engine injected as a {@code Kes} or {@code KeyService} parameter of a
 * test, lifecycle method or (per-class scope only) constructor:
 *
 * <pre>{@code
 * @ExtendWith(KesExtension.class)
 * class MyServiceTest {
 *   @Test
 *   void works(Kes kes) {
 *     kes.createKey("my-key");
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p><b>Scope.</b> By default ({@link Scope#PER_TEST}) every test method gets a new engine on a
 * new, empty key store with the configured keys, created before the test's {@code @BeforeEach}
 * methods and closed (with its store) after its {@code @AfterEach} methods, so tests cannot see
 * each other's keys. With {@link #perClass()} one engine serves all tests of the class: created
 * before {@code @BeforeAll} methods, closed after {@code @AfterAll} methods; a {@code @Nested}
 * class gets its own. Per-class scope needs a {@code static} field (JUnit calls class-level
 * callbacks only on extensions registered statically or with {@code @ExtendWith}); otherwise the
 * first test fails with {@link ExtensionConfigurationException}.
 *
 * <p>The engine runs with manual maintenance (no background thread; nothing expires unless the test
 * calls {@link Kes#runMaintenance()}) and the builder's other defaults; {@link
 * #customize(Consumer)} changes any of it. Configuration methods return a new extension and leave
 * this one unchanged. With JUnit's parallel execution, use parameter injection: {@link #kes()}
 * returns the engine of the test that started last. Register one {@code KesExtension} per test
 * class if you use parameter injection (two would compete for the parameter).
 */
public final class KesExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  /** How long an engine lives. */
  public enum Scope {
    /** A new engine for every test method (the default). */
    PER_TEST,
    /** One engine for all tests of a class. */
    PER_CLASS
  }

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KesExtension.class);

  private final Supplier<? extends KeyStore> stores;
  private final List<String> keys;
  private final Scope scope;
  private final Consumer<Kes.Builder> customizer;
  private final Object storeKey = new Object(); // this extension's entry in JUnit's stores
  private volatile Kes current;

  /**
   * An extension on the in-memory key store, per-test scope, no keys; the constructor {@code
   * ExtendWith(KesExtension.class)} uses.
   */
  public KesExtension() {
    this(MemKeyStore::new, List.of(), Scope.PER_TEST, b -> {});
  }

  private KesExtension(
      Supplier<? extends KeyStore> stores,
      List<String> keys,
      Scope scope,
      Consumer<Kes.Builder> customizer) {
    this.stores = stores;
    this.keys = keys;
    this.scope = scope;
    this.customizer = customizer;
  }

  /** An extension whose engines run on a new in-memory key store each. */
  public static KesExtension inMemory() {
    return new KesExtension();
  }

  /**
   * An extension whose engines run on key stores from {@code stores}, called once per engine; the
   * engine closes the store when it is closed. Use it for a fake of a cloud store, an {@code
   * FsKeyStore} (kes-keystore-fs) in a temporary directory, or a {@code FaultyKeyStore} from {@code
   * kes-testkit}.
   */
  public static KesExtension on(Supplier<? extends KeyStore> stores) {
    return new KesExtension(
        Objects.requireNonNull(stores, "stores"), List.of(), Scope.PER_TEST, b -> {});
  }

  /**
   * The same extension, also creating these keys in every new engine.
   *
   * @throws dev.kes4j.api.InvalidNameException when an engine starts, if a name is invalid
   */
  public KesExtension withKeys(String... names) {
    return new KesExtension(stores, List.of(names), scope, customizer);
  }

  /** The same extension with one engine per test class instead of one per test. */
  public KesExtension perClass() {
    return new KesExtension(stores, keys, Scope.PER_CLASS, customizer);
  }

  /**
   * The same extension, letting {@code customizer} adjust each engine's builder (cache, clock,
   * policies, audit sink, ciphertext format …) after the key store is set.
   */
  public KesExtension customize(Consumer<Kes.Builder> customizer) {
    Objects.requireNonNull(customizer, "customizer");
    Consumer<Kes.Builder> before = this.customizer;
    return new KesExtension(stores, keys, scope, before.andThen(customizer));
  }

  /** This extension's scope. */
  public Scope scope() {
    return scope;
  }

  /**
   * The engine of the running test (or class, in per-class scope).
   *
   * @throws IllegalStateException outside a test
   */
  public Kes kes() {
    Kes kes = current;
    if (kes == null) {
      throw new IllegalStateException("no kes4j engine: KesExtension.kes() called outside a test");
    }
    return kes;
  }

  // ---- JUnit callbacks

  @Override
  public void beforeAll(ExtensionContext context) {
    if (scope == Scope.PER_CLASS) {
      start(context);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (scope == Scope.PER_TEST) {
      start(context);
    } else if (find(context).isEmpty()) {
      throw new ExtensionConfigurationException(
          "KesExtension.perClass() must be registered in a static field or with @ExtendWith");
    } else {
      current = find(context).get();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (scope == Scope.PER_TEST) {
      stop(context);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (scope == Scope.PER_CLASS) {
      stop(context);
    }
  }

  /** Resolves parameters of type {@link Kes} and {@link KeyService}. */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Kes.class || type == KeyService.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return find(context)
        .orElseThrow(
            () ->
                new ParameterResolutionException(
                    "no kes4j engine yet for "
                        + parameter.getDeclaringExecutable()
                        + ": with the per-test scope a Kes can be injected into test and"
                        + " @BeforeEach/@AfterEach methods, not into constructors or @BeforeAll"));
  }

  @Override
  public String toString() {
    return "KesExtension[scope=" + scope + ", keys=" + keys + "]";
  }

  // ---- lifecycle

  private void start(ExtensionContext context) {
    KeyStore store = Objects.requireNonNull(stores.get(), "the key store supplier returned null");
    Kes kes;
    try {
      Kes.Builder builder = Kes.builder().keyStore(store).manualMaintenance();
      customizer.accept(builder);
      kes = builder.build();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    try {
      for (String key : keys) {
        kes.createKey(key);
      }
    } catch (RuntimeException e) {
      kes.close();
      throw e;
    }
    context.getStore(NAMESPACE).put(storeKey, kes);
    current = kes;
  }

  private void stop(ExtensionContext context) {
    Kes kes = context.getStore(NAMESPACE).remove(storeKey, Kes.class);
    if (kes != null) {
      kes.close();
    }
    // Back to the enclosing engine, if any (a @Nested class inside a per-class scope).
    current = context.getParent().flatMap(this::find).orElse(null);
  }

  private Optional<Kes> find(ExtensionContext context) {
    return Optional.ofNullable(context.getStore(NAMESPACE).get(storeKey, Kes.class));
  }
}
