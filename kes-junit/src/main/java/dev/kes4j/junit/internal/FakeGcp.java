package dev.kes4j.junit.internal;

import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStoreProvider;
import dev.kes4j.api.spi.KeyStores;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * A loopback {@code FakeSecretManager} (kes-keystore-gcp-fake) and the GCP Secret Manager key store
 * (kes-keystore-gcp, provider {@code gcp.secretmanager}) connected to it in emulator mode
 * (plaintext gRPC, no credentials), for {@code store = GCP_FAKE}.
 *
 * <p>Neither jar has a module descriptor (gRPC splits packages), so kes-junit names neither at
 * compile time: the store is opened through the {@link KeyStores} SPI with the settings a KES
 * config would give it, and the fake is driven by reflection on its public API ({@code start()},
 * {@code projectId()}, {@code endpoint()}, {@code close()}). The engine closes the store; {@link
 * #close()} stops the fake. Thread-safe.
 */
public final class FakeGcp implements AutoCloseable {
  static final String FAKE_CLASS = "dev.kes4j.keystore.gcp.fake.FakeSecretManager";
  static final String PROVIDER_ID = "gcp.secretmanager";

  private final AutoCloseable fake;
  private final KeyStore store;

  private FakeGcp(AutoCloseable fake, KeyStore store) {
    this.fake = fake;
    this.store = store;
  }

  /**
   * Starts a fake serving any project on a free loopback port, and a store for its default project.
   *
   * @throws ExtensionConfigurationException if the GCP store provider is not found
   * @throws java.io.UncheckedIOException if no port can be bound
   */
  public static FakeGcp start() {
    KeyStoreProvider provider =
        KeyStores.discover()
            .provider(PROVIDER_ID)
            .orElseThrow(
                () ->
                    new ExtensionConfigurationException(
                        "@KesTest(store = GCP_FAKE): no key store provider '"
                            + PROVIDER_ID
                            + "' found (kes-keystore-gcp's META-INF/services or module"
                            + " descriptor not visible)"));
    AutoCloseable fake = (AutoCloseable) call(newFake(), "start");
    try {
      String projectId = (String) call(fake, "projectId");
      String endpoint = (String) call(fake, "endpoint");
      KeyStore store =
          provider.open(
              KeyStoreConfig.of(
                  "keystore." + PROVIDER_ID,
                  Map.of("project_id", projectId, "endpoint", endpoint, "timeout", "5s")));
      return new FakeGcp(fake, store);
    } catch (RuntimeException | Error e) {
      closeQuietly(fake);
      throw e;
    }
  }

  /** The {@code FakeSecretManager}, for fault injection and for looking at what was stored. */
  public Object fake() {
    return fake;
  }

  /** The key store connected to the fake. */
  public KeyStore keyStore() {
    return store;
  }

  /** Stops the fake. Idempotent. */
  @Override
  public void close() {
    closeQuietly(fake);
  }

  private static Object newFake() {
    try {
      return Class.forName(FAKE_CLASS, true, FakeGcp.class.getClassLoader())
          .getConstructor()
          .newInstance();
    } catch (InvocationTargetException e) {
      throw unwrap(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + FAKE_CLASS + ": " + e, e);
    }
  }

  private static Object call(Object target, String method) {
    try {
      return target.getClass().getMethod(method).invoke(target);
    } catch (InvocationTargetException e) {
      throw unwrap(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot call " + FAKE_CLASS + "." + method + "(): " + e, e);
    }
  }

  private static RuntimeException unwrap(InvocationTargetException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new IllegalStateException(cause);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // stopping a loopback fake: nothing useful to report
    }
  }
}
