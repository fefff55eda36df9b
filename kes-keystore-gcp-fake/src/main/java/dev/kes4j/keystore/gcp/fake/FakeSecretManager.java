package dev.kes4j.keystore.gcp.fake;

import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.AddSecretVersionRequest;
import com.google.cloud.secretmanager.v1.CreateSecretRequest;
import com.google.cloud.secretmanager.v1.DeleteSecretRequest;
import com.google.cloud.secretmanager.v1.GetSecretRequest;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.ListSecretsResponse;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

// Over 600 lines: every Secret Manager RPC the store uses, with Google's status codes and resource
// names, fault injection, and the process entry point, in one self-contained test artifact.
/**
 * An in-memory Google Cloud Secret Manager (v1) speaking real gRPC, for tests and harnesses: point
 * the official client — or kes4j's {@code GcpSecretManagerKeyStore} with endpoint {@link
 * #endpoint()} — at it.
 *
 * <p><b>Projects.</b> Like Google's own emulators, {@link #FakeSecretManager()} serves <em>any</em>
 * project: each project id (or number) named in a request is a separate, initially empty project.
 * Resource names in answers use the project <em>number</em>, as the real service does: {@value
 * #DEFAULT_PROJECT_ID} is {@value #DEFAULT_PROJECT_NUMBER}, any other id gets a stable 12-digit
 * number ({@link #projectNumberOf}), and a project named by number is that number. {@link
 * #FakeSecretManager(String, long)} or {@link Builder#project(String, long)} pins one project
 * instead; requests for any other project then fail with {@code PERMISSION_DENIED}, as the real
 * service answers for a project the caller cannot see. The direct-state methods ({@link
 * #createSecret}, {@link #secretIds()}, …) act on {@link #projectId()}: the pinned project, or
 * {@value #DEFAULT_PROJECT_ID} when serving any.
 *
 * <p>Answers like the real service for the methods a key store uses: {@code CreateSecret}, {@code
 * AddSecretVersion}, {@code AccessSecretVersion} ({@code versions/N} and {@code latest}, with
 * {@code data_crc32c}), {@code GetSecret}, {@code DeleteSecret} and {@code ListSecrets} (with
 * paging). Status codes: {@code ALREADY_EXISTS}, {@code NOT_FOUND}, {@code INVALID_ARGUMENT} (bad
 * secret id {@code [A-Za-z0-9_-]{1,255}}, missing replication, payload over 64 KiB, CRC32C mismatch
 * on add, bad page token), {@code PERMISSION_DENIED} (a project other than the pinned one), {@code
 * UNIMPLEMENTED} (any other method).
 *
 * <p>Faults: {@link #failNext} (a status for the next N calls of a method), {@link #delay} (latency
 * per method), {@link #corruptChecksums} (wrong CRC32C on access), {@link #maxPageSize}; call
 * counters per method ({@link #calls}). Faults and counters apply to every project. A call is
 * counted when it arrives, then delayed, then failed or served; a call whose client gave up during
 * the delay is dropped unserved.
 *
 * <p>Run as a process: {@code java -cp ... dev.kes4j.keystore.gcp.fake.FakeSecretManager [--port N]
 * [--project ID [--project-number N]]} prints the port on the first line of standard output, then
 * what it serves and how to point kes4j at it, and serves on 127.0.0.1 until killed.
 *
 * <p>Thread-safe. Not for production: no authentication, no persistence, no IAM, no regions.
 */
public final class FakeSecretManager implements AutoCloseable {

  /**
   * The project of the direct-state methods when serving any project, and the one pinned by {@link
   * Builder#project(String)}.
   */
  public static final String DEFAULT_PROJECT_ID = "kes4j-test";

  /** The number of {@value #DEFAULT_PROJECT_ID} in answers. */
  public static final long DEFAULT_PROJECT_NUMBER = 123456789012L;

  /** The largest payload the real service accepts (64 KiB). */
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  private static final String SERVICE = "google.cloud.secretmanager.v1.SecretManagerService";
  private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
  private static final Pattern PROJECT = Pattern.compile("projects/([^/]+)");
  private static final Pattern SECRET = Pattern.compile("projects/([^/]+)/secrets/([^/]+)");
  private static final Pattern VERSION =
      Pattern.compile("projects/([^/]+)/secrets/([^/]+)/versions/([^/]+)");
  private static final int MAX_LIST_PAGE = 25_000;

  /** The RPCs the fake serves; used to address faults and counters. */
  public enum Method {
    /** {@code CreateSecret}. */
    CREATE_SECRET("CreateSecret"),
    /** {@code AddSecretVersion}. */
    ADD_SECRET_VERSION("AddSecretVersion"),
    /** {@code AccessSecretVersion}. */
    ACCESS_SECRET_VERSION("AccessSecretVersion"),
    /** {@code GetSecret}. */
    GET_SECRET("GetSecret"),
    /** {@code DeleteSecret}. */
    DELETE_SECRET("DeleteSecret"),
    /** {@code ListSecrets}. */
    LIST_SECRETS("ListSecrets");

    private final String rpcName;

    Method(String rpcName) {
      this.rpcName = rpcName;
    }

    /** The gRPC method name, e.g. {@code CreateSecret}. */
    public String rpcName() {
      return rpcName;
    }
  }

  private static final class StoredSecret {
    final long seq;
    final Secret secret;
    final List<byte[]> versions = new ArrayList<>(); // index 0 = version 1
    final List<Boolean> checksummed = new ArrayList<>(); // whether the writer sent data_crc32c

    StoredSecret(long seq, Secret secret) {
      this.seq = seq;
      this.secret = secret;
    }
  }

  private static final class Fault {
    Status.Code code;
    int remaining;
  }

  private final boolean anyProject;
  private final String projectId;
  private final long projectNumber;
  private final Object lock = new Object();
  // project number -> secret id -> secret, each in creation order
  private final Map<Long, Map<String, StoredSecret>> projects = new LinkedHashMap<>();
  private final Map<Method, AtomicLong> counters = new EnumMap<>(Method.class);
  private final Map<Method, Fault> faults = new EnumMap<>(Method.class);
  private final Map<Method, Duration> delays = new EnumMap<>(Method.class);
  private final ScheduledExecutorService scheduler;
  private long nextSeq = 1;
  private boolean corruptChecksums;
  private int maxPageSize = MAX_LIST_PAGE;
  private Server server;
  private Server inProcessServer;
  private volatile boolean closed;

  /**
   * A fake serving any project; {@link #projectId()} is {@value #DEFAULT_PROJECT_ID} (number
   * {@value #DEFAULT_PROJECT_NUMBER}). Not started.
   */
  public FakeSecretManager() {
    this(true, DEFAULT_PROJECT_ID, DEFAULT_PROJECT_NUMBER);
  }

  /**
   * A fake serving one project only; requests for others fail with {@code PERMISSION_DENIED}. Not
   * started.
   *
   * @param projectId the project id accepted in requests
   * @param projectNumber the project number used in answers (and accepted in requests)
   * @throws IllegalArgumentException if the id is empty, all digits or contains {@code /}, or the
   *     number is not positive
   */
  public FakeSecretManager(String projectId, long projectNumber) {
    this(false, projectId, projectNumber);
  }

  private FakeSecretManager(boolean anyProject, String projectId, long projectNumber) {
    Objects.requireNonNull(projectId, "projectId");
    if (projectId.isEmpty()
        || projectId.contains("/")
        || projectId.chars().allMatch(Character::isDigit)
        || projectNumber <= 0) {
      throw new IllegalArgumentException("invalid project id or number");
    }
    this.anyProject = anyProject;
    this.projectId = projectId;
    this.projectNumber = projectNumber;
    for (Method m : Method.values()) {
      counters.put(m, new AtomicLong());
      delays.put(m, Duration.ZERO);
    }
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fake-secret-manager-delay");
              t.setDaemon(true);
              return t;
            });
  }

  /** A builder; by default the fake serves any project. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link FakeSecretManager}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private String projectId;
    private long projectNumber;

    private Builder() {}

    /**
     * Serves only {@code projectId}, with number {@value #DEFAULT_PROJECT_NUMBER} in answers.
     *
     * @return this builder
     */
    public Builder project(String projectId) {
      return project(projectId, DEFAULT_PROJECT_NUMBER);
    }

    /**
     * Serves only {@code projectId}, with {@code projectNumber} in answers (and accepted in
     * requests); other projects get {@code PERMISSION_DENIED}. Validated by {@link #build()}.
     *
     * @return this builder
     */
    public Builder project(String projectId, long projectNumber) {
      this.projectId = Objects.requireNonNull(projectId, "projectId");
      this.projectNumber = projectNumber;
      return this;
    }

    /** Serves any project again (the default), undoing {@link #project}. */
    public Builder anyProject() {
      this.projectId = null;
      return this;
    }

    /**
     * A new, not yet started fake.
     *
     * @throws IllegalArgumentException if the pinned project id or number is invalid
     */
    public FakeSecretManager build() {
      return projectId == null
          ? new FakeSecretManager()
          : new FakeSecretManager(projectId, projectNumber);
    }
  }

  // ---------------------------------------------------------------------------------- lifecycle

  /**
   * Starts serving on 127.0.0.1 on a free port.
   *
   * @throws IllegalStateException if already started or closed
   * @throws java.io.UncheckedIOException if the port cannot be bound
   */
  public FakeSecretManager start() {
    return start(0);
  }

  /**
   * Starts serving on 127.0.0.1:{@code port} (0 for a free port). Blocks until bound.
   *
   * @throws IllegalStateException if already started or closed
   * @throws java.io.UncheckedIOException if the port cannot be bound
   */
  public synchronized FakeSecretManager start(int port) {
    if (closed || server != null) {
      throw new IllegalStateException("FakeSecretManager already started or closed");
    }
    try {
      server =
          NettyServerBuilder.forAddress(
                  new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port))
              .addService(serviceDefinition())
              .build()
              .start();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot bind 127.0.0.1:" + port, e);
    }
    return this;
  }

  /**
   * Also serves in-process under {@code name} (for {@code InProcessChannelBuilder.forName(name)}).
   *
   * @throws IllegalStateException if already serving in-process or closed
   */
  public synchronized FakeSecretManager startInProcess(String name) {
    Objects.requireNonNull(name, "name");
    if (closed || inProcessServer != null) {
      throw new IllegalStateException("FakeSecretManager already serving in-process or closed");
    }
    try {
      inProcessServer =
          InProcessServerBuilder.forName(name).addService(serviceDefinition()).build().start();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return this;
  }

  /**
   * The TCP port served.
   *
   * @throws IllegalStateException if not started
   */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("FakeSecretManager not started");
    }
    return server.getPort();
  }

  /** The endpoint for a store in emulator mode: {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * The project of the direct-state methods: the pinned one, or {@value #DEFAULT_PROJECT_ID} when
   * serving any project.
   */
  public String projectId() {
    return projectId;
  }

  /** The number of {@link #projectId()} in resource names of answers. */
  public long projectNumber() {
    return projectNumber;
  }

  /** Whether the fake serves any project (true) or only {@link #projectId()} (false). */
  public boolean servesAnyProject() {
    return anyProject;
  }

  /**
   * The number that answers use for a project named by id or number, as in {@code
   * projects/<number>/secrets/<id>}. Serving any project, an id other than {@value
   * #DEFAULT_PROJECT_ID} gets a stable number derived from it (12 digits, the same in every run).
   *
   * @throws IllegalArgumentException if the project is empty, contains {@code /}, or is not served
   *     (the fake is pinned to another project)
   */
  public long projectNumberOf(String project) {
    Objects.requireNonNull(project, "project");
    if (project.isEmpty() || project.contains("/")) {
      throw new IllegalArgumentException("invalid project: " + project);
    }
    long number = resolve(project);
    if (number < 0) {
      throw new IllegalArgumentException("project not served: " + project);
    }
    return number;
  }

  /** Stops serving at once, failing calls in flight. Idempotent; never throws. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    scheduler.shutdownNow();
    for (Server s : new Server[] {server, inProcessServer}) {
      if (s != null) {
        s.shutdownNow();
        try {
          s.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  // ----------------------------------------------------------------------------- fault injection

  /**
   * Fails the next {@code times} calls of {@code method} with {@code code} (replacing an earlier
   * setting for that method). {@code times} 0 clears it.
   */
  public void failNext(Method method, Status.Code code, int times) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(code, "code");
    if (times < 0 || code == Status.Code.OK) {
      throw new IllegalArgumentException("times must be >= 0 and code not OK");
    }
    synchronized (lock) {
      Fault f = new Fault();
      f.code = code;
      f.remaining = times;
      faults.put(method, f);
    }
  }

  /** Delays every call of {@code method} by {@code delay}; {@link Duration#ZERO} clears it. */
  public void delay(Method method, Duration delay) {
    Objects.requireNonNull(method, "method");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative delay");
    }
    synchronized (lock) {
      delays.put(method, delay);
    }
  }

  /** When on, {@code AccessSecretVersion} answers with a wrong {@code data_crc32c}. */
  public void corruptChecksums(boolean on) {
    synchronized (lock) {
      corruptChecksums = on;
    }
  }

  /** Caps the page size of {@code ListSecrets} answers (default and maximum 25000). */
  public void maxPageSize(int size) {
    if (size < 1 || size > MAX_LIST_PAGE) {
      throw new IllegalArgumentException("page size out of range: " + size);
    }
    synchronized (lock) {
      maxPageSize = size;
    }
  }

  /** Clears every fault, delay and the page-size cap; counters and secrets stay. */
  public void clearFaults() {
    synchronized (lock) {
      faults.clear();
      delays.replaceAll((m, d) -> Duration.ZERO);
      corruptChecksums = false;
      maxPageSize = MAX_LIST_PAGE;
    }
  }

  /** How many calls of {@code method} arrived (served or not). */
  public long calls(Method method) {
    return counters.get(method).get();
  }

  /** Sets every call counter to zero. */
  public void resetCalls() {
    counters.values().forEach(c -> c.set(0));
  }

  // ------------------------------------------------------------------------------- direct state

  /**
   * Creates a secret directly (automatic replication, no labels), as another writer would.
   *
   * @throws IllegalArgumentException if {@code secretId} is not a valid secret id
   * @throws IllegalStateException if it exists
   */
  public void createSecret(String secretId) {
    checkSecretId(secretId);
    synchronized (lock) {
      if (secretsOf(projectNumber).containsKey(secretId)) {
        throw new IllegalStateException("secret exists: " + secretId);
      }
      putSecret(
          projectNumber,
          secretId,
          Secret.newBuilder()
              .setReplication(
                  Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()))
              .build());
    }
  }

  /**
   * Adds a version directly, as another writer would.
   *
   * @return the new version number (1 for the first)
   * @throws IllegalStateException if the secret does not exist
   */
  public long addSecretVersion(String secretId, byte[] data) {
    Objects.requireNonNull(data, "data");
    synchronized (lock) {
      StoredSecret s = secretsOf(projectNumber).get(secretId);
      if (s == null) {
        throw new IllegalStateException("no such secret: " + secretId);
      }
      s.versions.add(data.clone());
      s.checksummed.add(false);
      return s.versions.size();
    }
  }

  /** The secret as the service would return it from {@code GetSecret}, if it exists. */
  public Optional<Secret> secret(String secretId) {
    synchronized (lock) {
      StoredSecret s = secretsOf(projectNumber).get(secretId);
      return s == null ? Optional.empty() : Optional.of(s.secret);
    }
  }

  /** How many versions the secret has; 0 if it does not exist. */
  public int versionCount(String secretId) {
    synchronized (lock) {
      StoredSecret s = secretsOf(projectNumber).get(secretId);
      return s == null ? 0 : s.versions.size();
    }
  }

  /** A copy of the payload of a version, if the secret and version exist. */
  public Optional<byte[]> payload(String secretId, long version) {
    synchronized (lock) {
      StoredSecret s = secretsOf(projectNumber).get(secretId);
      if (s == null || version < 1 || version > s.versions.size()) {
        return Optional.empty();
      }
      return Optional.of(s.versions.get((int) version - 1).clone());
    }
  }

  /**
   * Whether the writer of a version sent {@code data_crc32c} (which the fake then verified); false
   * if the secret or version does not exist or was added through {@link #addSecretVersion}.
   */
  public boolean versionHadChecksum(String secretId, long version) {
    synchronized (lock) {
      StoredSecret s = secretsOf(projectNumber).get(secretId);
      return s != null
          && version >= 1
          && version <= s.versions.size()
          && s.checksummed.get((int) version - 1);
    }
  }

  /** The ids of all secrets of {@link #projectId()}, sorted. */
  public List<String> secretIds() {
    synchronized (lock) {
      return secretsOf(projectNumber).keySet().stream().sorted().toList();
    }
  }

  /**
   * The ids of all secrets of a project named by id or number, sorted; empty for a project never
   * written to.
   *
   * @throws IllegalArgumentException as {@link #projectNumberOf}
   */
  public List<String> secretIds(String project) {
    long number = projectNumberOf(project);
    synchronized (lock) {
      return secretsOf(number).keySet().stream().sorted().toList();
    }
  }

  private static void checkSecretId(String secretId) {
    Objects.requireNonNull(secretId, "secretId");
    if (!SECRET_ID.matcher(secretId).matches()) {
      throw new IllegalArgumentException("invalid secret id");
    }
  }

  /** The secrets of a project, created empty on first use. Callers hold {@link #lock}. */
  private Map<String, StoredSecret> secretsOf(long number) {
    return projects.computeIfAbsent(number, n -> new LinkedHashMap<>());
  }

  /**
   * The number of a project named in a request (id or number), or -1 if it is not served. Pure: the
   * same answer for the same name, so that a project's id and number address the same secrets.
   */
  private long resolve(String project) {
    if (project.equals(projectId)) {
      return projectNumber;
    }
    if (!project.isEmpty() && project.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // real project ids start with a letter: all digits is a project number
      long number;
      try {
        number = Long.parseLong(project);
      } catch (NumberFormatException e) {
        return -1; // longer than any project number
      }
      if (number == projectNumber) {
        return number;
      }
      return anyProject && number > 0 ? number : -1;
    }
    return anyProject ? derivedNumber(project) : -1;
  }

  /** A stable 12-digit number for a project id, from its SHA-256. */
  private static long derivedNumber(String projectId) {
    if (projectId.equals(DEFAULT_PROJECT_ID)) {
      return DEFAULT_PROJECT_NUMBER;
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(projectId.getBytes(StandardCharsets.UTF_8));
      long bits = ByteBuffer.wrap(hash).getLong() & Long.MAX_VALUE;
      return 100_000_000_000L + bits % 900_000_000_000L;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e); // every JDK has it
    }
  }

  private StoredSecret putSecret(long number, String secretId, Secret template) {
    Instant now = Instant.now();
    Secret secret =
        template.toBuilder()
            .setName(secretName(number, secretId))
            .setCreateTime(
                Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
            .setEtag("\"" + Long.toHexString(now.toEpochMilli()) + "\"")
            .build();
    StoredSecret s = new StoredSecret(nextSeq++, secret);
    secretsOf(number).put(secretId, s);
    return s;
  }

  private static String secretName(long number, String secretId) {
    return "projects/" + number + "/secrets/" + secretId;
  }

  // ------------------------------------------------------------------------------------ service

  private ServerServiceDefinition serviceDefinition() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(
            descriptor(
                Method.CREATE_SECRET,
                CreateSecretRequest.getDefaultInstance(),
                Secret.getDefaultInstance()),
            handler(Method.CREATE_SECRET, this::onCreateSecret))
        .addMethod(
            descriptor(
                Method.ADD_SECRET_VERSION,
                AddSecretVersionRequest.getDefaultInstance(),
                SecretVersion.getDefaultInstance()),
            handler(Method.ADD_SECRET_VERSION, this::onAddSecretVersion))
        .addMethod(
            descriptor(
                Method.ACCESS_SECRET_VERSION,
                AccessSecretVersionRequest.getDefaultInstance(),
                AccessSecretVersionResponse.getDefaultInstance()),
            handler(Method.ACCESS_SECRET_VERSION, this::onAccessSecretVersion))
        .addMethod(
            descriptor(
                Method.GET_SECRET,
                GetSecretRequest.getDefaultInstance(),
                Secret.getDefaultInstance()),
            handler(Method.GET_SECRET, this::onGetSecret))
        .addMethod(
            descriptor(
                Method.DELETE_SECRET,
                DeleteSecretRequest.getDefaultInstance(),
                Empty.getDefaultInstance()),
            handler(Method.DELETE_SECRET, this::onDeleteSecret))
        .addMethod(
            descriptor(
                Method.LIST_SECRETS,
                ListSecretsRequest.getDefaultInstance(),
                ListSecretsResponse.getDefaultInstance()),
            handler(Method.LIST_SECRETS, this::onListSecrets))
        .build();
  }

  private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> descriptor(
      Method method, Q request, R response) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, method.rpcName()))
        .setRequestMarshaller(ProtoUtils.marshaller(request))
        .setResponseMarshaller(ProtoUtils.marshaller(response))
        .build();
  }

  private <Q, R> io.grpc.ServerCallHandler<Q, R> handler(Method method, Function<Q, R> logic) {
    return ServerCalls.asyncUnaryCall(
        (Q request, StreamObserver<R> observer) -> {
          counters.get(method).incrementAndGet();
          ServerCallStreamObserver<R> call = (ServerCallStreamObserver<R>) observer;
          call.setOnCancelHandler(() -> {});
          Duration delay;
          synchronized (lock) {
            delay = delays.get(method);
          }
          if (delay.isZero()) {
            serve(method, request, call, logic);
          } else {
            try {
              scheduler.schedule(
                  () -> serve(method, request, call, logic), delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
              call.onError(
                  Status.UNAVAILABLE.withDescription("shutting down").asRuntimeException());
            }
          }
        });
  }

  private <Q, R> void serve(
      Method method, Q request, ServerCallStreamObserver<R> call, Function<Q, R> logic) {
    if (call.isCancelled()) {
      return; // the client gave up during the delay: the request is dropped unserved
    }
    try {
      Status.Code injected = null;
      synchronized (lock) {
        Fault f = faults.get(method);
        if (f != null && f.remaining > 0) {
          f.remaining--;
          injected = f.code;
        }
      }
      if (injected != null) {
        throw Status.fromCode(injected)
            .withDescription("injected fault in " + method.rpcName())
            .asRuntimeException();
      }
      R response = logic.apply(request);
      call.onNext(response);
      call.onCompleted();
    } catch (StatusRuntimeException e) {
      safeError(call, e);
    } catch (RuntimeException e) {
      safeError(call, Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
    }
  }

  private static void safeError(StreamObserver<?> call, StatusRuntimeException e) {
    try {
      call.onError(e);
    } catch (RuntimeException ignored) {
      // the call is already closed or cancelled
    }
  }

  private static StatusRuntimeException error(Status status, String description) {
    return status.withDescription(description).asRuntimeException();
  }

  /**
   * The number of a project named in a request, or {@code PERMISSION_DENIED} for {@code
   * permission}.
   */
  private long checkProject(String project, String permission) {
    long number = resolve(project);
    if (number < 0) {
      throw error(
          Status.PERMISSION_DENIED,
          "Permission '"
              + permission
              + "' denied for resource 'projects/"
              + project
              + "' (or it may not exist).");
    }
    return number;
  }

  /** A secret named in a request: its project's number and its id. */
  private record SecretRef(long project, String id) {
    String name() {
      return secretName(project, id);
    }
  }

  private long projectOf(String parent, String permission) {
    Matcher m = PROJECT.matcher(parent);
    if (!m.matches()) {
      throw error(Status.INVALID_ARGUMENT, "Invalid resource field value in the request.");
    }
    return checkProject(m.group(1), permission);
  }

  private SecretRef secretOf(String name, String permission) {
    Matcher m = SECRET.matcher(name);
    if (!m.matches()) {
      throw error(Status.INVALID_ARGUMENT, "Invalid resource field value in the request.");
    }
    return new SecretRef(checkProject(m.group(1), permission), m.group(2));
  }

  /** The stored secret or {@code NOT_FOUND}. Callers hold {@link #lock}. */
  private StoredSecret existing(SecretRef ref) {
    StoredSecret s = secretsOf(ref.project()).get(ref.id());
    if (s == null) {
      throw error(Status.NOT_FOUND, "Secret [" + ref.name() + "] not found.");
    }
    return s;
  }

  private static long crc32c(ByteString data) {
    CRC32C crc = new CRC32C();
    crc.update(data.asReadOnlyByteBuffer());
    return crc.getValue();
  }

  private Secret onCreateSecret(CreateSecretRequest request) {
    long project = projectOf(request.getParent(), "secretmanager.secrets.create");
    String id = request.getSecretId();
    if (!SECRET_ID.matcher(id).matches()) {
      throw error(
          Status.INVALID_ARGUMENT,
          "The secret ID must match [a-zA-Z0-9_-]{1,255}, got '" + id + "'.");
    }
    if (!request.hasSecret() || !request.getSecret().hasReplication()) {
      throw error(Status.INVALID_ARGUMENT, "Secret.replication is required.");
    }
    synchronized (lock) {
      if (secretsOf(project).containsKey(id)) {
        throw error(
            Status.ALREADY_EXISTS, "Secret [" + secretName(project, id) + "] already exists.");
      }
      return putSecret(project, id, request.getSecret()).secret;
    }
  }

  private SecretVersion onAddSecretVersion(AddSecretVersionRequest request) {
    SecretRef ref = secretOf(request.getParent(), "secretmanager.versions.add");
    SecretPayload payload = request.getPayload();
    if (payload.getData().size() > MAX_PAYLOAD_BYTES) {
      throw error(Status.INVALID_ARGUMENT, "Secret payload data is larger than 65536 bytes.");
    }
    if (payload.hasDataCrc32C() && payload.getDataCrc32C() != crc32c(payload.getData())) {
      throw error(Status.INVALID_ARGUMENT, "Checksum mismatch: data_crc32c does not match.");
    }
    Instant now = Instant.now();
    synchronized (lock) {
      StoredSecret s = existing(ref);
      s.versions.add(payload.getData().toByteArray());
      s.checksummed.add(payload.hasDataCrc32C());
      return SecretVersion.newBuilder()
          .setName(ref.name() + "/versions/" + s.versions.size())
          .setState(SecretVersion.State.ENABLED)
          .setCreateTime(
              Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
          .setClientSpecifiedPayloadChecksum(payload.hasDataCrc32C())
          .build();
    }
  }

  private AccessSecretVersionResponse onAccessSecretVersion(AccessSecretVersionRequest request) {
    Matcher m = VERSION.matcher(request.getName());
    if (!m.matches()) {
      throw error(Status.INVALID_ARGUMENT, "Invalid resource field value in the request.");
    }
    SecretRef ref =
        new SecretRef(checkProject(m.group(1), "secretmanager.versions.access"), m.group(2));
    String version = m.group(3);
    byte[] data;
    long number;
    boolean corrupt;
    synchronized (lock) {
      StoredSecret s = secretsOf(ref.project()).get(ref.id());
      if (s == null || s.versions.isEmpty()) {
        throw error(Status.NOT_FOUND, "Secret [" + ref.name() + "] not found or has no versions.");
      }
      if (version.equals("latest")) {
        number = s.versions.size();
      } else {
        try {
          number = Long.parseLong(version);
        } catch (NumberFormatException e) {
          throw error(Status.INVALID_ARGUMENT, "Invalid secret version '" + version + "'.");
        }
        if (number < 1) {
          throw error(Status.INVALID_ARGUMENT, "Invalid secret version '" + version + "'.");
        }
        if (number > s.versions.size()) {
          throw error(
              Status.NOT_FOUND,
              "Secret Version [" + ref.name() + "/versions/" + version + "] not found.");
        }
      }
      data = s.versions.get((int) number - 1);
      corrupt = corruptChecksums;
    }
    ByteString bytes = ByteString.copyFrom(data);
    long crc = crc32c(bytes);
    return AccessSecretVersionResponse.newBuilder()
        .setName(ref.name() + "/versions/" + number)
        .setPayload(
            SecretPayload.newBuilder()
                .setData(bytes)
                .setDataCrc32C(corrupt ? (crc + 1) & 0xFFFFFFFFL : crc))
        .build();
  }

  private Secret onGetSecret(GetSecretRequest request) {
    SecretRef ref = secretOf(request.getName(), "secretmanager.secrets.get");
    synchronized (lock) {
      return existing(ref).secret;
    }
  }

  private Empty onDeleteSecret(DeleteSecretRequest request) {
    SecretRef ref = secretOf(request.getName(), "secretmanager.secrets.delete");
    synchronized (lock) {
      existing(ref);
      secretsOf(ref.project()).remove(ref.id());
    }
    return Empty.getDefaultInstance();
  }

  private ListSecretsResponse onListSecrets(ListSecretsRequest request) {
    long project = projectOf(request.getParent(), "secretmanager.secrets.list");
    if (request.getPageSize() < 0 || request.getPageSize() > MAX_LIST_PAGE) {
      throw error(Status.INVALID_ARGUMENT, "page_size must be in [0, 25000].");
    }
    long after = 0;
    if (!request.getPageToken().isEmpty()) {
      try {
        after = Long.parseLong(request.getPageToken().substring(1));
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        after = -1;
      }
      if (after < 0 || request.getPageToken().charAt(0) != 'p') {
        throw error(Status.INVALID_ARGUMENT, "Invalid page token.");
      }
    }
    synchronized (lock) {
      Map<String, StoredSecret> secrets = secretsOf(project);
      int size = request.getPageSize() == 0 ? maxPageSize : request.getPageSize();
      size = Math.min(size, maxPageSize);
      ListSecretsResponse.Builder out = ListSecretsResponse.newBuilder();
      out.setTotalSize(secrets.size());
      long last = 0;
      boolean more = false;
      for (StoredSecret s : secrets.values()) {
        if (s.seq <= after) {
          continue;
        }
        if (out.getSecretsCount() == size) {
          more = true;
          break;
        }
        out.addSecrets(s.secret);
        last = s.seq;
      }
      if (more) {
        out.setNextPageToken("p" + last);
      }
      return out.build();
    }
  }

  // --------------------------------------------------------------------------------------- main

  private static final String USAGE =
      "usage: java -cp <classpath> "
          + FakeSecretManager.class.getName()
          + " [--port N] [--project ID [--project-number N]]\n"
          + "  --port N             TCP port on 127.0.0.1 (default 0: a free port)\n"
          + "  --project ID         serve only this project (default: any project)\n"
          + "  --project-number N   its number in answers (default "
          + DEFAULT_PROJECT_NUMBER
          + ")";

  /**
   * Runs the fake as a process: {@code [--port N] [--project ID [--project-number N]]}. Prints the
   * port served on the first line of standard output (for harnesses to read), then what it serves
   * and how to point kes4j at it, and serves until killed. Exits with status 2 on a bad argument.
   *
   * @throws InterruptedException if interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    int port = 0;
    String project = null;
    Long number = null;
    PrintStream err = System.err;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
          case "--project" -> project = value(args, ++i, "--project");
          case "--project-number" -> number = Long.parseLong(value(args, ++i, "--project-number"));
          case "-h", "--help" -> {
            System.out.println(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
        }
      }
      if (number != null && project == null) {
        throw new IllegalArgumentException("--project-number needs --project");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
    } catch (RuntimeException e) {
      err.println("FakeSecretManager: " + e.getMessage());
      err.println(USAGE);
      System.exit(2);
      return;
    }
    FakeSecretManager fake;
    try {
      fake =
          (project == null
                  ? new FakeSecretManager()
                  : new FakeSecretManager(
                      project, number == null ? DEFAULT_PROJECT_NUMBER : number))
              .start(port);
    } catch (RuntimeException e) {
      err.println("FakeSecretManager: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(fake::close, "fake-secret-manager-stop"));
    System.out.println(fake.port());
    System.out.print(fake.banner());
    System.out.flush();
    fake.awaitTermination();
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  /**
   * What a started fake serves and how to point kes4j at it, as the process prints it after the
   * port line: the address, {@code projects: any} or the pinned project, and the {@code endpoint:}
   * and {@code SECRET_MANAGER_EMULATOR_HOST} forms the GCP key store accepts.
   *
   * @throws IllegalStateException if not started
   */
  public String banner() {
    int p = port();
    String address = "127.0.0.1:" + p;
    String example = anyProject ? "my-project" : projectId;
    StringBuilder b = new StringBuilder();
    b.append("FakeSecretManager: an in-memory Google Cloud Secret Manager (v1) for tests\n");
    b.append("  plaintext gRPC, no authentication, no persistence: not for production\n");
    b.append("  address:  ").append(address).append('\n');
    if (anyProject) {
      b.append("  projects: any (each project id is its own empty project; pin one with --project)")
          .append('\n');
    } else {
      b.append("  projects: ")
          .append(projectId)
          .append(" (number ")
          .append(projectNumber)
          .append(") only; any other project gets PERMISSION_DENIED\n");
    }
    b.append("Point kes4j at it, in the KES config:\n");
    b.append("  keystore:\n");
    b.append("    gcp:\n");
    b.append("      secretmanager:\n");
    b.append("        project_id: ").append(example).append('\n');
    b.append("        endpoint: http://").append(address).append('\n');
    b.append("or leave endpoint empty and set SECRET_MANAGER_EMULATOR_HOST=")
        .append(address)
        .append('\n');
    b.append("(the store then uses no credentials). Stop with Ctrl-C.\n");
    return b.toString();
  }

  private void awaitTermination() throws InterruptedException {
    Server s;
    synchronized (this) {
      s = server;
    }
    s.awaitTermination();
  }

  /** The projects served and the port, if started; never blocks on a call. */
  @Override
  public String toString() {
    synchronized (this) {
      return "FakeSecretManager[projects="
          + (anyProject ? "any" : projectId + " (" + projectNumber + ")")
          + (server == null ? "" : ", port=" + server.getPort())
          + "]";
    }
  }
}
