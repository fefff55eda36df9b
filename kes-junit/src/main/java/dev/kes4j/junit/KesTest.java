package dev.kes4j.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Runs a test class against KES: an in-process kes4j engine or a real KES server, with the keys
 * {@link #keys()} created fresh for every test. The main way to use {@link KesExtension}.
 *
 * <pre>{@code
 * @KesTest(keys = "my-key")
 * class MyServiceTest {
 *   @Test
 *   void sealsDataKeys(KeyService kms) {
 *     DataKey dek = kms.generateKey("my-key", context);
 *     assertThat(kms.decrypt("my-key", dek.ciphertext(), context)).isEqualTo(dek.plaintext());
 *   }
 * }
 * }</pre>
 *
 * <p>Test, lifecycle and constructor parameters of type {@link dev.kes4j.api.KeyService}, {@link
 * dev.kes4j.core.Kes}, {@link KesFixture}, {@code KesClient} ({@link Mode#SERVER}) and {@code
 * FakeSecretManager} ({@link Store#GCP_FAKE}) are injected; see {@link KesExtension} for what each
 * is and for the lifecycle.
 *
 * <p><b>Lifecycle.</b> With the default {@link Scope#PER_CLASS} one engine (and server) serves the
 * whole class and its {@code @Nested} classes; before each test the {@link #keys()} are created,
 * and after it every key the test left behind is deleted, declared or not (keys that existed before
 * the test, for example from {@code @BeforeAll}, are kept). The tests of such a class therefore run
 * one at a time (a JUnit {@link ResourceLock} per class, from {@link KesLocks}); classes run in
 * parallel, each with its own engine. {@link Scope#PER_TEST} gives every test its own engine, so
 * tests of one class may run in parallel too.
 *
 * <p>A {@code @Nested} class shares its enclosing class's engine unless it carries a {@code
 * KesTest} of its own. The annotation is inherited by subclasses and may be used as a
 * meta-annotation.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KesExtension.class)
@ResourceLock(providers = KesLocks.class)
public @interface KesTest {

  /** Where KES runs. Default {@link Mode#IN_PROCESS}. */
  Mode mode() default Mode.IN_PROCESS;

  /** Which key store the engine uses. Default {@link Store#MEMORY}. */
  Store store() default Store.MEMORY;

  /**
   * Keys created before every test (after {@code @BeforeAll}, before {@code @BeforeEach}) and
   * deleted after it (after {@code @AfterEach}). A name KES does not accept, or one that already
   * exists when the test starts, fails the test with an {@link
   * org.junit.jupiter.api.extension.ExtensionConfigurationException} naming the key.
   */
  String[] keys() default {};

  /** How long one engine (and server) lives. Default {@link Scope#PER_CLASS}. */
  Scope scope() default Scope.PER_CLASS;

  /** Where KES runs. */
  enum Mode {
    /**
     * The engine ({@link dev.kes4j.core.Kes}) runs in the test's JVM; {@code KeyService} is the
     * engine itself. Needs only kes-junit.
     */
    IN_PROCESS,
    /**
     * A real {@code KesServer} (kes-server) on {@code 127.0.0.1} and a free port, with a generated
     * CA, server certificate and admin identity, and a {@code KesClient} (kes-client) connected to
     * it as the admin; {@code KeyService} is that client, so every call crosses HTTPS with mutual
     * TLS. Needs {@code dev.kes4j:kes-server} and {@code dev.kes4j:kes-client} on the test class
     * path.
     */
    SERVER
  }

  /** Which key store the engine uses. */
  enum Store {
    /** A new in-memory store ({@code MemKeyStore}) per engine. */
    MEMORY,
    /**
     * The GCP Secret Manager store (kes-keystore-gcp) over a new loopback {@code FakeSecretManager}
     * (kes-keystore-gcp-fake) per engine: Google's real client over gRPC, no cloud account. Needs
     * {@code dev.kes4j:kes-keystore-gcp} and {@code dev.kes4j:kes-keystore-gcp-fake}.
     */
    GCP_FAKE
  }

  /** How long one engine (and server) lives. */
  enum Scope {
    /**
     * One engine for the class: started before {@code @BeforeAll} methods, closed after {@code
     * AfterAll} methods; the class's tests run one at a time.
     */
    PER_CLASS,
    /**
     * One engine per test: started before {@code @BeforeEach} methods, closed after {@code
     * AfterEach} methods. Nothing can be injected into constructors or {@code @BeforeAll} methods.
     */
    PER_TEST
  }
}
