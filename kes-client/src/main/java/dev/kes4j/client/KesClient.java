package dev.kes4j.client;

import dev.kes4j.api.ApiPath;
import dev.kes4j.api.DataKey;
import dev.kes4j.api.DecryptRequest;
import dev.kes4j.api.Identity;
import dev.kes4j.api.InvalidNameException;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyInfo;
import dev.kes4j.api.KeyService;
import dev.kes4j.api.Page;
import dev.kes4j.api.ServiceStatus;
import dev.kes4j.api.internal.KesJson;
import dev.kes4j.client.internal.Env;
import dev.kes4j.client.internal.Json;
import dev.kes4j.client.internal.Listing;
import dev.kes4j.client.internal.Tls;
import dev.kes4j.client.internal.Transport;
import dev.kes4j.client.internal.Transport.Endpoint;
import dev.kes4j.client.internal.Transport.Request;
import dev.kes4j.client.internal.Transport.Response;
import dev.kes4j.policy.ApiKey;
import dev.kes4j.policy.internal.pki.Pem;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

// Over 600 lines: one method per KeyService operation plus its wire form for every server
// generation (0.16 to HEAD), and the builder; the transport, JSON and TLS pieces already live in
// internal.
/**
 * A {@link KeyService} on a remote KES server — Go KES of any generation (0.16 … newest) or kes4j —
 * over HTTPS with mutual TLS.
 *
 * <pre>{@code
 * try (KesClient kes = KesClient.builder()
 *     .endpoints("https://kes-1:7373", "https://kes-2:7373")
 *     .apiKey("kes:v1:...")   // or .certificateFile(Path.of("client.crt")).privateKeyFile(Path.of("client.key"))
 *     .caCertificates(Path.of("ca.pem"))    // default: the JDK's system roots
 *     .build()) {
 *   DataKey dek = kes.generateKey("my-key", context);
 * }
 * }</pre>
 *
 * <p><b>Compatibility.</b> Requests use the routes and bodies every server generation accepts (POST
 * for create/import/generate/encrypt/decrypt, PUT for hmac, as kms-go does). Bulk decryption falls
 * back to single decryptions on servers without {@code /v1/key/bulk/decrypt/} (remembered per
 * endpoint); key listings are read in the JSON form ({@code names} + {@code continue_at}) and the
 * older ndjson form ({@code {"name"}} / 0.16's {@code {"Name"}} lines); the legacy error strings
 * ({@code key does already exist}, {@code prohibited by policy}) map to the same exceptions as the
 * current ones; {@code /v1/status} with {@code keystore_unreachable} or {@code
 * keystore_unavailable} reports an unreachable key store.
 *
 * <p><b>Errors.</b> A server's error answer becomes the exception the in-process engine throws: 403
 * → {@link dev.kes4j.api.NotAuthorizedException}, 404 {@code key does not exist} → {@link
 * dev.kes4j.api.KeyNotFoundException}, 400 key exists → {@link dev.kes4j.api.KeyExistsException},
 * 400 {@code decryption failed: …} → {@link dev.kes4j.api.DecryptionException}, 400 invalid name →
 * {@link InvalidNameException}, 502/504 → {@link dev.kes4j.api.KeyStoreUnreachableException},
 * anything else → {@link KesException} with the server's status and message. When no server can be
 * reached the client throws {@link KesException} 503 ({@code cannot connect to KES server …} or
 * {@code request to KES server … failed}); when the server does not answer in time, 504. A response
 * the client cannot parse is a {@link KesException} 502.
 *
 * <p><b>Failover and retries.</b> Calls start at the endpoint that last worked. A connection that
 * cannot be established moves any call to the next endpoint. Idempotent calls — describe, list,
 * generate, encrypt, decrypt, hmac, status and the other reads; they have no effect on the server —
 * also move on after a timeout, a broken connection or a 502/503/504 answer, and may make {@link
 * Builder#retries} more attempts once every endpoint was tried. Create, import and delete are never
 * repeated once the request may have reached a server.
 *
 * <p>Thread-safe; one client shares its connections among all threads. Every call blocks until the
 * server answers or the per-call {@link Builder#timeout timeout} passes (per attempt). Secrets (API
 * key, private key, plaintexts) never appear in {@link #toString()} or in exception messages.
 */
public final class KesClient implements KeyService, AutoCloseable {
  private static final int MAX_BULK = 1000;

  private final HttpClient http;
  private final ExecutorService executor;
  private final Transport transport;
  private final Identity identity;
  private final Set<LogStream> streams = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private KesClient(
      HttpClient http, ExecutorService executor, Transport transport, Identity identity) {
    this.http = http;
    this.executor = executor;
    this.transport = transport;
    this.identity = identity;
  }

  /** A builder; at least one endpoint is required (default {@code https://127.0.0.1:7373}). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A client configured from the process environment exactly as the {@code kes4j} client commands
   * read it (one resolver for both): endpoints from {@code MINIO_KES_SERVER} > {@code KES_SERVER} >
   * {@code MINIO_KMS_KES_ENDPOINT} (default {@code 127.0.0.1:7373}, comma-separated, {@code
   * https://} added); either an API key ({@code MINIO_KES_API_KEY} > {@code KES_API_KEY}) or a key
   * and certificate file ({@code MINIO_KES_KEY_FILE} > {@code KES_CLIENT_KEY} > {@code
   * MINIO_KES_CLIENT_KEY}; {@code MINIO_KES_CERT_FILE} > {@code KES_CLIENT_CERT} > {@code
   * MINIO_KES_CLIENT_CERT}), or — when none of these is set — MinIO's {@code
   * MINIO_KMS_KES_API_KEY}, or {@code MINIO_KMS_KES_KEY_FILE} and {@code MINIO_KMS_KES_CERT_FILE};
   * the server's CA certificates from {@code MINIO_KMS_KES_CAPATH} (a PEM file or a directory),
   * else the system roots. A server certificate that is not trusted fails the calls with a {@link
   * KesException} 503 that says to set {@code MINIO_KMS_KES_CAPATH}.
   *
   * @throws KesConfigException if no credential is set, an API key and key/certificate files are
   *     both set, only one of key and certificate file is set, the files look swapped, or a file or
   *     key cannot be read (each naming the variable or file)
   */
  public static KesClient fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * Like {@link #fromEnvironment()} with the given variables instead of the process environment.
   *
   * @throws KesConfigException as {@link #fromEnvironment()}
   */
  public static KesClient fromEnvironment(Map<String, String> env) {
    if (!Env.resolve(env).hasCredentials()) {
      throw Env.noCredentials("");
    }
    return builder().environment(env).build();
  }

  /** The endpoints, in configured order. */
  public List<URI> endpoints() {
    List<URI> out = new ArrayList<>();
    for (Endpoint e : transport.endpoints()) {
      out.add(URI.create(e.base()));
    }
    return Collections.unmodifiableList(out);
  }

  /** The identity this client authenticates as; empty if it has no client certificate. */
  public Optional<Identity> identity() {
    return Optional.ofNullable(identity);
  }

  // ---- KeyService ------------------------------------------------------------------------------

  /** {@inheritDoc} Not retried once sent (see the class documentation). */
  @Override
  public void createKey(String name) {
    Objects.requireNonNull(name, "name");
    expectEmpty(send(Request.of("POST", ApiPath.KEY_CREATE.of(segment(name)), null, false)));
  }

  /**
   * {@inheritDoc} Sends the key as {@code key} with {@code cipher} (KES ≥ 0.19) and as {@code
   * bytes} (KES 0.16, which ignores the algorithm); each server generation reads its own field. Not
   * retried once sent.
   */
  @Override
  public void importKey(String name, KeyAlgorithm algorithm, byte[] key) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(key, "key");
    KesJson.ObjectWriter body = Json.object();
    body.base64("key", key);
    body.field("cipher", algorithm.kesName());
    body.base64("bytes", key); // spec §1.5: KES 0.16's import body
    byte[] encoded = Json.encode(body);
    try {
      expectEmpty(send(Request.of("POST", ApiPath.KEY_IMPORT.of(segment(name)), encoded, false)));
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
  }

  @Override
  public KeyInfo describeKey(String name) {
    Objects.requireNonNull(name, "name");
    Object n = json(send(Request.of("GET", ApiPath.KEY_DESCRIBE.of(segment(name)), null, true)));
    String alg = Json.string(n, "algorithm");
    KeyAlgorithm algorithm;
    if (alg.isEmpty()) {
      algorithm = KeyAlgorithm.AES256; // KES 2023-10..2024-01 omitted the zero value AES256
    } else {
      try {
        algorithm = KeyAlgorithm.parse(alg);
      } catch (KesException e) {
        throw Json.badResponse("unknown key algorithm '" + alg + "'", null);
      }
    }
    java.time.Instant created = Json.time(n, "created_at");
    String responseName = Json.string(n, "name");
    return new KeyInfo(
        responseName.isEmpty() ? name : responseName,
        algorithm,
        created == null ? KeyInfo.UNKNOWN_TIME : created,
        Json.string(n, "created_by"));
  }

  /** {@inheritDoc} Not retried once sent. */
  @Override
  public void deleteKey(String name) {
    Objects.requireNonNull(name, "name");
    expectEmpty(send(Request.of("DELETE", ApiPath.KEY_DELETE.of(segment(name)), null, false)));
  }

  /**
   * {@inheritDoc}
   *
   * <p>A server that answers in the JSON form pages itself; its {@code continue_at} is passed on. A
   * server that answers with ndjson lines (KES ≤ 0.22) lists everything at once; the client then
   * filters by {@code continueAt}, sorts and pages by {@code limit} itself. Such servers match the
   * pattern as a glob, so the client sends {@code prefix*} to them.
   */
  @Override
  public Page<String> listKeys(String prefix, String continueAt, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(continueAt, "continueAt");
    String bare = prefix.endsWith("*") ? prefix.substring(0, prefix.length() - 1) : prefix;
    try {
      Listing listing = list(bare, continueAt, limit, transport.preferred().legacyListing());
      if (listing.ndjson()) {
        return legacyPage(listing, bare, continueAt, limit);
      }
      List<String> names = listing.names();
      if (limit > 0 && names.size() > limit) {
        return new Page<>(names.subList(0, limit), names.get(limit));
      }
      return new Page<>(names, listing.continueAt());
    } catch (InvalidNameException e) {
      throw InvalidNameException.listPattern(prefix); // quote the caller's pattern, as the engine
    }
  }

  private Listing list(String bare, String continueAt, int limit, boolean glob) {
    String pattern = bare.isEmpty() ? "*" : glob ? bare + "*" : bare;
    StringBuilder query = new StringBuilder();
    if (!continueAt.isEmpty()) {
      query.append("continue_at=").append(URLEncoder.encode(continueAt, StandardCharsets.UTF_8));
    }
    if (limit > 0) {
      query.append(query.length() > 0 ? "&" : "").append("limit=").append(limit);
    }
    Response r =
        send(
            new Request(
                "GET", ApiPath.KEY_LIST.of(segment(pattern)), query.toString(), null, true));
    if (!r.ok()) {
      throw r.error();
    }
    Listing listing = Listing.parse(r.contentType(), r.body());
    if (listing.ndjson() && !r.endpoint().legacyListing()) {
      r.endpoint().markLegacyListing();
      if (!glob && !bare.isEmpty()) {
        return list(bare, continueAt, limit, true); // the server matched our prefix literally
      }
    }
    return listing;
  }

  private static Page<String> legacyPage(
      Listing listing, String prefix, String continueAt, int limit) {
    List<String> names = new ArrayList<>();
    for (String n : listing.names()) {
      if (n.startsWith(prefix) && n.compareTo(continueAt) >= 0) {
        names.add(n);
      }
    }
    Collections.sort(names);
    if (limit > 0 && names.size() > limit) {
      return new Page<>(names.subList(0, limit), names.get(limit));
    }
    return Page.last(names);
  }

  @Override
  public DataKey generateKey(String name, byte[] context) {
    Objects.requireNonNull(name, "name");
    // KES 0.16 requires a body (even without context); newer servers accept one
    byte[] body = Json.encode(Json.putBytes(Json.object(), "context", context));
    Object n = json(send(Request.of("POST", ApiPath.KEY_GENERATE.of(segment(name)), body, true)));
    byte[] plaintext = Json.requiredBytes(n, "plaintext");
    try {
      return new DataKey(plaintext, Json.requiredBytes(n, "ciphertext"));
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  @Override
  public byte[] encrypt(String name, byte[] plaintext, byte[] context) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(plaintext, "plaintext");
    KesJson.ObjectWriter o = Json.object();
    o.base64("plaintext", plaintext);
    Json.putBytes(o, "context", context);
    byte[] body = Json.encode(o);
    try {
      Object n = json(send(Request.of("POST", ApiPath.KEY_ENCRYPT.of(segment(name)), body, true)));
      return Json.requiredBytes(n, "ciphertext");
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  @Override
  public byte[] decrypt(String name, byte[] ciphertext, byte[] context) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ciphertext, "ciphertext");
    KesJson.ObjectWriter o = Json.object();
    Json.putBytes(o, "ciphertext", ciphertext);
    Json.putBytes(o, "context", context);
    Object n =
        json(send(Request.of("POST", ApiPath.KEY_DECRYPT.of(segment(name)), Json.encode(o), true)));
    return Json.bytes(n, "plaintext");
  }

  /**
   * {@inheritDoc}
   *
   * <p>Uses {@code /v1/key/bulk/decrypt/} (KES 2023, kes4j). A server without that route (404 page
   * not found, or 405) is remembered, and the items are decrypted one by one instead, with the same
   * all-or-nothing result. When the bulk route answers 403 (a policy that allows {@code
   * /v1/key/decrypt/NAME} but not the bulk route), the items are decrypted one by one as well and
   * each is authorized on its own; with no items, the 403 is thrown.
   */
  @Override
  public List<byte[]> decryptAll(String name, List<DecryptRequest> requests) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(requests, "requests");
    if (!transport.preferred().noBulkDecrypt()) {
      List<KesJson.ObjectWriter> array = new ArrayList<>(requests.size());
      for (DecryptRequest r : requests) {
        KesJson.ObjectWriter o = Json.object();
        array.add(o);
        Json.putBytes(o, "ciphertext", r.ciphertext());
        Json.putBytes(o, "context", r.context());
      }
      Response r =
          send(
              Request.of(
                  "POST", ApiPath.KEY_BULK_DECRYPT.of(segment(name)), Json.encode(array), true));
      if (r.ok()) {
        Object parsed = Json.parse(r.body());
        List<?> n = Json.elements(parsed);
        if (!Json.isArray(parsed) || n.size() != requests.size()) {
          throw Json.badResponse("bulk decryption answered " + n.size() + " items", null);
        }
        List<byte[]> out = new ArrayList<>(n.size());
        for (Object item : n) {
          out.add(Json.bytes(item, "plaintext"));
        }
        return out;
      }
      if (routeMissing(r)) {
        r.endpoint().markNoBulkDecrypt();
      } else if (r.status() != 403 || requests.isEmpty()) {
        throw r.error();
      }
      // 403: the policy may allow /v1/key/decrypt/NAME without the bulk route (Go KES's clients
      // fall back too); each single decryption is then authorized on its own. Not remembered:
      // another key's bulk route may be allowed.
    }
    if (requests.size() > MAX_BULK) {
      throw new KesException(400, "too many ciphertexts");
    }
    if (requests.isEmpty()) {
      describeKey(name); // the same errors as the bulk route: invalid name, missing key
      return new ArrayList<>();
    }
    List<byte[]> out = new ArrayList<>(requests.size());
    for (DecryptRequest r : requests) {
      out.add(decrypt(name, r.ciphertext(), r.context()));
    }
    return out;
  }

  /** Go's ServeMux answers unknown routes with a plain-text 404; a method mismatch with 405. */
  private static boolean routeMissing(Response r) {
    if (r.status() == 405) {
      return true;
    }
    return r.status() == 404
        && !r.contentType().toLowerCase(Locale.ROOT).startsWith("application/json");
  }

  /** {@inheritDoc} Uses PUT, the method of the newest route (KES 2024+ only). */
  @Override
  public byte[] hmac(String name, byte[] message) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(message, "message");
    byte[] body = Json.encode(Json.putBytes(Json.object(), "message", message));
    Object n = json(send(Request.of("PUT", ApiPath.KEY_HMAC.of(segment(name)), body, true)));
    return Json.requiredBytes(n, "hmac");
  }

  /**
   * {@inheritDoc}
   *
   * <p>The key store counts as unreachable when the server reports {@code keystore_unreachable} or
   * {@code keystore_unavailable}. KES 0.16 reports uptime in nanoseconds (recognised by its {@code
   * certificate} field), newer servers in seconds; {@code keystore_latency} is read as
   * milliseconds, as servers send it.
   *
   * @throws KesException 503/504 if no server can be reached: unlike the engine, the client cannot
   *     report on a service it cannot reach
   */
  @Override
  public ServiceStatus status() {
    Object n = json(send(Request.of("GET", ApiPath.STATUS.path(), null, true)));
    long uptime = Json.number(n, "uptime");
    Duration up =
        Json.field(n, "certificate") != null
            ? Duration.ofNanos(uptime)
            : Duration.ofSeconds(uptime);
    boolean unreachable =
        Json.bool(n, "keystore_unreachable") || Json.bool(n, "keystore_unavailable");
    return new ServiceStatus(
        Json.string(n, "version"),
        up,
        !unreachable,
        Duration.ofMillis(Math.max(0, Json.number(n, "keystore_latency"))));
  }

  // ---- extras ----------------------------------------------------------------------------------

  /**
   * The server's version ({@code GET /version}).
   *
   * @throws KesException as any call
   */
  public String version() {
    return Json.string(
        json(send(Request.of("GET", ApiPath.VERSION.path(), null, true))), "version");
  }

  /**
   * What the server says about this client's identity ({@code /v1/identity/self/describe}).
   *
   * @throws KesException 404 {@code identity does not exist} if the identity has no policy (and
   *     always for non-admins on Go KES 2024+, a Go bug), or as any call
   */
  public IdentityInfo describeSelf() {
    Object n = json(send(Request.of("GET", ApiPath.IDENTITY_SELF_DESCRIBE.path(), null, true)));
    Object policy = Json.field(n, "policy");
    String name = "";
    List<String> allow;
    List<String> deny;
    if (Json.isObject(policy)) {
      // KES 2023 / kes-go: policy_name plus a nested policy with arrays
      allow = Json.strings(Json.field(policy, "allow"));
      deny = Json.strings(Json.field(policy, "deny"));
    } else {
      if (policy instanceof String) {
        name = (String) policy;
      }
      allow = Json.strings(Json.field(n, "allow"));
      deny = Json.strings(Json.field(n, "deny"));
    }
    if (name.isEmpty()) {
      name = Json.string(n, "policy_name");
    }
    Collections.sort(allow);
    Collections.sort(deny);
    return new IdentityInfo(
        Json.string(n, "identity"),
        Json.bool(n, "admin"),
        name,
        allow,
        deny,
        Json.time(n, "created_at"));
  }

  /**
   * The names of the policies matching {@code pattern} ({@code ""} or {@code *} for all, or a
   * prefix ending in {@code *}), sorted.
   *
   * @throws InvalidNameException if the pattern is invalid
   * @throws KesException as any call
   */
  public List<String> listPolicies(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    String p = pattern.isEmpty() ? "*" : pattern;
    Response r = send(Request.of("GET", ApiPath.POLICY_LIST.of(segment(p)), null, true));
    if (!r.ok()) {
      throw r.error();
    }
    List<String> names = new ArrayList<>(Listing.parse(r.contentType(), r.body()).names());
    Collections.sort(names);
    return Collections.unmodifiableList(names);
  }

  /**
   * Describes a policy (name and creation) without its patterns.
   *
   * @throws KesException 404 {@code policy does not exist}, or as any call
   */
  public PolicyInfo describePolicy(String name) {
    Objects.requireNonNull(name, "name");
    Object n = json(send(Request.of("GET", ApiPath.POLICY_DESCRIBE.of(segment(name)), null, true)));
    return policyInfo(n, name, List.of(), List.of());
  }

  /**
   * Reads a policy with its allow and deny patterns (JSON objects in KES ≥ 0.23, arrays in 0.16).
   *
   * @throws KesException 404 {@code policy does not exist}, or as any call
   */
  public PolicyInfo readPolicy(String name) {
    Objects.requireNonNull(name, "name");
    Object n = json(send(Request.of("GET", ApiPath.POLICY_READ.of(segment(name)), null, true)));
    List<String> allow = Json.strings(Json.field(n, "allow"));
    List<String> deny = Json.strings(Json.field(n, "deny"));
    Collections.sort(allow);
    Collections.sort(deny);
    return policyInfo(n, name, allow, deny);
  }

  private static PolicyInfo policyInfo(
      Object n, String name, List<String> allow, List<String> deny) {
    String responseName = Json.string(n, "name");
    return new PolicyInfo(
        responseName.isEmpty() ? name : responseName,
        allow,
        deny,
        Json.time(n, "created_at"),
        Json.string(n, "created_by"));
  }

  /**
   * Subscribes to the server's audit log ({@code /v1/log/audit}, or KES 0.16's {@code
   * /v1/log/audit/trace}). Returns once the server accepted the subscription, or after the call
   * {@link Builder#timeout timeout} if the connection stands but the server has not answered yet
   * (Go KES sends a stream's headers only with its first event); the stream then waits for them as
   * long as it is read, with no time limit, and an error answer that arrives later is thrown by
   * {@link LogStream#hasNext()} / {@link LogStream#poll}. Connecting is bounded as for any call.
   * Events that happen before the subscription is active on the server are not delivered. Close the
   * stream to end it.
   *
   * @throws KesException as any call (403 if the identity may not read the log and the server said
   *     so in time)
   */
  public LogStream auditLog() {
    return log(ApiPath.LOG_AUDIT.path());
  }

  /**
   * Subscribes to the server's error log ({@code /v1/log/error}, or KES 0.16's {@code
   * /v1/log/error/trace}); each line is {@code {"message":".."}}. Waits like {@link #auditLog()}.
   * Close the stream to end it.
   *
   * @throws KesException as {@link #auditLog()}
   */
  public LogStream errorLog() {
    return log(ApiPath.LOG_ERROR.path());
  }

  /** A log stream at {@code path}, with KES 0.16's {@code /trace} fallback. */
  LogStream log(String path) {
    Transport.Pending p = stream(path);
    Response r = p.response().getNow(null);
    if (r != null && r.status() == 404 && routeMissing(r)) {
      p = stream(path + "/trace");
      r = p.response().getNow(null);
    }
    if (r != null && !r.ok()) {
      throw r.error();
    }
    LogStream[] holder = new LogStream[1];
    LogStream s = new LogStream(p.response(), p.endpoint() + path, () -> streams.remove(holder[0]));
    holder[0] = s;
    streams.add(s);
    if (closed) {
      s.close();
    }
    return s;
  }

  // ---- plumbing --------------------------------------------------------------------------------

  private Response send(Request request) {
    checkOpen();
    return transport.send(request);
  }

  private Transport.Pending stream(String path) {
    checkOpen();
    return transport.stream(Request.of("GET", path, null, true));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("KesClient is closed");
    }
  }

  private static void expectEmpty(Response r) {
    if (!r.ok()) {
      throw r.error();
    }
  }

  private static Object json(Response r) {
    if (!r.ok()) {
      throw r.error();
    }
    return Json.parse(r.body());
  }

  /**
   * Percent-encodes one path segment: unreserved characters and {@code *} stay, everything else
   * (UTF-8) becomes {@code %XX}; servers decode the path before routing.
   */
  static String segment(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || c == '*') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /**
   * Ends every open log stream and releases the HTTP client (its connections close when idle; on
   * JDK 21+ at once). Later calls throw {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (LogStream s : List.copyOf(streams)) {
      s.close();
    }
    if (http instanceof AutoCloseable) {
      try {
        ((AutoCloseable) http).close(); // HttpClient is AutoCloseable from JDK 21 on
      } catch (Exception e) {
        // nothing left to do: the client is unusable either way
      }
    }
    executor.shutdown();
  }

  @Override
  public String toString() {
    return "KesClient[endpoints="
        + transport.endpoints()
        + ", identity="
        + (identity == null ? "none" : identity.value())
        + (closed ? ", closed" : "")
        + "]";
  }

  /**
   * Builds a {@link KesClient}. Credentials are either a client certificate or an API key; the one
   * set last wins. Not thread-safe.
   */
  public static final class Builder {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private List<String> endpoints = List.of("https://" + Env.DEFAULT_SERVER);
    private PrivateKey key;
    private List<X509Certificate> chain;
    private Path keyFile;
    private Path certFile;
    private char[] password;
    private String apiKey;
    private List<X509Certificate> cas = List.of();
    private Path caFile;
    private String trustSource = "the system roots";
    private boolean insecure;
    private Duration timeout = Duration.ofSeconds(20);
    private int retries = 2;

    private Builder() {}

    /**
     * The servers, as {@code https://host:port} (or {@code host:port}, {@code https://} is added).
     * Calls fail over in this order.
     *
     * @throws KesConfigException if an endpoint is not a valid HTTPS URL
     */
    public Builder endpoints(String... endpoints) {
      return endpoints(Arrays.asList(endpoints));
    }

    /**
     * The servers, as {@link #endpoints(String...)}.
     *
     * @throws KesConfigException if the list is empty or an endpoint is not a valid HTTPS URL
     */
    public Builder endpoints(List<String> endpoints) {
      Objects.requireNonNull(endpoints, "endpoints");
      List<String> out = new ArrayList<>();
      for (String e : endpoints) {
        Objects.requireNonNull(e, "endpoint");
        for (String one : Env.endpoints(e)) {
          out.add(normalize(one));
        }
      }
      if (out.isEmpty()) {
        throw new KesConfigException("no KES server endpoint given");
      }
      this.endpoints = List.copyOf(out);
      return this;
    }

    private static String normalize(String endpoint) {
      URI uri;
      try {
        uri = new URI(endpoint);
      } catch (URISyntaxException e) {
        throw new KesConfigException("invalid KES server endpoint '" + endpoint + "'");
      }
      if (!"https".equalsIgnoreCase(uri.getScheme())) {
        throw new KesConfigException(
            "invalid KES server endpoint '" + endpoint + "': KES requires https://");
      }
      if (uri.getHost() == null) {
        throw new KesConfigException("invalid KES server endpoint '" + endpoint + "': no host");
      }
      String s = uri.toString();
      while (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      return s;
    }

    /**
     * Authenticates with the client certificate in a PEM file (leaf first, optionally followed by
     * intermediates); goes with {@link #privateKeyFile}. Read by {@link #build()}, which reports
     * the two files as swapped if they are given the wrong way round.
     */
    public Builder certificateFile(Path certificatePem) {
      this.certFile = Objects.requireNonNull(certificatePem, "certificatePem");
      this.key = null;
      this.chain = null;
      this.apiKey = null;
      return this;
    }

    /**
     * Authenticates with the private key in a PEM file (PKCS#8 or OpenSSL form, not encrypted);
     * goes with {@link #certificateFile}. Read by {@link #build()}.
     */
    public Builder privateKeyFile(Path privateKeyPem) {
      return privateKeyFile(privateKeyPem, null);
    }

    /**
     * Authenticates with the private key in a PEM file encrypted with {@code password} (encrypted
     * PKCS#8 or OpenSSL {@code DEK-Info}); goes with {@link #certificateFile}. The password is
     * copied.
     *
     * @param password the key's password; null if the key is not encrypted
     */
    public Builder privateKeyFile(Path privateKeyPem, char[] password) {
      this.keyFile = Objects.requireNonNull(privateKeyPem, "privateKeyPem");
      this.password = password == null ? null : password.clone();
      this.key = null;
      this.chain = null;
      this.apiKey = null;
      return this;
    }

    /** Authenticates with a private key and its certificate chain (leaf first). */
    public Builder clientCertificate(PrivateKey key, List<X509Certificate> chain) {
      this.key = Objects.requireNonNull(key, "key");
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("empty certificate chain");
      }
      this.chain = List.copyOf(chain);
      this.keyFile = null;
      this.certFile = null;
      this.apiKey = null;
      return this;
    }

    /**
     * Authenticates with a KES API key ({@code kes:v1:…}): the client presents a self-signed
     * Ed25519 certificate for it, as KES clients do, so the server must not verify client chains
     * ({@code tls.auth} off, the default). Checked by {@link #build()}.
     */
    public Builder apiKey(String apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      this.key = null;
      this.chain = null;
      this.keyFile = null;
      this.certFile = null;
      return this;
    }

    /**
     * Trusts the CA certificates of a PEM file (or of every PEM file in a directory) instead of the
     * system roots. Read by build.
     */
    public Builder caCertificates(Path pem) {
      this.caFile = Objects.requireNonNull(pem, "pem");
      this.cas = List.of();
      this.trustSource = pem.toString();
      return this;
    }

    /** Trusts these CA certificates instead of the system roots. */
    public Builder caCertificates(List<X509Certificate> cas) {
      this.cas = List.copyOf(cas);
      this.caFile = null;
      this.trustSource = cas.isEmpty() ? "the system roots" : "the given CA certificates";
      return this;
    }

    /**
     * Skips verifying the server's certificate and host name ({@code kes -k}). Only for tests and
     * development: anyone in the path can impersonate the server. Default false.
     */
    public Builder insecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    /**
     * How long one attempt of a call may take, connection included (default 20 s). Log streams use
     * it only until the server accepts the subscription.
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * How many extra attempts an idempotent call may make after every endpoint was tried once
     * (default 2; 0 disables retries but keeps failover).
     */
    public Builder retries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("retries must not be negative");
      }
      this.retries = retries;
      return this;
    }

    /**
     * Applies the KES client variables of {@code env} (see {@link KesClient#fromEnvironment()}):
     * the endpoints, the API key or key/certificate files if set, and the CA path if set.
     *
     * @throws KesConfigException if an API key and key/certificate files are both set, or only one
     *     of key and certificate file is set
     */
    public Builder environment(Map<String, String> env) {
      Env e = Env.resolve(env);
      endpoints(e.endpoints());
      if (e.apiKey() != null) {
        apiKey(e.apiKey());
      } else if (e.keyFile() != null) {
        certificateFile(Path.of(e.certFile())).privateKeyFile(Path.of(e.keyFile()));
      }
      if (e.caPath() != null) {
        caCertificates(Path.of(e.caPath()));
        trustSource = "$" + Env.CA_PATH;
      }
      return this;
    }

    /**
     * Reads the key, certificate and CA files, sets up TLS and creates the client.
     *
     * @throws KesConfigException if a file cannot be read or parsed, only one of certificate and
     *     private key file is set, the two files look swapped, an encrypted key has no or a wrong
     *     password, the API key is invalid, or the certificate does not belong to the private key
     */
    public KesClient build() {
      PrivateKey k = key;
      List<X509Certificate> c = chain;
      if (apiKey != null) {
        ApiKey parsed;
        try {
          parsed = ApiKey.parse(apiKey);
        } catch (IllegalArgumentException e) {
          throw new KesConfigException(e.getMessage()); // never quotes the key
        }
        k = parsed.privateKey();
        c = List.of(parsed.selfSignedCertificate());
      } else if (keyFile != null || certFile != null) {
        if (keyFile == null || certFile == null) {
          throw new KesConfigException(
              keyFile == null
                  ? "a certificate file was set but no private key file (privateKeyFile)"
                  : "a private key file was set but no certificate file (certificateFile)");
        }
        Pem.KeyAndChain pair = Pem.readKeyPair(certFile, keyFile, password);
        k = pair.key();
        c = pair.chain();
      } else if (k != null) {
        Pem.requireMatch(k, c.get(0), "client certificate");
      }
      List<X509Certificate> trusted = caFile != null ? Pem.readTrusted(caFile) : cas;
      SSLContext ssl = Tls.context(k, c, trusted, insecure);
      ExecutorService executor =
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "kes-client-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(ssl)
              .connectTimeout(
                  timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
              .followRedirects(HttpClient.Redirect.NEVER)
              .executor(executor)
              .build();
      List<Endpoint> eps = new ArrayList<>();
      for (String e : endpoints) {
        eps.add(new Endpoint(e));
      }
      Identity id = c == null ? null : Identity.of(c.get(0));
      return new KesClient(
          http, executor, new Transport(http, eps, timeout, retries, trustSource), id);
    }

    @Override
    public String toString() {
      return "KesClient.Builder[endpoints=" + endpoints + "]"; // never the key or API key
    }
  }
}
