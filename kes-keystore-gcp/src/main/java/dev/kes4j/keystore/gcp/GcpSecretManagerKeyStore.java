package dev.kes4j.keystore.gcp;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.AddSecretVersionRequest;
import com.google.cloud.secretmanager.v1.CreateSecretRequest;
import com.google.cloud.secretmanager.v1.DeleteSecretRequest;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.ListSecretsResponse;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.stub.SecretManagerServiceStubSettings;
import com.google.protobuf.ByteString;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.Page;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.keystore.gcp.internal.Endpoint;
import dev.kes4j.keystore.gcp.internal.Errors;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A {@link KeyStore} on Google Cloud Secret Manager, with the storage layout of KES (spec §5.3):
 * the secret id is the key name, the value is the payload of version 1 of that secret, replication
 * is automatic and there are no labels. KES and kes4j servers can therefore share one project.
 *
 * <ul>
 *   <li>create: {@code CreateSecret} then {@code AddSecretVersion}; if adding the version fails the
 *       secret is deleted again (best effort), so no half key is left behind;
 *   <li>get: {@code AccessSecretVersion} of {@code versions/1} (never {@code latest}); a secret
 *       without version 1 reads as not found; the payload's CRC32C is verified when present;
 *   <li>delete: {@code DeleteSecret} (all versions);
 *   <li>list: {@code ListSecrets} over all pages — every secret of the project, including secrets
 *       that are not KES keys — sorted and filtered here;
 *   <li>status: a {@code ListSecrets} of page size 1; any answer of the service, even a refusal,
 *       counts as reachable (as KES's HTTP health check does).
 * </ul>
 *
 * <p>Every RPC is bounded: each attempt by the attempt timeout, each call in total by the timeout
 * (default {@value #DEFAULT_TIMEOUT_SECONDS} s). Only reads (get, list, status) are retried, and
 * only on {@code UNAVAILABLE}; create, add-version and delete are never retried.
 *
 * <p>Errors: {@link KeyExistsException}, {@link KeyNotFoundException} as documented by {@link
 * KeyStore}; {@code UNAVAILABLE} → {@link KeyStoreUnreachableException} (502), {@code
 * DEADLINE_EXCEEDED} → {@link KeyStoreUnreachableException} with status 504; anything else → {@link
 * KesException} 502. Messages are KES's ({@code failed to read key} …); causes are plain-text
 * descriptions of the RPC failure, never a gRPC or gax type.
 *
 * <p>Thread-safe; every method blocks until the service answers or the bound passes. After {@link
 * #close()} every method throws {@link IllegalStateException}.
 */
public final class GcpSecretManagerKeyStore implements KeyStore {
  /** The default total time one operation may take, in seconds. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 5;

  /** The default OAuth scope. */
  public static final String DEFAULT_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

  static final String DEFAULT_CONFIG_PATH = "keystore.gcp.secretmanager";
  private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
  private static final Pattern PROJECT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:_-]*");
  private static final int LIST_PAGE_SIZE = 25_000; // the service's maximum
  private static final int MAX_VALUE_BYTES = 1 << 20; // spec §5.1: values are read with a 1 MiB cap
  private static final String STATUS_MESSAGE = "key store is not reachable";
  private static final System.Logger LOG =
      System.getLogger(GcpSecretManagerKeyStore.class.getName());

  private final String projectId;
  private final String parent;
  private final Endpoint endpoint;
  private final Duration timeout;
  private final SecretManagerServiceClient client;
  private final AtomicBoolean closed = new AtomicBoolean();

  private GcpSecretManagerKeyStore(Builder b, Endpoint endpoint, List<String> scopes) {
    this.projectId = b.projectId;
    this.parent = "projects/" + b.projectId;
    this.endpoint = endpoint;
    this.timeout = b.timeout;
    this.client = newClient(b, endpoint, scopes);
  }

  /** A builder; {@link Builder#projectId} is required, everything else has a default. */
  public static Builder builder() {
    return new Builder();
  }

  private static SecretManagerServiceClient newClient(
      Builder b, Endpoint endpoint, List<String> scopes) {
    SecretManagerServiceStubSettings.Builder settings =
        SecretManagerServiceStubSettings.newBuilder();
    InstantiatingGrpcChannelProvider.Builder channel =
        SecretManagerServiceStubSettings.defaultGrpcTransportProviderBuilder();
    settings.setEndpoint(endpoint.target());
    if (endpoint.emulator()) {
      channel.setChannelConfigurator(cb -> cb.usePlaintext());
      settings.setCredentialsProvider(NoCredentialsProvider.create());
      LOG.log(
          System.Logger.Level.INFO,
          "gcp.secretmanager: using a Secret Manager emulator at {0} (plaintext, no credentials)",
          endpoint.target());
    } else {
      settings.setCredentialsProvider(
          FixedCredentialsProvider.create(b.credentials.toGoogleCredentials(b.projectId, scopes)));
    }
    settings.setTransportChannelProvider(channel.build());

    Duration attempt = b.attemptTimeout == null ? b.timeout : min(b.attemptTimeout, b.timeout);
    RetrySettings once =
        RetrySettings.newBuilder()
            .setInitialRpcTimeoutDuration(attempt)
            .setMaxRpcTimeoutDuration(attempt)
            .setRpcTimeoutMultiplier(1.0)
            .setTotalTimeoutDuration(b.timeout)
            .setMaxAttempts(1)
            .build();
    RetrySettings reads =
        once.toBuilder()
            .setMaxAttempts(3)
            .setInitialRetryDelayDuration(Duration.ofMillis(50))
            .setRetryDelayMultiplier(2.0)
            .setMaxRetryDelayDuration(Duration.ofMillis(500))
            .build();
    // One bound for every unary method, no retries; then the idempotent reads retry UNAVAILABLE.
    settings.applyToAllUnaryMethods(
        m -> {
          m.setRetrySettings(once).setRetryableCodes(Set.of());
          return null;
        });
    settings
        .accessSecretVersionSettings()
        .setRetrySettings(reads)
        .setRetryableCodes(StatusCode.Code.UNAVAILABLE);
    settings
        .listSecretsSettings()
        .setRetrySettings(reads)
        .setRetryableCodes(StatusCode.Code.UNAVAILABLE);
    settings
        .getSecretSettings()
        .setRetrySettings(reads)
        .setRetryableCodes(StatusCode.Code.UNAVAILABLE);
    try {
      return SecretManagerServiceClient.create(settings.build().createStub());
    } catch (IOException | RuntimeException e) {
      throw new KesConfigException(
          b.configPath + ": gcp: cannot create the Secret Manager client",
          Errors.describe("client", e));
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("GcpSecretManagerKeyStore is closed");
    }
  }

  private static boolean isSecretId(String name) {
    return SECRET_ID.matcher(name).matches();
  }

  private static int crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data, 0, data.length);
    return (int) crc.getValue();
  }

  /**
   * {@inheritDoc}
   *
   * <p>A name that cannot be a Secret Manager secret id ({@code [A-Za-z0-9_-]{1,255}}) fails with
   * {@link KesException} 502 {@code failed to create key}, as the service would reject it. If
   * {@code AddSecretVersion} fails after {@code CreateSecret} succeeded, the secret is deleted
   * again (best effort; a failure to do so is attached as suppressed) and the failure is reported.
   *
   * @throws KeyExistsException if a secret with that id exists (even one that is not a KES key)
   * @throws KeyStoreUnreachableException if the service cannot be reached in time
   * @throws KesException 502 {@code failed to create key} on any other failure
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public void create(String name, byte[] value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    checkOpen();
    byte[] data = value.clone();
    if (!isSecretId(name)) {
      throw new KesException(
          502,
          Errors.CREATE,
          Errors.describe(
              "CreateSecret",
              new IllegalArgumentException("not a valid secret id: [A-Za-z0-9_-]{1,255}")));
    }
    Secret secret;
    try {
      secret =
          client.createSecret(
              CreateSecretRequest.newBuilder()
                  .setParent(parent)
                  .setSecretId(name)
                  .setSecret(
                      Secret.newBuilder()
                          .setReplication(
                              Replication.newBuilder()
                                  .setAutomatic(Replication.Automatic.getDefaultInstance())))
                  .build());
    } catch (RuntimeException e) {
      if (Errors.code(e) == StatusCode.Code.ALREADY_EXISTS) {
        throw new KeyExistsException();
      }
      throw Errors.translate("CreateSecret", Errors.CREATE, e);
    }
    try {
      client.addSecretVersion(
          AddSecretVersionRequest.newBuilder()
              .setParent(secret.getName())
              .setPayload(
                  SecretPayload.newBuilder()
                      .setData(ByteString.copyFrom(data))
                      .setDataCrc32C(Integer.toUnsignedLong(crc32c(data))))
              .build());
    } catch (RuntimeException e) {
      KesException failure = Errors.translate("AddSecretVersion", Errors.CREATE, e);
      try {
        // spec §5.3: KES leaves a secret without version; we remove it so no half key remains.
        client.deleteSecret(DeleteSecretRequest.newBuilder().setName(secret.getName()).build());
      } catch (RuntimeException cleanup) {
        failure.addSuppressed(Errors.describe("DeleteSecret (cleanup)", cleanup));
      }
      throw failure;
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyNotFoundException if there is no such secret, it has no version 1, or the name
   *     cannot be a secret id
   * @throws KeyStoreUnreachableException if the service cannot be reached in time
   * @throws KesException 502 {@code failed to read key} on any other failure, including a payload
   *     whose CRC32C does not match
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public byte[] get(String name) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    if (!isSecretId(name)) {
      throw new KeyNotFoundException();
    }
    AccessSecretVersionResponse response;
    try {
      response =
          client.accessSecretVersion(
              AccessSecretVersionRequest.newBuilder()
                  .setName(parent + "/secrets/" + name + "/versions/1")
                  .build());
    } catch (RuntimeException e) {
      if (Errors.code(e) == StatusCode.Code.NOT_FOUND) {
        throw new KeyNotFoundException();
      }
      throw Errors.translate("AccessSecretVersion", Errors.READ, e);
    }
    SecretPayload payload = response.getPayload();
    if (payload.getData().size() > MAX_VALUE_BYTES) {
      throw new KesException(
          502,
          Errors.READ,
          Errors.describe(
              "AccessSecretVersion", new IllegalStateException("payload larger than 1 MiB")));
    }
    byte[] data = payload.getData().toByteArray();
    if (payload.hasDataCrc32C()
        && payload.getDataCrc32C() != Integer.toUnsignedLong(crc32c(data))) {
      throw new KesException(
          502,
          Errors.READ,
          Errors.describe(
              "AccessSecretVersion", new IllegalStateException("payload CRC32C mismatch")));
    }
    return data;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Deletes the secret with all its versions.
   *
   * @throws KeyNotFoundException if there is no such secret
   * @throws KeyStoreUnreachableException if the service cannot be reached in time
   * @throws KesException 502 {@code failed to delete key} on any other failure
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public void delete(String name) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    if (!isSecretId(name)) {
      throw new KeyNotFoundException();
    }
    try {
      client.deleteSecret(
          DeleteSecretRequest.newBuilder().setName(parent + "/secrets/" + name).build());
    } catch (RuntimeException e) {
      if (Errors.code(e) == StatusCode.Code.NOT_FOUND) {
        throw new KeyNotFoundException();
      }
      throw Errors.translate("DeleteSecret", Errors.DELETE, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads every page of {@code ListSecrets} (each page bounded like any call), then sorts,
   * filters and pages here. Lists every secret of the project, as KES does.
   *
   * @throws KeyStoreUnreachableException if the service cannot be reached in time
   * @throws KesException 502 {@code failed to list keys} on any other failure
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public Page<String> list(String prefix, String continueAt, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(continueAt, "continueAt");
    checkOpen();
    SortedSet<String> names = new TreeSet<>();
    String token = "";
    do {
      ListSecretsResponse page;
      try {
        page =
            client
                .listSecretsCallable()
                .call(
                    ListSecretsRequest.newBuilder()
                        .setParent(parent)
                        .setPageSize(LIST_PAGE_SIZE)
                        .setPageToken(token)
                        .build());
      } catch (RuntimeException e) {
        throw Errors.translate("ListSecrets", Errors.LIST, e);
      }
      for (Secret s : page.getSecretsList()) {
        // the service names secrets by project number: keep the last path segment only
        String id = s.getName().substring(s.getName().lastIndexOf('/') + 1);
        if (id.startsWith(prefix)) {
          names.add(id);
        }
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty());

    int n = limit <= 0 ? DEFAULT_PAGE_SIZE : limit;
    SortedSet<String> from = continueAt.isEmpty() ? names : names.tailSet(continueAt);
    List<String> items = new ArrayList<>(Math.min(n, from.size()));
    Iterator<String> it = from.iterator();
    while (items.size() < n && it.hasNext()) {
      items.add(it.next());
    }
    return new Page<>(items, it.hasNext() ? it.next() : "");
  }

  /**
   * {@inheritDoc}
   *
   * <p>Sends a {@code ListSecrets} of page size 1. Any answer counts as reachable, even a refusal
   * such as {@code PERMISSION_DENIED}.
   *
   * @throws KeyStoreUnreachableException ({@code key store is not reachable}; 504 if the bound
   *     passed) if the service cannot be reached in time
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public Duration status() {
    checkOpen();
    long start = System.nanoTime();
    try {
      client
          .listSecretsCallable()
          .call(ListSecretsRequest.newBuilder().setParent(parent).setPageSize(1).build());
    } catch (RuntimeException e) {
      // An answer of the service, even a refusal, means reachable; a failure to get one does not.
      StatusCode.Code code = Errors.code(e);
      if (!Errors.isServiceAnswer(e)
          || code == StatusCode.Code.UNAVAILABLE
          || code == StatusCode.Code.DEADLINE_EXCEEDED) {
        throw new KeyStoreUnreachableException(
            code == StatusCode.Code.DEADLINE_EXCEEDED,
            STATUS_MESSAGE,
            Errors.describe("ListSecrets", e));
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Shuts the client and its channel down, waiting briefly for calls in flight. Idempotent; never
   * throws.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      client.shutdown();
      if (!client.awaitTermination(2, TimeUnit.SECONDS)) {
        client.shutdownNow();
      }
    } catch (InterruptedException e) {
      client.shutdownNow();
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "gcp.secretmanager: error while closing", e);
    }
  }

  /** Names the project, endpoint and timeout; never credentials. */
  @Override
  public String toString() {
    return "GcpSecretManagerKeyStore[project="
        + projectId
        + ", endpoint="
        + endpoint.target()
        + (endpoint.emulator() ? " (emulator)" : "")
        + ", timeout="
        + timeout
        + "]";
  }

  /**
   * Builds a {@link GcpSecretManagerKeyStore}. Not thread-safe; {@link #build()} validates and may
   * be called more than once (each call makes a new store with its own client).
   */
  public static final class Builder {
    private String projectId;
    private String endpoint = "";
    private GcpCredentials credentials = GcpCredentials.applicationDefault();
    private List<String> scopes = List.of(DEFAULT_SCOPE);
    private Duration timeout = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    private Duration attemptTimeout;
    private String configPath = DEFAULT_CONFIG_PATH;
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /** The GCP project id (or number) whose secrets hold the keys. Required. */
    public Builder projectId(String projectId) {
      this.projectId = projectId;
      return this;
    }

    /**
     * The endpoint: {@code host[:port]} or {@code https://host[:port]} (port 443 by default) for
     * the real service, {@code http://host:port} for an emulator (plaintext, no credentials). Empty
     * (the default) means {@code secretmanager.googleapis.com:443}, or the emulator named by the
     * environment variable {@code SECRET_MANAGER_EMULATOR_HOST} if that is set.
     */
    public Builder endpoint(String endpoint) {
      this.endpoint = endpoint == null ? "" : endpoint;
      return this;
    }

    /** The credentials; default {@link GcpCredentials#applicationDefault()}. */
    public Builder credentials(GcpCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** The OAuth scopes; default {@value GcpSecretManagerKeyStore#DEFAULT_SCOPE}. */
    public Builder scopes(List<String> scopes) {
      this.scopes = List.copyOf(scopes);
      return this;
    }

    /**
     * The longest one operation may take, retries included (each page for a listing); default
     * {@value GcpSecretManagerKeyStore#DEFAULT_TIMEOUT_SECONDS} s. Must be positive.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * The longest one attempt may take; default (and at most) the {@link #timeout}. Must be
     * positive.
     */
    public Builder attemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = Objects.requireNonNull(attemptTimeout, "attemptTimeout");
      return this;
    }

    /** The YAML path named in configuration errors (set by the provider). */
    Builder configPath(String configPath) {
      this.configPath = Objects.requireNonNull(configPath, "configPath");
      return this;
    }

    /** The environment read for {@code SECRET_MANAGER_EMULATOR_HOST} (tests). */
    Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /**
     * Validates and builds the store. Does not contact the service (and does not look up
     * Application Default Credentials).
     *
     * @throws KesConfigException naming the setting if the project id is missing or malformed, the
     *     endpoint is malformed, a scope is empty, or a timeout is not positive
     */
    public GcpSecretManagerKeyStore build() {
      String prefix = configPath.isEmpty() ? "" : configPath + ".";
      if (projectId == null || projectId.isBlank()) {
        throw new KesConfigException(prefix + "project_id: required but not set");
      }
      if (!PROJECT_ID.matcher(projectId).matches()) {
        throw new KesConfigException(prefix + "project_id: not a valid GCP project id");
      }
      Endpoint resolved = Endpoint.resolve(endpoint, environment, prefix + "endpoint");
      List<String> effectiveScopes = scopes.isEmpty() ? List.of(DEFAULT_SCOPE) : scopes;
      for (String scope : effectiveScopes) {
        if (scope == null || scope.isBlank()) {
          throw new KesConfigException(prefix + "scopes: empty scope");
        }
      }
      if (timeout.isZero() || timeout.isNegative()) {
        throw new KesConfigException(prefix + "timeout: must be positive");
      }
      if (attemptTimeout != null && (attemptTimeout.isZero() || attemptTimeout.isNegative())) {
        throw new KesConfigException(prefix + "attempt_timeout: must be positive");
      }
      return new GcpSecretManagerKeyStore(this, resolved, effectiveScopes);
    }
  }
}
