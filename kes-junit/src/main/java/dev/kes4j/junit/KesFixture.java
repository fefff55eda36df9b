package dev.kes4j.junit;

import dev.kes4j.api.Identity;
import dev.kes4j.api.KeyService;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.client.KesClient;
import dev.kes4j.core.Kes;
import dev.kes4j.junit.internal.FakeGcp;
import dev.kes4j.junit.internal.Requirements;
import dev.kes4j.junit.internal.TestServer;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.ApiKey;
import dev.kes4j.policy.PolicySet;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * What {@link KesExtension} started for a test class (or test): the engine, and in {@link
 * KesTest.Mode#SERVER} the server's address, certificates, admin identity and client. Inject it as
 * a parameter when a test needs more than a {@link KeyService}, for example to point the code under
 * test at the server:
 *
 * <pre>{@code
 * @KesTest(mode = KesTest.Mode.SERVER, keys = "minio-key")
 * class StorageServerTest {
 *   @Test
 *   void startsAgainstKes(KesFixture kes) {
 *     StorageServer s = StorageServer.start(kes.environment()); // MINIO_KMS_KES_ENDPOINT, ...
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>The server-only methods throw {@link IllegalStateException} in {@link
 * KesTest.Mode#IN_PROCESS}; {@link #fakeSecretManager()} does outside {@link
 * KesTest.Store#GCP_FAKE}. Thread-safe. Nothing here prints a secret: {@link #toString()} shows the
 * mode, store and endpoint only.
 */
public final class KesFixture {
  private static final AtomicLong UNIQUE = new AtomicLong();

  private final KesTest.Mode mode;
  private final KesTest.Store store;
  private final List<String> keys;
  private final Kes kes;
  private final TestServer server; // null in IN_PROCESS; class loaded only in SERVER mode
  private final FakeGcp gcp; // null unless GCP_FAKE; class loaded only then
  private final Semaphore oneTestAtATime = new Semaphore(1);

  private KesFixture(
      KesTest.Mode mode,
      KesTest.Store store,
      List<String> keys,
      Kes kes,
      TestServer server,
      FakeGcp gcp) {
    this.mode = mode;
    this.store = store;
    this.keys = keys;
    this.kes = kes;
    this.server = server;
    this.gcp = gcp;
  }

  /**
   * Starts an engine (and server) as configured.
   *
   * @throws ExtensionConfigurationException if an artifact the mode or store needs is missing
   */
  static KesFixture start(
      KesTest.Mode mode,
      KesTest.Store store,
      List<String> keys,
      Consumer<PolicySet.Builder> policies,
      Consumer<Kes.Builder> customizer) {
    if (mode == KesTest.Mode.SERVER) {
      Requirements.server();
    }
    if (store == KesTest.Store.GCP_FAKE) {
      Requirements.gcpFake();
    }
    FakeGcp gcp = null;
    Kes kes = null;
    try {
      KeyStore keyStore;
      if (store == KesTest.Store.GCP_FAKE) {
        gcp = FakeGcp.start();
        keyStore = gcp.keyStore();
      } else {
        keyStore = new MemKeyStore();
      }
      Kes.Builder builder = Kes.builder().keyStore(keyStore).manualMaintenance();
      ApiKey admin = mode == KesTest.Mode.SERVER ? ApiKey.generate() : null;
      try {
        PolicySet.Builder policySet = PolicySet.builder();
        if (admin != null) {
          policySet.admin(admin.identity());
        }
        policies.accept(policySet);
        builder.policies(policySet.build());
        customizer.accept(builder);
        kes = builder.build();
      } catch (RuntimeException | Error e) {
        keyStore.close();
        throw e;
      }
      TestServer server = mode == KesTest.Mode.SERVER ? TestServer.start(kes, admin) : null;
      return new KesFixture(mode, store, keys, kes, server, gcp);
    } catch (RuntimeException | Error e) {
      if (kes != null) {
        kes.close();
      }
      if (gcp != null) {
        gcp.close();
      }
      throw e;
    }
  }

  /** Where KES runs. */
  public KesTest.Mode mode() {
    return mode;
  }

  /** Which key store the engine uses. */
  public KesTest.Store store() {
    return store;
  }

  /** The keys created before every test ({@link KesTest#keys()}), in declared order. */
  public List<String> declaredKeys() {
    return keys;
  }

  /**
   * The service the code under test should use: the engine in {@link KesTest.Mode#IN_PROCESS}, the
   * admin {@link #client()} in {@link KesTest.Mode#SERVER}.
   */
  public KeyService keyService() {
    return server != null ? server.client() : kes;
  }

  /**
   * The engine. In {@link KesTest.Mode#SERVER} it is the engine behind the server: calls on it do
   * not cross the network (useful to set up or inspect state directly).
   */
  public Kes kes() {
    return kes;
  }

  /**
   * The client connected to the server as the admin.
   *
   * @throws IllegalStateException in {@link KesTest.Mode#IN_PROCESS}
   */
  public KesClient client() {
    return requireServer("client()").client();
  }

  /**
   * A client builder for the server with the endpoint and CA set and no identity: add {@code
   * apiKey(...)} or {@code clientCertificate(...)} to connect as someone other than the admin (give
   * that identity a policy with {@link KesExtension.Builder#policies}). The caller closes the
   * client.
   *
   * @throws IllegalStateException in {@link KesTest.Mode#IN_PROCESS}
   */
  public KesClient.Builder clientBuilder() {
    return requireServer("clientBuilder()").clientBuilder();
  }

  /**
   * The server's address, {@code https://127.0.0.1:PORT}.
   *
   * @throws IllegalStateException in {@link KesTest.Mode#IN_PROCESS}
   */
  public URI endpoint() {
    return requireServer("endpoint()").endpoint();
  }

  /**
   * The PEM file of the CA that issued the server's and the admin's certificates (trust it to
   * connect; MinIO's {@code MINIO_KMS_KES_CAPATH}).
   *
   * @throws IllegalStateException in {@link KesTest.Mode#IN_PROCESS}
   */
  public Path caCertificate() {
    return requireServer("caCertificate()").directory().resolve("ca.cert");
  }

  /**
   * The PEM file of the admin's client certificate (issued by the CA; MinIO's {@code
   * MINIO_KMS_KES_CERT_FILE}).
   *
   * @throws IllegalStateException in {@link KesTest.Mode#IN_PROCESS}
   */
  public Path adminCertificate() {
    return requireServer("adminCertificate()").directory().resolve("client.cert");
  }

  /**
   * The PEM file of the admin's private key (PKCS#8, mode 0600; MinIO's {@code
   * MINIO_KMS_KES_KEY_FILE}).
   *
   * @throws IllegalStateException in {@link KesTest.Mode#IN_PROCESS}
   */
  public Path adminPrivateKey() {
    return requireServer("adminPrivateKey()").directory().resolve("client.key");
  }

  /**
   * The admin's API key ({@code kes:v1:…}), the same identity as the admin certificate: a client
   * may authenticate with either. A secret of the test run.
   *
   * @throws IllegalStateException in {@link KesTest.Mode#IN_PROCESS}
   */
  public String adminApiKey() {
    return requireServer("adminApiKey()").admin().encode();
  }

  /**
   * The admin's identity (the hash of its public key), which the server treats as admin.
   *
   * @throws IllegalStateException in {@link KesTest.Mode#IN_PROCESS}
   */
  public Identity adminIdentity() {
    return requireServer("adminIdentity()").admin().identity();
  }

  /**
   * The variables MinIO reads to use this server: {@code MINIO_KMS_KES_ENDPOINT}, {@code
   * MINIO_KMS_KES_CERT_FILE}, {@code MINIO_KMS_KES_KEY_FILE}, {@code MINIO_KMS_KES_CAPATH} and,
   * when keys are declared, {@code MINIO_KMS_KES_KEY_NAME} (the first). For a process or an
   * application configured like MinIO.
   *
   * @throws IllegalStateException in {@link KesTest.Mode#IN_PROCESS}
   */
  public Map<String, String> environment() {
    requireServer("environment()");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MINIO_KMS_KES_ENDPOINT", endpoint().toString());
    env.put("MINIO_KMS_KES_CERT_FILE", adminCertificate().toString());
    env.put("MINIO_KMS_KES_KEY_FILE", adminPrivateKey().toString());
    env.put("MINIO_KMS_KES_CAPATH", caCertificate().toString());
    if (!keys.isEmpty()) {
      env.put("MINIO_KMS_KES_KEY_NAME", keys.get(0));
    }
    return Map.copyOf(env);
  }

  /**
   * The Secret Manager fake behind the key store, to inject faults ({@code failNext}, {@code
   * delay}) or look at what was stored: {@code fixture.fakeSecretManager(FakeSecretManager.class)}.
   * (A {@code FakeSecretManager} test parameter is injected too.) The class is passed in because
   * kes-junit does not name kes-keystore-gcp-fake at compile time.
   *
   * @throws IllegalStateException unless {@link KesTest.Store#GCP_FAKE}
   * @throws ClassCastException if {@code type} is not {@code FakeSecretManager} or a supertype
   */
  public <T> T fakeSecretManager(Class<T> type) {
    if (gcp == null) {
      throw new IllegalStateException(
          "fakeSecretManager() needs @KesTest(store = GCP_FAKE); this engine uses " + store);
    }
    return type.cast(gcp.fake());
  }

  /** The fake, untyped (for the parameter resolver). */
  Object fakeSecretManager() {
    return fakeSecretManager(Object.class);
  }

  /**
   * A key name no other call in this JVM returned: {@code prefix-N}. For tests that create keys of
   * their own; such keys are deleted after the test like any other.
   *
   * @throws NullPointerException if prefix is null
   */
  public String uniqueKeyName(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return prefix + "-" + UNIQUE.incrementAndGet();
  }

  @Override
  public String toString() {
    return "KesFixture["
        + mode
        + ", "
        + store
        + (server != null ? ", " + server.endpoint() : "")
        + ", keys="
        + keys
        + "]";
  }

  private TestServer requireServer(String method) {
    if (server == null) {
      throw new IllegalStateException(
          method + " needs @KesTest(mode = SERVER); this engine runs " + mode);
    }
    return server;
  }

  // ---- per test: called by KesExtension

  /** What {@link #afterTest} undoes. */
  record TestState(Set<String> before) {}

  /**
   * Waits for the engine to be free, remembers which keys exist, and creates the declared keys.
   *
   * @throws ExtensionConfigurationException if a declared key exists already or is invalid
   */
  TestState beforeTest() {
    oneTestAtATime.acquireUninterruptibly();
    try {
      Set<String> before = new HashSet<>(allKeys());
      List<String> created = new ArrayList<>();
      try {
        for (String key : keys) {
          if (before.contains(key)) {
            throw new ExtensionConfigurationException(
                "@KesTest(keys): key '"
                    + key
                    + "' exists already before the test (created in @BeforeAll or a constructor?):"
                    + " declared keys are created fresh for every test");
          }
          try {
            kes.createKey(key);
          } catch (RuntimeException e) {
            throw new ExtensionConfigurationException(
                "@KesTest(keys): cannot create key '" + key + "': " + e.getMessage(), e);
          }
          created.add(key);
        }
      } catch (RuntimeException e) {
        for (String key : created) {
          deleteQuietly(key);
        }
        throw e;
      }
      return new TestState(before);
    } catch (RuntimeException | Error e) {
      oneTestAtATime.release();
      throw e;
    }
  }

  /** Deletes every key that did not exist before the test, and frees the engine. */
  void afterTest(TestState state) {
    try {
      for (String key : allKeys()) {
        if (!state.before().contains(key)) {
          kes.deleteKey(key);
        }
      }
    } finally {
      oneTestAtATime.release();
    }
  }

  private List<String> allKeys() {
    List<String> names = new ArrayList<>();
    String continueAt = "";
    while (true) {
      var page = kes.listKeys("", continueAt, 0);
      names.addAll(page.items());
      if (!page.hasMore()) {
        return names;
      }
      continueAt = page.continueAt();
    }
  }

  private void deleteQuietly(String key) {
    try {
      kes.deleteKey(key);
    } catch (RuntimeException ignored) {
      // best effort while reporting the original failure
    }
  }

  /** Stops the server, the engine (and its store) and the fake. */
  void close() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      try {
        kes.close();
      } finally {
        if (gcp != null) {
          gcp.close();
        }
      }
    }
  }
}
