package dev.kes4j.http;

import dev.kes4j.api.ApiPath;
import dev.kes4j.api.Identity;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.NotAuthorizedException;
import dev.kes4j.api.internal.KesJson;
import dev.kes4j.api.internal.StoreErrors;
import dev.kes4j.core.AuditEvent;
import dev.kes4j.core.AuditSink;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.internal.HeapObjects;
import dev.kes4j.http.internal.IdentityCache;
import dev.kes4j.http.internal.LogHub;
import dev.kes4j.http.internal.RefusalLog;
import dev.kes4j.http.internal.ServerMetrics;
import dev.kes4j.policy.Decision;
import dev.kes4j.policy.Identities;
import dev.kes4j.policy.NameRules;
import dev.kes4j.policy.PeerChainException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 600 lines: the API's single entry point (builder, dispatch over the route table, error
// mapping, audit and metrics hooks); the handlers themselves live in Key/Policy/ServiceHandlers.
/**
 * KES's HTTP API (spec §1) independent of any transport: a host hands it (method, decoded path, TLS
 * peer chain, headers, body) as an {@link ApiRequest} and writes back the {@link ApiResponse}.
 * {@code dev.kes4j.server.KesServer} (kes-server) is the reference HTTPS front; any other server
 * can mount the same object.
 *
 * <pre>{@code
 * KesHttpApi api = KesHttpApi.builder(kes).errorMessages(KesConfig.ErrorMessages.LEGACY).build();
 * ApiResponse r = api.handle(ApiRequest.builder("POST", "/v1/key/create/my-key")
 *     .peerCertificates(chain).build());
 * }</pre>
 *
 * <p>Routing follows Go's {@code ServeMux} as KES uses it: exact routes and routes ending in {@code
 * /} whose rest of path is the resource; a bare path of a slash route answers 301 to the slashed
 * path; unknown paths answer the plain-text {@code 404 page not found}. Per request, in KES's
 * order: method check (405 with {@code Accept}; POST is also accepted on PUT routes), body limit,
 * authentication from the peer chain and the policy check on the full path (unless the route is
 * identify-only, as {@code api: <path>: skip_auth} makes it), then the handler.
 *
 * <p>Every route of the newest KES is served, plus {@code /v1/key/bulk/decrypt/} (KES 2023) and the
 * KES 0.16 forms MinIO 2021 still sends: POST on mutating routes, {@code
 * /v1/log/{audit,error}/trace}, the import body {@code {"bytes"}} and ndjson key listing (when the
 * client accepts {@code application/x-ndjson}, or always with {@link Builder#legacyListing}).
 *
 * <p>One audit event per request (except {@code /v1/metrics}) is written to the audit stream
 * subscribers and to the {@link Builder#auditSink extra sink}; build the engine without an audit
 * sink so events are not recorded twice. Request counts and times go to KES's Prometheus metrics
 * ({@code /v1/metrics}, written without a metrics library).
 *
 * <p>Every route is one row of a single table (package-private {@code RouteTable}): its path
 * ({@link dev.kes4j.api.ApiPath}), body limit, timeout, whether it may block, authentication, 500
 * message and handler. Routing, {@link #mayBlock}, error answers and dispatch all read that row.
 *
 * <p>Thread-safe. {@link #handle} blocks while the engine talks to the key store; streamed
 * responses block in {@link ApiResponse.EventStream#run} until the client leaves. {@code handle}
 * never throws for any input: every failure becomes an error response.
 */
public final class KesHttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KesHttpApi.class);

  /** {@code 1 * mem.MB} (decimal) of the newest KES: the body limit of the crypto routes. */
  public static final long MB = 1_000_000L;

  /** How a route authenticates its caller (spec §1.3, "Auth" column). */
  public enum Auth {
    /** Identity required; must be the admin or pass its policy for the request path. */
    VERIFY,
    /** Identify the caller if it presents a certificate, never reject. */
    IDENTIFY,
    /** No authentication at all. */
    NONE
  }

  /**
   * One route of the API.
   *
   * @param method the HTTP method ({@code PUT} routes also accept {@code POST})
   * @param path the route path; a path ending in {@code /} takes the rest of the URL as resource
   * @param maxBody the largest request body read, in bytes
   * @param timeout how long the route may take; {@link Duration#ZERO} for none (streams)
   * @param auth how the caller is authenticated
   */
  public record Route(String method, String path, long maxBody, Duration timeout, Auth auth) {
    /** Validates. */
    public Route {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(auth, "auth");
    }

    /** Whether the route takes a resource (its path ends in {@code /}). */
    public boolean takesResource() {
      return path.endsWith("/");
    }

    /** Whether the route answers with a stream (the log routes). */
    public boolean streams() {
      return path.startsWith(ApiPath.LOG_ERROR.path()) || path.startsWith(ApiPath.LOG_AUDIT.path());
    }

    /** Whether {@code method} is accepted here (POST is accepted where PUT is expected). */
    public boolean accepts(String method) {
      return this.method.equals(method) || (this.method.equals("PUT") && method.equals("POST"));
    }

    Route with(KesConfig.ApiRoute override) {
      Duration t = override.timeout().isZero() ? timeout : override.timeout();
      Auth a = override.skipAuth() && auth == Auth.VERIFY ? Auth.IDENTIFY : auth;
      return new Route(method, path, maxBody, t, a);
    }
  }

  private final Kes kes;
  private final KesConfig.ErrorMessages errors;
  private final AuditSink extraAudit;
  private final Clock clock;
  private final List<Endpoint> table;
  private final List<Route> routes;
  private final Map<String, Bound> exact = new HashMap<>();
  private final List<Bound> prefixed = new ArrayList<>();
  private final LogHub auditHub = new LogHub();
  private final LogHub errorHub = new LogHub();
  private final ServerMetrics metrics;
  private final RefusalLog refusals;
  private final IdentityCache identities = new IdentityCache();

  /** A row of the table with its effective route (overrides applied). */
  private record Bound(Route route, Endpoint endpoint) {}

  private KesHttpApi(Builder b) {
    this.kes = b.kes;
    this.errors = b.errors;
    this.extraAudit = b.audit;
    this.clock = b.clock;
    this.metrics = new ServerMetrics(kes.startTime(), HeapObjects.every(b.heapObjectsEvery));
    this.table =
        RouteTable.of(
            new KeyHandlers(kes, b.legacyListing),
            new PolicyHandlers(kes, b.lenientNames ? NameRules.LENIENT : NameRules.STRICT),
            new ServiceHandlers(kes, b.commit, metrics, auditHub, errorHub, this::routes));
    List<Route> rs = new ArrayList<>();
    for (Endpoint e : table) {
      Route r = e.route();
      KesConfig.ApiRoute o = override(b.overrides, r.path());
      Route effective = o == null ? r : r.with(o);
      rs.add(effective);
      Bound bound = new Bound(effective, e);
      if (effective.takesResource()) {
        prefixed.add(bound);
      } else {
        exact.put(effective.path(), bound);
      }
    }
    this.routes = List.copyOf(rs);
    // longest prefix first, as Go's ServeMux picks the most specific pattern
    prefixed.sort((x, y) -> Integer.compare(y.route().path().length(), x.route().path().length()));
    this.refusals = new RefusalLog(REFUSAL_LOG_INTERVAL, clock::millis, this::logError);
  }

  private static KesConfig.ApiRoute override(
      Map<String, KesConfig.ApiRoute> overrides, String path) {
    KesConfig.ApiRoute o = overrides.get(path);
    if (o == null) {
      String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path + "/";
      o = overrides.get(trimmed);
    }
    return o;
  }

  /**
   * A builder over an engine. The engine should have no audit sink of its own (this API records one
   * event per request).
   */
  public static Builder builder(Kes kes) {
    return new Builder(kes);
  }

  /**
   * An API configured from a KES config: its error strings ({@code kes4j: errors}), {@code api:}
   * route overrides, name rules, ndjson listing for 0.16 configs, and heap object counting ({@code
   * kes4j: heap_objects}, off unless the config sets it).
   */
  public static KesHttpApi fromConfig(Kes kes, KesConfig config) {
    return builder(kes)
        .errorMessages(config.errorMessages())
        .apiOverrides(config.api())
        .lenientNames(config.lenientNames())
        .legacyListing(config.schema() == KesConfig.Schema.V0_16)
        .heapObjectsEvery(config.heapObjectsEvery().orElse(Duration.ZERO))
        .build();
  }

  /** The effective route table (overrides applied), in a stable order. */
  public List<Route> routes() {
    return routes;
  }

  /**
   * The route serving {@code path}, or empty if the path is unknown (404) or a bare slash-route
   * path (301). Transports use it to learn the body limit before reading a body.
   */
  public Optional<Route> route(String path) {
    Bound b = bound(path);
    return b == null ? Optional.empty() : Optional.of(b.route());
  }

  private Bound bound(String path) {
    Bound b = exact.get(path);
    if (b != null) {
      return b;
    }
    for (Bound p : prefixed) {
      if (path.startsWith(p.route().path())) {
        return p;
      }
    }
    return null;
  }

  /**
   * Whether handling {@code request} may block (on the key store, a probe or a large body), so that
   * a transport should run it off its I/O threads. False for requests answered from memory: unknown
   * paths, static and policy routes, and single-key crypto on a key the engine has cached. A hint —
   * a cached key may expire a moment later and then be fetched within the store's bounds. Never
   * blocks.
   */
  public boolean mayBlock(ApiRequest request) {
    String path = request.path();
    Bound b = bound(path);
    if (b == null) {
      return false;
    }
    switch (b.endpoint().blocking()) {
      case NEVER:
        return false;
      case UNLESS_CACHED:
        return !kes.isCached(path.substring(b.route().path().length()));
      default:
        return true;
    }
  }

  /**
   * Whether every route requires a client certificate; false when some route only identifies its
   * callers (such as {@code /version} or a {@code skip_auth} route), so the TLS layer must merely
   * request one. {@code /version} and self-describe, identify-only by design, do not count (KES
   * requires a certificate for them too unless {@code skip_auth} is configured).
   */
  public boolean requiresClientCertificate() {
    for (int i = 0; i < routes.size(); i++) {
      if (routes.get(i).auth() != table.get(i).auth()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes one line to the error log: the SLF4J logger {@code kes4j.error} and the subscribers of
   * {@code /v1/log/error}. Never blocks. Messages must not contain secrets.
   */
  public void logError(String message) {
    Objects.requireNonNull(message, "message");
    LoggerFactory.getLogger("kes4j.error").warn("{}", message);
    metrics.errorEvent();
    if (errorHub.hasSubscribers()) {
      StringBuilder sb = new StringBuilder(message.length() + 16).append("{\"message\":");
      KesJson.quote(sb, message).append("}\n");
      errorHub.publish(KesJson.utf8(sb));
    }
  }

  /**
   * The least time between two {@link #logRefusal refusal lines} with the same key: {@value
   * #REFUSAL_LOG_SECONDS} seconds.
   */
  public static final long REFUSAL_LOG_SECONDS = 10;

  private static final Duration REFUSAL_LOG_INTERVAL = Duration.ofSeconds(REFUSAL_LOG_SECONDS);

  /**
   * Writes one line explaining why a client was refused to the {@link #logError error log}, at most
   * once per {@value #REFUSAL_LOG_SECONDS} seconds per {@code key} (the next line after a quiet
   * spell counts the suppressed ones). The API itself logs every refused request (no or unusable
   * client certificate, identity without policy, denied by the policy); transports use this for
   * failed TLS handshakes. Never blocks. Messages must not contain secrets.
   *
   * @param key what identifies repetitions, such as a reason plus an identity or address
   * @param message the line
   */
  public void logRefusal(String key, String message) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(message, "message");
    refusals.log(key, message);
  }

  /** Ends all running log streams. The API still answers requests afterwards. */
  @Override
  public void close() {
    auditHub.close();
    errorHub.close();
  }

  // ---- request handling ------------------------------------------------------------------------

  /**
   * Handles one request. Never throws for bad input; every failure is an error response with KES's
   * status and message.
   *
   * @throws NullPointerException if {@code request} is null
   */
  public ApiResponse handle(ApiRequest request) {
    Objects.requireNonNull(request, "request");
    long start = System.nanoTime();
    String path = request.path();
    Bound bound = bound(path);
    if (bound == null) {
      return unrouted(request);
    }
    Route route = bound.route();
    Endpoint endpoint = bound.endpoint();
    boolean counted = endpoint.observed();
    if (counted) {
      metrics.requestStarted();
    }
    Identity identity = null;
    ApiResponse response;
    try {
      if (!route.accepts(request.method())) {
        response = Responses.methodNotAllowed(request.method(), route.method());
      } else {
        identity = authenticate(route, request, path);
        String resource = path.substring(route.path().length());
        response = endpoint.handler().handle(new Endpoint.Call(route, request, identity, resource));
      }
    } catch (KesException e) {
      response = error(e);
      if (e.status() >= 500) {
        // the client gets KES's fixed text (spec §1.2); the log says which key and why
        String resource = path.substring(route.path().length());
        logError(request.method() + " " + path + ": " + StoreErrors.describe(e, resource));
      }
    } catch (RuntimeException e) {
      String message = endpoint.failure();
      logError(request.method() + " " + path + ": " + message + ": " + e);
      response = ApiResponse.error(500, message);
    }
    if (counted) {
      long took = System.nanoTime() - start;
      metrics.requestEnded(response.status(), took);
      audit(path, identity, request.remoteAddress(), response.status(), took);
    }
    return response;
  }

  private ApiResponse unrouted(ApiRequest request) {
    String path = request.path();
    if (!path.endsWith("/")
        && route(path + "/").filter(r -> r.path().equals(path + "/")).isPresent()) {
      // Go's ServeMux: a bare subtree path redirects to the slashed one
      return Responses.movedPermanently(
          request.method(), path + "/" + (request.query().isEmpty() ? "" : "?" + request.query()));
    }
    return Responses.notFound();
  }

  private Identity authenticate(Route route, ApiRequest request, String path) {
    switch (route.auth()) {
      case NONE:
        return null;
      case IDENTIFY:
        try {
          return identify(request);
        } catch (KesException e) {
          return null;
        }
      default:
        Identity id;
        try {
          id = identify(request);
        } catch (PeerChainException e) {
          refusedChain(request, path, e);
          throw e;
        }
        Decision decision = kes.authorize(id, path);
        if (!decision.allowed()) {
          refusedByPolicy(request, path, id, decision);
          throw new NotAuthorizedException();
        }
        return id;
    }
  }

  // issue 11: one clear, rate-limited line per refused client

  private static String client(ApiRequest request) {
    String a = request.remoteAddress();
    return a == null || a.isEmpty() ? "client" : "client " + RefusalLog.clean(a);
  }

  private void refusedChain(ApiRequest request, String path, PeerChainException e) {
    X509Certificate[] chain = request.peerCertificates().orElse(new X509Certificate[0]);
    String who =
        "refused "
            + client(request)
            + ": "
            + request.method()
            + " "
            + RefusalLog.clean(path)
            + ": ";
    String address = request.remoteAddress();
    switch (e.reason()) {
      case NOT_TLS:
        logRefusal("not-tls:" + address, who + "plain connection: KES requires TLS (use https://)");
        break;
      case NO_CERTIFICATE:
        logRefusal(
            "no-certificate:" + address,
            who
                + "no client certificate: configure the client with a certificate and key, or an"
                + " API key");
        break;
      case CA_CERTIFICATE:
        logRefusal(
            "ca-first:" + Identity.of(chain[0]).value(),
            who
                + "the client's first certificate is a CA certificate ("
                + subjects(chain)
                + "): kes4j identifies a client only by the first certificate of its chain, the"
                + " one whose key signed the handshake, and never by a CA:TRUE one ('openssl req"
                + " -x509' marks certificates as CA by default); issue a leaf certificate (kes4j"
                + " identity new, or openssl with -addext basicConstraints=critical,CA:FALSE) and"
                + " send it first");
        break;
      default:
        logRefusal(
            "many-leaves:" + address,
            who
                + "the client presented more than one non-CA certificate ("
                + subjects(chain)
                + "): send the leaf first and only CA certificates (intermediates) after it");
    }
  }

  private static String subjects(X509Certificate[] chain) {
    List<String> out = new ArrayList<>();
    for (X509Certificate c : chain) {
      out.add(
          "'"
              + RefusalLog.clean(c.getSubjectX500Principal().getName())
              + "'"
              + (c.getBasicConstraints() >= 0 ? " CA:TRUE" : " leaf"));
    }
    return String.join(", ", out);
  }

  private void refusedByPolicy(ApiRequest request, String path, Identity id, Decision d) {
    String who = "refused " + client(request) + ": " + request.method() + " ";
    if (d.reason() == Decision.Reason.NO_POLICY) {
      List<String> policies = new ArrayList<>(kes.policies().policyNames());
      Collections.sort(policies);
      logRefusal(
          "no-policy:" + id.value(),
          who
              + RefusalLog.clean(path)
              + ": identity "
              + id.value()
              + " is not assigned to any policy (policies: "
              + (policies.isEmpty() ? "none" : String.join(", ", policies))
              + "); add it to the identities of one of them, or make it the admin");
    } else {
      logRefusal(
          d.reason() + ":" + id.value() + ":" + d.policyName().orElse(""),
          who + d.explain(id, path));
    }
  }

  private Identity identify(ApiRequest request) {
    Optional<X509Certificate[]> chain = request.peerCertificates();
    if (chain.isEmpty()) {
      throw Identities.notTls();
    }
    return identities.of(chain.get());
  }

  private void audit(String path, Identity identity, String address, int status, long nanos) {
    boolean hub = auditHub.hasSubscribers();
    if (!hub && extraAudit == AuditSink.NONE) {
      return;
    }
    AuditEvent event =
        new AuditEvent(
            clock.instant(),
            path,
            identity == null ? "" : identity.value(),
            address,
            status,
            Duration.ofNanos(nanos));
    metrics.auditEvent();
    if (hub) {
      auditHub.publish(KesJson.utf8(event.toJson() + "\n"));
    }
    try {
      extraAudit.record(event);
    } catch (RuntimeException e) {
      LOG.warn("audit sink failed: {}", e.toString());
    }
  }

  private ApiResponse error(KesException e) {
    String message = e.getMessage();
    if (errors == KesConfig.ErrorMessages.LEGACY) {
      if (e instanceof KeyExistsException) {
        message = KeyExistsException.LEGACY_MESSAGE;
      } else if (e instanceof NotAuthorizedException) {
        message = NotAuthorizedException.LEGACY_MESSAGE;
      }
    } else if (e instanceof KeyExistsException) {
      message = KeyExistsException.MESSAGE;
    } else if (e instanceof NotAuthorizedException) {
      message = NotAuthorizedException.MESSAGE;
    }
    int status = e.status() >= 400 && e.status() <= 599 ? e.status() : 500;
    return ApiResponse.error(status, message == null ? "" : message);
  }

  @Override
  public String toString() {
    return "KesHttpApi[" + routes.size() + " routes, errors=" + errors + "]";
  }

  /** Builds a {@link KesHttpApi}. Not thread-safe. */
  public static final class Builder {
    private final Kes kes;
    private KesConfig.ErrorMessages errors = KesConfig.ErrorMessages.LEGACY;
    private Map<String, KesConfig.ApiRoute> overrides = Map.of();
    private boolean legacyListing;
    private boolean lenientNames;
    private AuditSink audit = AuditSink.NONE;
    private Clock clock = Clock.systemUTC();
    private String commit = dev.kes4j.http.internal.BuildInfo.commit();
    private Duration heapObjectsEvery = Duration.ZERO;

    private Builder(Kes kes) {
      this.kes = Objects.requireNonNull(kes, "kes");
    }

    /** Which strings the two messages that changed in KES 0.18 use (default legacy, spec §1.2). */
    public Builder errorMessages(KesConfig.ErrorMessages errors) {
      this.errors = Objects.requireNonNull(errors, "errors");
      return this;
    }

    /** Per-route {@code skip_auth} / {@code timeout} overrides, keyed by route path (§7.1). */
    public Builder apiOverrides(Map<String, KesConfig.ApiRoute> overrides) {
      this.overrides = Map.copyOf(overrides);
      return this;
    }

    /** Always answer key listings as ndjson {@code {"name":..}} lines (KES ≤ 0.22 clients). */
    public Builder legacyListing(boolean legacy) {
      this.legacyListing = legacy;
      return this;
    }

    /** Name rules for policy/identity routes: KES 0.16's lenient ones (default strict). */
    public Builder lenientNames(boolean lenient) {
      this.lenientNames = lenient;
      return this;
    }

    /** A sink that also receives every request's audit event (such as stdout); must not block. */
    public Builder auditSink(AuditSink sink) {
      this.audit = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** The clock for audit event times (default system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The commit {@code /version} reports (default: the git commit kes-http was built from, or
     * {@code unknown} when the build did not record one).
     */
    public Builder commit(String commit) {
      this.commit = Objects.requireNonNull(commit, "commit");
      return this;
    }

    /**
     * How often a {@code /v1/metrics} scrape may count the JVM's heap objects for {@code
     * kes_system_mem_heap_objects} (default {@link Duration#ZERO}: never, the gauge reads 0). A
     * count is a heap walk that stops every thread of the JVM for 10–40 ns per object, so turn it
     * on only where the API owns the JVM, or its heap is small; the reference server counts once a
     * minute. Between counts a scrape reports the last one.
     *
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public Builder heapObjectsEvery(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("negative heap object count interval: " + interval);
      }
      this.heapObjectsEvery = interval;
      return this;
    }

    /** Builds the API. */
    public KesHttpApi build() {
      return new KesHttpApi(this);
    }
  }
}
