package dev.kes4j.core;

import dev.kes4j.api.ApiPath;
import dev.kes4j.api.CiphertextFormat;
import dev.kes4j.api.DataKey;
import dev.kes4j.api.DecryptRequest;
import dev.kes4j.api.Identity;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyInfo;
import dev.kes4j.api.KeyService;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.NotAuthorizedException;
import dev.kes4j.api.Page;
import dev.kes4j.api.ServiceStatus;
import dev.kes4j.api.internal.StoreErrors;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.core.internal.KeyCache;
import dev.kes4j.core.internal.Randoms;
import dev.kes4j.crypto.KeyBlobFormat;
import dev.kes4j.crypto.KeyBlobs;
import dev.kes4j.crypto.KeyVersion;
import dev.kes4j.crypto.MasterKey;
import dev.kes4j.policy.Decision;
import dev.kes4j.policy.NameRules;
import dev.kes4j.policy.PolicySet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 600 lines: the engine is every KeyService operation, their authorized view, audit and
// listener plumbing, and the builder; the cache and randomness live in internal.
/**
 * The in-process KES engine: what a storage server embeds to generate, seal and unseal data keys
 * without a sidecar.
 *
 * <pre>{@code
 * try (Kes kes = Kes.builder().keyStore(new MemKeyStore()).build()) {
 *   kes.createKey("my-key");
 *   DataKey dek = kes.generateKey("my-key", context);
 *   byte[] plaintext = kes.decrypt("my-key", dek.ciphertext(), context);
 * }
 * }</pre>
 *
 * <p>Calls made directly on a {@code Kes} are trusted: they are not authorized (the host is the
 * caller). {@link #as(Identity)} returns a view that authorizes every call against the policy set
 * with the request path the HTTP API would use, so a host exposing kes4j over its own transport
 * gets KES's authorization exactly.
 *
 * <p>Keys are cached as spec §8 describes ({@link CacheConfig}); a background thread (or the
 * injected scheduler) runs the cache sweeps and the key store probe. Every operation emits one
 * {@link AuditEvent} and notifies the {@link KesListener}.
 *
 * <p>Thread-safe. Operations block on the key store on a cache miss and for create, import, delete
 * and list, within the store's own bounds; no lock is held across key store I/O.
 */
public final class Kes implements KeyService, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Kes.class);
  private static final String VERSION = loadVersion();
  private static final int DATA_KEY_SIZE = 32;
  private static final int MAX_BULK = 1000;

  private final KeyStore store;
  private final boolean closeStore;
  private final PolicySet policies;
  private final NameRules names;
  private final CiphertextFormat ciphertextFormat;
  private final KeyBlobFormat keyFormat;
  private final Clock clock;
  private final AuditSink audit;
  private final KesListener listener;
  private final boolean observed;
  private final KeyCache cache;
  private final ScheduledExecutorService ownScheduler;
  private final ScheduledFuture<?> maintenance;
  private final Instant started;
  private volatile boolean closed;

  private Kes(Builder b) {
    this.store = Objects.requireNonNull(b.store, "keyStore");
    this.closeStore = b.closeStore;
    this.policies = b.policies;
    this.names = b.lenientNames ? NameRules.LENIENT : NameRules.STRICT;
    this.ciphertextFormat = b.ciphertextFormat;
    this.keyFormat = b.keyFormat;
    this.clock = b.clock;
    this.audit = b.audit;
    this.listener = b.listener;
    this.observed = b.audit != AuditSink.NONE || b.listener != KesListener.NONE;
    this.cache = new KeyCache(store, b.cache, b.probeInterval, clock, listener);
    this.started = clock.instant();
    ScheduledExecutorService scheduler = b.scheduler;
    if (b.manualMaintenance) {
      this.ownScheduler = null;
      this.maintenance = null;
    } else {
      if (scheduler == null) {
        scheduler =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "kes4j-cache-maintenance");
                  t.setDaemon(true);
                  return t;
                });
        this.ownScheduler = scheduler;
      } else {
        this.ownScheduler = null;
      }
      long tick = cache.tickPeriod().toMillis();
      this.maintenance =
          scheduler.scheduleWithFixedDelay(
              this::maintainQuietly, tick, tick, TimeUnit.MILLISECONDS);
    }
  }

  /** A builder; {@link Builder#keyStore(KeyStore)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds an engine from a KES config file (either schema), with key store providers found by
   * {@link KeyStores#discover()}; creates the config's {@code keys:} when absent.
   *
   * @throws KesConfigException if the config is invalid or names an unknown key store
   * @throws KesException if the key store fails while creating startup keys
   */
  public static Kes fromConfig(Path file) {
    return fromConfig(KesConfig.load(file));
  }

  /** Like {@link #fromConfig(Path)} for a parsed config. */
  public static Kes fromConfig(KesConfig config) {
    return fromConfig(config, KeyStores.discover(), b -> {});
  }

  /**
   * Builds an engine from a parsed config with the given key store providers; {@code customizer}
   * may adjust the builder (audit sink, listener, clock …) before it is built. Creates the config's
   * {@code keys:} when absent ({@link #ensureKeys}).
   *
   * @throws KesConfigException if the config is invalid or names an unknown key store
   * @throws KesException if the key store fails while creating startup keys, naming the key and the
   *     reason
   */
  public static Kes fromConfig(
      KesConfig config, KeyStores stores, java.util.function.Consumer<Builder> customizer) {
    Kes kes = openConfig(config, stores, customizer);
    try {
      kes.ensureKeys(config.keys());
    } catch (RuntimeException e) {
      kes.close();
      throw e;
    }
    return kes;
  }

  /**
   * Like {@link #fromConfig(KesConfig, KeyStores, java.util.function.Consumer)} but creates no
   * keys: a host that checks its own settings (TLS files, listen address) first calls {@link
   * #ensureKeys} with {@link KesConfig#keys()} once those hold, so that a bad setting leaves the
   * store untouched. Checks the {@code keystore:} section against the providers' declared settings
   * first (near misses are errors naming line and key; unknown settings are logged as warnings),
   * then opens the store, which does not contact it for the built-in stores.
   *
   * @throws KesConfigException if the config is invalid or names an unknown key store
   */
  public static Kes openConfig(
      KesConfig config, KeyStores stores, java.util.function.Consumer<Builder> customizer) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(stores, "stores");
    Objects.requireNonNull(customizer, "customizer");
    PolicySet policySet = config.policySet();
    for (String warning : config.checkKeyStoreSettings(stores)) {
      LOG.warn("{}", warning);
    }
    KeyStore store =
        stores.open(
            config
                .keyStore()
                .orElseGet(() -> KeyStoreConfig.of("keystore", Map.of("mem", Map.of()))));
    Builder b =
        builder()
            .keyStore(store)
            .policies(policySet)
            .cache(config.cache())
            .ciphertextFormat(config.ciphertextFormat())
            .keyFormat(config.keyFormat())
            .lenientNames(config.lenientNames());
    customizer.accept(b);
    try {
      return b.build();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Creates each named key that does not exist yet, in order (a config's {@code keys:}); a key that
   * exists is left as it is. Blocks on the key store.
   *
   * @return the names it created
   * @throws KesException when the store fails, with the message {@code failed to create key
   *     "<name>": <reason>} — the store's reason in words (unreachable, permission denied …, with
   *     the store's message, never a secret); keys before it stay created. A {@link
   *     KeyStoreUnreachableException} stays one.
   */
  public List<String> ensureKeys(java.util.Collection<String> names) {
    List<String> created = new java.util.ArrayList<>();
    for (String key : names) {
      try {
        createKey(key);
        created.add(key);
        LOG.info("created key '{}' listed in the config", key);
      } catch (KeyExistsException e) {
        LOG.debug("key '{}' listed in the config exists", key);
      } catch (KeyStoreUnreachableException e) {
        throw new KeyStoreUnreachableException(e.status() == 504, StoreErrors.describe(e, key), e);
      } catch (KesException e) {
        if (e.status() < 500) {
          throw e; // an invalid name: the message names it
        }
        throw new KesException(e.status(), StoreErrors.describe(e, key), e);
      }
    }
    return created;
  }

  /**
   * A view of this engine that authorizes every call for {@code identity} before running it, with
   * the request path the HTTP API would use (such as {@code /v1/key/generate/<name>}); refused
   * calls throw {@link NotAuthorizedException}. Keys it creates record {@code identity} as creator.
   */
  public KeyService as(Identity identity) {
    return new View(Objects.requireNonNull(identity, "identity"), "", true);
  }

  /**
   * A view for a caller that the host has already authorized (as the HTTP API does, route by
   * route): it records {@code identity} as creator and in audit events but does not check policies.
   *
   * @param clientAddress the caller's address for audit events; empty if unknown
   */
  public KeyService asAuthorized(Identity identity, String clientAddress) {
    return new View(
        Objects.requireNonNull(identity, "identity"),
        Objects.requireNonNull(clientAddress, "clientAddress"),
        false);
  }

  /** The policy set calls through {@link #as(Identity)} are checked against. */
  public PolicySet policies() {
    return policies;
  }

  /** Decides whether {@code identity} may request {@code path}, as {@link #as} would. */
  public Decision authorize(Identity identity, String path) {
    return policies.authorize(identity, path);
  }

  /**
   * Whether the named key is cached now, so that generate, encrypt, decrypt, hmac and describe on
   * it would not touch the key store. A hint for transports that answer such calls on I/O threads:
   * the entry may expire a moment later, and then the call fetches the key (within the store's
   * bounds). Never blocks.
   */
  public boolean isCached(String name) {
    return name != null && cache.contains(name);
  }

  /** Whether the last key store probe found the store unreachable. */
  public boolean offline() {
    return cache.offline();
  }

  /** When this engine started. */
  public Instant startTime() {
    return started;
  }

  /** The kes4j version. */
  public static String version() {
    return VERSION;
  }

  /**
   * Runs the cache sweeps and key store probe that are due now on the engine's clock. The scheduler
   * calls this periodically; tests that drive a fake clock (and build with {@link
   * Builder#manualMaintenance()}) call it directly. Blocks while a probe runs.
   */
  public void runMaintenance() {
    cache.maintain();
  }

  private void maintainQuietly() {
    try {
      cache.maintain();
    } catch (RuntimeException e) {
      LOG.warn("cache maintenance failed: {}", e.toString());
    }
  }

  // ---- KeyService: trusted, unauthorized calls -------------------------------------------------

  @Override
  public void createKey(String name) {
    run(null, "", ApiPath.KEY_CREATE.path(), name, () -> doCreate(name, ""));
  }

  @Override
  public void importKey(String name, KeyAlgorithm algorithm, byte[] key) {
    run(null, "", ApiPath.KEY_IMPORT.path(), name, () -> doImport(name, algorithm, key, ""));
  }

  @Override
  public KeyInfo describeKey(String name) {
    return run(null, "", ApiPath.KEY_DESCRIBE.path(), name, () -> doDescribe(name));
  }

  @Override
  public void deleteKey(String name) {
    run(null, "", ApiPath.KEY_DELETE.path(), name, () -> doDelete(name));
  }

  @Override
  public Page<String> listKeys(String prefix, String continueAt, int limit) {
    return run(null, "", ApiPath.KEY_LIST.path(), prefix, () -> doList(prefix, continueAt, limit));
  }

  @Override
  public DataKey generateKey(String name, byte[] context) {
    return run(null, "", ApiPath.KEY_GENERATE.path(), name, () -> doGenerate(name, context));
  }

  @Override
  public byte[] encrypt(String name, byte[] plaintext, byte[] context) {
    return run(
        null, "", ApiPath.KEY_ENCRYPT.path(), name, () -> doEncrypt(name, plaintext, context));
  }

  @Override
  public byte[] decrypt(String name, byte[] ciphertext, byte[] context) {
    return run(
        null, "", ApiPath.KEY_DECRYPT.path(), name, () -> doDecrypt(name, ciphertext, context));
  }

  @Override
  public List<byte[]> decryptAll(String name, List<DecryptRequest> requests) {
    return run(null, "", ApiPath.KEY_BULK_DECRYPT.path(), name, () -> doDecryptAll(name, requests));
  }

  @Override
  public byte[] hmac(String name, byte[] message) {
    return run(null, "", ApiPath.KEY_HMAC.path(), name, () -> doHmac(name, message));
  }

  @Override
  public ServiceStatus status() {
    return run(null, "", ApiPath.STATUS.path(), "", this::doStatus);
  }

  /** Stops maintenance and closes the key store (unless built not to). Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (maintenance != null) {
      maintenance.cancel(false);
    }
    if (ownScheduler != null) {
      ownScheduler.shutdownNow();
    }
    if (closeStore) {
      store.close();
    }
  }

  @Override
  public String toString() {
    return "Kes[version=" + VERSION + ", cachedKeys=" + cache.size() + "]";
  }

  // ---- the operations
  // ----------------------------------------------------------------------------

  private Void doCreate(String name, String createdBy) {
    names.checkKeyName(name);
    KeyVersion key = KeyVersion.generate(KeyAlgorithm.AES256, clock.instant(), createdBy);
    return viaStore(() -> store.create(name, KeyBlobs.encode(key, keyFormat)));
  }

  private Void doImport(String name, KeyAlgorithm algorithm, byte[] material, String createdBy) {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(material, "key");
    names.checkKeyName(name);
    if (material.length != 32) {
      throw new KesException(406, "invalid key size for '" + algorithm.kesName() + "'");
    }
    KeyVersion key =
        KeyVersion.of(
            MasterKey.of(algorithm, material), Randoms.bytes(32), clock.instant(), createdBy);
    return viaStore(() -> store.create(name, KeyBlobs.encode(key, keyFormat)));
  }

  private KeyInfo doDescribe(String name) {
    names.checkKeyName(name);
    return cache.get(name).info(name);
  }

  private Void doDelete(String name) {
    names.checkKeyName(name);
    viaStore(() -> store.delete(name));
    cache.evict(name); // spec §8: only after the store delete succeeded
    return null;
  }

  private Page<String> doList(String pattern, String continueAt, int limit) {
    Objects.requireNonNull(pattern, "prefix");
    Objects.requireNonNull(continueAt, "continueAt");
    names.checkListPattern(pattern);
    // spec §1.4: '*' means all; one trailing '*' is stripped (Go keeps it: not mirrored)
    String prefix = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
    return cache.ask(() -> store.list(prefix, continueAt, limit));
  }

  /** A key store call that returns nothing, through {@link KeyCache#ask}. */
  private interface StoreAction {
    void run();
  }

  private Void viaStore(StoreAction call) {
    return cache.ask(
        () -> {
          call.run();
          return null;
        });
  }

  private DataKey doGenerate(String name, byte[] context) {
    names.checkKeyName(name);
    KeyVersion key = cache.get(name);
    byte[] plaintext = Randoms.bytes(DATA_KEY_SIZE);
    try {
      byte[] ciphertext = key.masterKey().seal(plaintext, context, ciphertextFormat);
      return new DataKey(plaintext, ciphertext);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  private byte[] doEncrypt(String name, byte[] plaintext, byte[] context) {
    Objects.requireNonNull(plaintext, "plaintext");
    names.checkKeyName(name);
    return cache.get(name).masterKey().seal(plaintext, context, ciphertextFormat);
  }

  private byte[] doDecrypt(String name, byte[] ciphertext, byte[] context) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    names.checkKeyName(name);
    return cache.get(name).masterKey().open(ciphertext, context);
  }

  private List<byte[]> doDecryptAll(String name, List<DecryptRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    names.checkKeyName(name);
    if (requests.size() > MAX_BULK) {
      throw new KesException(400, "too many ciphertexts");
    }
    MasterKey key = cache.get(name).masterKey();
    List<byte[]> out = new ArrayList<>(requests.size());
    for (DecryptRequest r : requests) {
      out.add(key.open(r.ciphertext(), r.context()));
    }
    return out;
  }

  private byte[] doHmac(String name, byte[] message) {
    Objects.requireNonNull(message, "message");
    names.checkKeyName(name);
    return cache.get(name).hmac(message);
  }

  private ServiceStatus doStatus() {
    Duration uptime = Duration.between(started, clock.instant());
    // a fresh probe, which also ends or starts offline mode: status never lags behind the store
    if (cache.probe()) {
      return new ServiceStatus(VERSION, uptime, true, cache.lastLatency());
    }
    return new ServiceStatus(VERSION, uptime, false, Duration.ZERO);
  }

  // ---- authorization, audit and listener around every operation --------------------------------

  private <T> T run(
      Identity caller, String clientAddress, String route, String resource, Supplier<T> body) {
    if (closed) {
      throw new IllegalStateException("kes4j engine is closed");
    }
    if (caller == null && !observed) {
      return body.get(); // trusted in-process call with nobody listening: no overhead
    }
    return runObserved(caller, clientAddress, route, resource, body, caller != null);
  }

  private <T> T runObserved(
      Identity caller,
      String clientAddress,
      String route,
      String resource,
      Supplier<T> body,
      boolean authorize) {
    String path = route + (resource == null ? "" : resource);
    long start = System.nanoTime();
    int status = 200;
    try {
      if (authorize && !policies.authorize(caller, path).allowed()) {
        throw new NotAuthorizedException();
      }
      return body.get();
    } catch (KesException e) {
      status = e.status();
      throw e;
    } catch (RuntimeException e) {
      status = 500;
      throw e;
    } finally {
      if (observed) {
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        listener.operationEnded(path, status, took);
        if (audit != AuditSink.NONE) {
          audit.record(
              new AuditEvent(
                  clock.instant(),
                  path,
                  caller == null ? "" : caller.value(),
                  clientAddress,
                  status,
                  took));
        }
      }
    }
  }

  /** The per-identity views of {@link #as} and {@link #asAuthorized}. */
  private final class View implements KeyService {
    private final Identity caller;
    private final String address;
    private final boolean authorize;

    View(Identity caller, String address, boolean authorize) {
      this.caller = caller;
      this.address = address;
      this.authorize = authorize;
    }

    private <T> T call(String route, String resource, Supplier<T> body) {
      if (closed) {
        throw new IllegalStateException("kes4j engine is closed");
      }
      return runObserved(caller, address, route, resource, body, authorize);
    }

    @Override
    public void createKey(String name) {
      call(ApiPath.KEY_CREATE.path(), name, () -> doCreate(name, caller.value()));
    }

    @Override
    public void importKey(String name, KeyAlgorithm algorithm, byte[] key) {
      call(ApiPath.KEY_IMPORT.path(), name, () -> doImport(name, algorithm, key, caller.value()));
    }

    @Override
    public KeyInfo describeKey(String name) {
      return call(ApiPath.KEY_DESCRIBE.path(), name, () -> doDescribe(name));
    }

    @Override
    public void deleteKey(String name) {
      call(ApiPath.KEY_DELETE.path(), name, () -> doDelete(name));
    }

    @Override
    public Page<String> listKeys(String prefix, String continueAt, int limit) {
      return call(ApiPath.KEY_LIST.path(), prefix, () -> doList(prefix, continueAt, limit));
    }

    @Override
    public DataKey generateKey(String name, byte[] context) {
      return call(ApiPath.KEY_GENERATE.path(), name, () -> doGenerate(name, context));
    }

    @Override
    public byte[] encrypt(String name, byte[] plaintext, byte[] context) {
      return call(ApiPath.KEY_ENCRYPT.path(), name, () -> doEncrypt(name, plaintext, context));
    }

    @Override
    public byte[] decrypt(String name, byte[] ciphertext, byte[] context) {
      return call(ApiPath.KEY_DECRYPT.path(), name, () -> doDecrypt(name, ciphertext, context));
    }

    @Override
    public List<byte[]> decryptAll(String name, List<DecryptRequest> requests) {
      return call(ApiPath.KEY_BULK_DECRYPT.path(), name, () -> doDecryptAll(name, requests));
    }

    @Override
    public byte[] hmac(String name, byte[] message) {
      return call(ApiPath.KEY_HMAC.path(), name, () -> doHmac(name, message));
    }

    @Override
    public ServiceStatus status() {
      return call(ApiPath.STATUS.path(), "", Kes.this::doStatus);
    }

    @Override
    public String toString() {
      return "Kes.View["
          + caller
          + (authorize ? ", authorized per call" : ", pre-authorized")
          + "]";
    }
  }

  private static String loadVersion() {
    try (InputStream in = Kes.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }

  /**
   * Builds a {@link Kes}. Not thread-safe; {@link #build()} validates. Defaults: KES's cache
   * expiry, a 10 s key store probe, JSON ciphertexts (every KES version decrypts them), protobuf
   * key blobs, strict names, no policies (so {@link Kes#as} refuses everything), the system clock,
   * no audit sink and no listener.
   */
  public static final class Builder {
    private KeyStore store;
    private boolean closeStore = true;
    private PolicySet policies = PolicySet.builder().build();
    private CacheConfig cache = CacheConfig.kesDefaults();
    private Duration probeInterval = Duration.ofSeconds(10);
    private CiphertextFormat ciphertextFormat = CiphertextFormat.JSON;
    private KeyBlobFormat keyFormat = KeyBlobFormat.PROTOBUF;
    private boolean lenientNames;
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private boolean manualMaintenance;
    private AuditSink audit = AuditSink.NONE;
    private KesListener listener = KesListener.NONE;

    private Builder() {}

    /** The key store (required); the engine closes it on {@link Kes#close()} by default. */
    public Builder keyStore(KeyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Whether {@link Kes#close()} also closes the key store (default true). */
    public Builder closeKeyStore(boolean close) {
      this.closeStore = close;
      return this;
    }

    /** The policies and admin identity that {@link Kes#as} checks. */
    public Builder policies(PolicySet policies) {
      this.policies = Objects.requireNonNull(policies, "policies");
      return this;
    }

    /** Key cache expiry. */
    public Builder cache(CacheConfig cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /** How often the key store is probed for offline mode (default 10 s; zero disables). */
    public Builder probeInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("probe interval must not be negative");
      }
      this.probeInterval = interval;
      return this;
    }

    /** The container that encrypt and generate write (default JSON). */
    public Builder ciphertextFormat(CiphertextFormat format) {
      this.ciphertextFormat = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * The stored-key format that create and import write (default protobuf; {@code LEGACY_JSON} for
     * stores shared with KES ≤ 0.18, at the price of HMAC support).
     */
    public Builder keyFormat(KeyBlobFormat format) {
      this.keyFormat = Objects.requireNonNull(format, "format");
      return this;
    }

    /** Accept key names KES 0.16 allowed, such as {@code my.key} (default false). */
    public Builder lenientNames(boolean lenient) {
      this.lenientNames = lenient;
      return this;
    }

    /** The clock for key creation times, audit times and cache expiry (default system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs cache maintenance on this scheduler instead of an own daemon thread; not shut down. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      this.manualMaintenance = false;
      return this;
    }

    /** No background maintenance: the caller runs {@link Kes#runMaintenance()} (tests). */
    public Builder manualMaintenance() {
      this.manualMaintenance = true;
      this.scheduler = null;
      return this;
    }

    /** Where audit events go (default: nowhere). */
    public Builder auditSink(AuditSink sink) {
      this.audit = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** Who observes operations, cache hits and offline changes (default: nobody). */
    public Builder listener(KesListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the engine.
     *
     * @throws NullPointerException if no key store was set
     */
    public Kes build() {
      return new Kes(this);
    }
  }
}
