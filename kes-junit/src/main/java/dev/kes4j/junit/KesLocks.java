package dev.kes4j.junit;

import java.util.Set;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit resource lock that makes the tests of a class sharing one engine run one at a time
 * under parallel execution: one exclusive lock per top-level test class, so classes still run in
 * parallel. {@link KesTest} declares it; a class that registers {@link KesExtension} with {@code
 * RegisterExtension} may declare it too, with {@code @ResourceLock(providers = KesLocks.class)}
 * (without it, the extension still serializes the tests that share an engine, but by blocking
 * JUnit's worker threads).
 *
 * <p>No lock for a class whose {@link KesTest#scope()} is {@link KesTest.Scope#PER_TEST}. Stateless
 * and thread-safe; JUnit creates it.
 */
public final class KesLocks implements ResourceLocksProvider {
  /** The prefix of every lock key; the test class's name follows. */
  public static final String LOCK_PREFIX = "dev.kes4j.junit.engine:";

  /** Called by JUnit. */
  public KesLocks() {}

  @Override
  public Set<Lock> provideForClass(Class<?> testClass) {
    boolean perTest =
        AnnotationSupport.findAnnotation(testClass, KesTest.class)
            .map(k -> k.scope() == KesTest.Scope.PER_TEST)
            .orElse(false);
    if (perTest) {
      return Set.of();
    }
    // An exclusive lock on a class also runs its nested classes and tests in the same thread.
    return Set.of(new Lock(LOCK_PREFIX + testClass.getName(), ResourceAccessMode.READ_WRITE));
  }
}
