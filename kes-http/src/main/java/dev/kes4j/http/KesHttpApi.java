package dev.kes4j.http;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.DecryptRequest;
import dev.kes4j.api.Identity;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyInfo;
import dev.kes4j.api.KeyService;
import dev.kes4j.api.NotAuthorizedException;
import dev.kes4j.api.Page;
import dev.kes4j.api.Policy;
import dev.kes4j.api.ServiceStatus;
import dev.kes4j.core.AuditEvent;
import dev.kes4j.core.AuditSink;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.internal.GoTime;
import dev.kes4j.http.internal.Json;
import dev.kes4j.http.internal.LogHub;
import dev.kes4j.http.internal.RefusalLog;
import dev.kes4j.http.internal.ServerMetrics;
import dev.kes4j.policy.Decision;
import dev.kes4j.policy.Identities;
import dev.kes4j.policy.NameRules;
import dev.kes4j.policy.PeerChainException;
import dev.kes4j.policy.PolicySet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KES's HTTP API (spec §1) independent of any transport: a host hands it (method, decoded path, TLS
 * peer chain, headers, body) as an {@link ApiRequest} and writes back the {@link ApiResponse}.
 * {@link KesServer} is the reference HTTPS front; any other server can mount the same object.
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
 * <p>Thread-safe. {@link #handle} blocks while the engine talks to the key store; streamed
 * responses block in {@link ApiResponse.EventStream#run} until the client leaves. {@code handle}
 * never throws for any input: every failure becomes an error response.
 */
public final class KesHttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KesHttpApi.class);

  /** {@code 1 * mem.MB} (decimal) of the newest KES: the body limit of the crypto routes. */
  public static final long MB = 1_000_000L;

  private static final long MIB = 1L << 20;
  private static final String JSON = "application/json";
  private static final String NDJSON = "application/x-ndjson";
  private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", JSON);
  private static final int MAX_BULK = 1000;

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
      return path.startsWith("/v1/log/");
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

  private static final List<Route> DEFAULT_ROUTES =
      List.of(
          route("GET", "/version", 0, 10, Auth.NONE),
          route("GET", "/v1/ready", 0, 15, Auth.VERIFY),
          route("GET", "/v1/status", 0, 15, Auth.VERIFY),
          route("GET", "/v1/metrics", 0, 15, Auth.VERIFY),
          route("GET", "/v1/api", 0, 10, Auth.VERIFY),
          route("PUT", "/v1/key/create/", 0, 15, Auth.VERIFY),
          route("PUT", "/v1/key/import/", MB, 15, Auth.VERIFY),
          route("GET", "/v1/key/describe/", 0, 15, Auth.VERIFY),
          route("GET", "/v1/key/list/", 0, 15, Auth.VERIFY),
          route("DELETE", "/v1/key/delete/", 0, 15, Auth.VERIFY),
          route("PUT", "/v1/key/generate/", MB, 15, Auth.VERIFY),
          route("PUT", "/v1/key/encrypt/", MB, 15, Auth.VERIFY),
          route("PUT", "/v1/key/decrypt/", MB, 15, Auth.VERIFY),
          route("PUT", "/v1/key/hmac/", MB, 15, Auth.VERIFY),
          route("POST", "/v1/key/bulk/decrypt/", MIB, 15, Auth.VERIFY),
          route("GET", "/v1/policy/describe/", 0, 15, Auth.VERIFY),
          route("GET", "/v1/policy/read/", 0, 15, Auth.VERIFY),
          route("GET", "/v1/policy/list/", 0, 15, Auth.VERIFY),
          route("GET", "/v1/identity/describe/", 0, 15, Auth.VERIFY),
          route("GET", "/v1/identity/list/", 0, 15, Auth.VERIFY),
          route("GET", "/v1/identity/self/describe", 0, 15, Auth.IDENTIFY),
          route("GET", "/v1/log/error", 0, 0, Auth.VERIFY),
          route("GET", "/v1/log/audit", 0, 0, Auth.VERIFY),
          route("GET", "/v1/log/error/trace", 0, 0, Auth.VERIFY),
          route("GET", "/v1/log/audit/trace", 0, 0, Auth.VERIFY));

  private static Route route(String method, String path, long maxBody, int seconds, Auth auth) {
    return new Route(method, path, maxBody, Duration.ofSeconds(seconds), auth);
  }

  private final Kes kes;
  private final KesConfig.ErrorMessages errors;
  private final boolean legacyListing;
  private final NameRules names;
  private final AuditSink extraAudit;
  private final Clock clock;
  private final List<Route> routes;
  private final Map<String, Route> exact = new HashMap<>();
  private final List<Route> prefixed = new ArrayList<>();
  private final LogHub auditHub = new LogHub();
  private final LogHub errorHub = new LogHub();
  private final ServerMetrics metrics;
  private final String commit;
  private final RefusalLog refusals;

  private KesHttpApi(Builder b) {
    this.kes = b.kes;
    this.errors = b.errors;
    this.legacyListing = b.legacyListing;
    this.names = b.lenientNames ? NameRules.LENIENT : NameRules.STRICT;
    this.extraAudit = b.audit;
    this.clock = b.clock;
    this.commit = b.commit;
    List<Route> rs = new ArrayList<>();
    for (Route r : DEFAULT_ROUTES) {
      KesConfig.ApiRoute o = override(b.overrides, r.path());
      rs.add(o == null ? r : r.with(o));
    }
    this.routes = List.copyOf(rs);
    for (Route r : routes) {
      if (r.takesResource()) {
        prefixed.add(r);
      } else {
        exact.put(r.path(), r);
      }
    }
    // longest prefix first, as Go's ServeMux picks the most specific pattern
    prefixed.sort((x, y) -> Integer.compare(y.path().length(), x.path().length()));
    this.metrics = new ServerMetrics(kes.startTime());
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
   * route overrides, name rules, and ndjson listing for 0.16 configs.
   */
  public static KesHttpApi fromConfig(Kes kes, KesConfig config) {
    return builder(kes)
        .errorMessages(config.errorMessages())
        .apiOverrides(config.api())
        .lenientNames(config.lenientNames())
        .legacyListing(config.schema() == KesConfig.Schema.V0_16)
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
    Route r = exact.get(path);
    if (r != null) {
      return Optional.of(r);
    }
    for (Route p : prefixed) {
      if (path.startsWith(p.path())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
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
    Route route = route(path).orElse(null);
    if (route == null) {
      return false;
    }
    switch (route.path()) {
      case "/version":
      case "/v1/api":
      case "/v1/metrics":
      case "/v1/policy/describe/":
      case "/v1/policy/read/":
      case "/v1/policy/list/":
      case "/v1/identity/describe/":
      case "/v1/identity/list/":
      case "/v1/identity/self/describe":
        return false;
      case "/v1/key/generate/":
      case "/v1/key/encrypt/":
      case "/v1/key/decrypt/":
      case "/v1/key/hmac/":
      case "/v1/key/describe/":
        return !kes.isCached(path.substring(route.path().length()));
      default:
        return true; // create, import, delete, list, bulk, status, ready, log streams
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
      Route r = routes.get(i);
      Route d = DEFAULT_ROUTES.get(i);
      if (r.auth() != d.auth()) {
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
      Json.quote(sb, message).append("}\n");
      errorHub.publish(Json.utf8(sb));
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
    Route route = route(path).orElse(null);
    if (route == null) {
      return unrouted(request);
    }
    boolean counted = !route.path().equals("/v1/metrics");
    if (counted) {
      metrics.requestStarted();
    }
    Identity identity = null;
    ApiResponse response;
    try {
      if (!route.accepts(request.method())) {
        response = methodNotAllowed(request.method(), route.method());
      } else {
        identity = authenticate(route, request, path);
        response = dispatch(route, request, identity, path.substring(route.path().length()));
      }
    } catch (KesException e) {
      response = error(e);
      if (e.status() >= 500) {
        logError(request.method() + " " + path + ": " + e.getMessage() + causeOf(e));
      }
    } catch (RuntimeException e) {
      String message = internalMessage(route);
      logError(request.method() + " " + path + ": " + message + ": " + e);
      response = error(500, message);
    }
    if (counted) {
      long took = System.nanoTime() - start;
      metrics.requestEnded(response.status(), took);
      audit(path, identity, request.remoteAddress(), response.status(), took);
    }
    return response;
  }

  private static String causeOf(KesException e) {
    return e.getCause() == null ? "" : " (" + e.getCause() + ")";
  }

  private static String internalMessage(Route route) {
    switch (route.path()) {
      case "/v1/key/generate/":
        return "failed to generate encryption key";
      case "/v1/key/encrypt/":
        return "failed to encrypt plaintext";
      case "/v1/key/decrypt/":
      case "/v1/key/bulk/decrypt/":
        return "failed to decrypt ciphertext";
      case "/version":
        return "failed to read server version";
      default:
        return "internal server error";
    }
  }

  private ApiResponse unrouted(ApiRequest request) {
    String path = request.path();
    if (!path.endsWith("/")
        && route(path + "/").filter(r -> r.path().equals(path + "/")).isPresent()) {
      // Go's ServeMux: a bare subtree path redirects to the slashed one
      String target = path + "/" + (request.query().isEmpty() ? "" : "?" + request.query());
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Location", target);
      byte[] body = new byte[0];
      if (request.method().equals("GET") || request.method().equals("HEAD")) {
        h.put("Content-Type", "text/html; charset=utf-8");
        body = Json.utf8("<a href=\"" + htmlEscape(target) + "\">Moved Permanently</a>.\n\n");
      }
      return ApiResponse.of(301, h, body);
    }
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "text/plain; charset=utf-8");
    h.put("X-Content-Type-Options", "nosniff");
    return ApiResponse.of(404, h, Json.utf8("404 page not found\n"));
  }

  private static String htmlEscape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&#34;")
        .replace("'", "&#39;");
  }

  private ApiResponse methodNotAllowed(String got, String expected) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", JSON);
    h.put("Accept", expected);
    return ApiResponse.of(
        405, h, errorBody("received method '" + got + "' expected '" + expected + "'"));
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
      case ONLY_CA_CERTIFICATES:
        logRefusal(
            "only-ca:" + Identity.of(chain[0]).value(),
            who
                + "the client presented only CA certificates ("
                + subjects(chain)
                + "): KES ignores certificates with basicConstraints CA:TRUE when it identifies a"
                + " client, and 'openssl req -x509' marks certificates as CA by default; issue a"
                + " leaf certificate (kes4j identity new, or openssl with -addext"
                + " basicConstraints=critical,CA:FALSE)");
        break;
      default:
        logRefusal(
            "many-leaves:" + address,
            who
                + "the client presented more than one non-CA certificate ("
                + subjects(chain)
                + "): KES needs exactly one leaf; send only the leaf (intermediates must be"
                + " CA:TRUE)");
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

  private static Identity identify(ApiRequest request) {
    Optional<X509Certificate[]> chain = request.peerCertificates();
    if (chain.isEmpty()) {
      throw Identities.notTls();
    }
    return Identities.fromPeerChain(chain.get());
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
      auditHub.publish(Json.utf8(event.toJson() + "\n"));
    }
    try {
      extraAudit.record(event);
    } catch (RuntimeException e) {
      LOG.warn("audit sink failed: {}", e.toString());
    }
  }

  private KeyService engine(Identity identity, ApiRequest request) {
    return identity == null ? kes : kes.asAuthorized(identity, request.remoteAddress());
  }

  private ApiResponse dispatch(Route route, ApiRequest req, Identity id, String resource) {
    switch (route.path()) {
      case "/version":
        return json(
            "{\"version\":"
                + Json.quote(Kes.version())
                + ",\"commit\":"
                + Json.quote(commit)
                + "}");
      case "/v1/ready":
        return ready();
      case "/v1/status":
        return status();
      case "/v1/metrics":
        {
          String accept = req.header("Accept").orElse("");
          return ApiResponse.of(
              200, Map.of("Content-Type", metrics.contentType(accept)), metrics.scrape(accept));
        }
      case "/v1/api":
        return apiTable();
      case "/v1/key/create/":
        engine(id, req).createKey(resource);
        return empty();
      case "/v1/key/import/":
        return importKey(req, id, resource);
      case "/v1/key/describe/":
        return describeKey(engine(id, req).describeKey(resource));
      case "/v1/key/list/":
        return listKeys(req, id, resource);
      case "/v1/key/delete/":
        engine(id, req).deleteKey(resource);
        return empty();
      case "/v1/key/generate/":
        return generate(route, req, id, resource);
      case "/v1/key/encrypt/":
        return encrypt(route, req, id, resource);
      case "/v1/key/decrypt/":
        return decrypt(route, req, id, resource);
      case "/v1/key/hmac/":
        return hmac(route, req, id, resource);
      case "/v1/key/bulk/decrypt/":
        return bulkDecrypt(route, req, id, resource);
      case "/v1/policy/describe/":
        return describePolicy(resource);
      case "/v1/policy/read/":
        return readPolicy(resource);
      case "/v1/policy/list/":
        return listPolicies(resource);
      case "/v1/identity/describe/":
        return describeIdentity(resource);
      case "/v1/identity/list/":
        return listIdentities(resource);
      case "/v1/identity/self/describe":
        return selfDescribe(id);
      case "/v1/log/error":
      case "/v1/log/error/trace":
        return ApiResponse.stream(Map.of("Content-Type", NDJSON), errorHub.stream());
      case "/v1/log/audit":
      case "/v1/log/audit/trace":
        return ApiResponse.stream(Map.of("Content-Type", NDJSON), auditHub.stream());
      default:
        throw new IllegalStateException("route without handler: " + route.path());
    }
  }

  // ---- handlers --------------------------------------------------------------------------------

  private ApiResponse ready() {
    ServiceStatus s = kes.status();
    if (!s.keyStoreReachable()) {
      throw new KesException(504, "key store is not reachable");
    }
    return empty();
  }

  private ApiResponse status() {
    ServiceStatus s = kes.status();
    Runtime rt = Runtime.getRuntime();
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"version\":").append(Json.quote(s.version()));
    sb.append(",\"os\":").append(Json.quote(goOs()));
    sb.append(",\"arch\":").append(Json.quote(goArch()));
    sb.append(",\"uptime\":").append(s.uptime().toSeconds());
    sb.append(",\"num_cpu\":").append(rt.availableProcessors());
    sb.append(",\"num_cpu_used\":").append(rt.availableProcessors());
    sb.append(",\"mem_heap_used\":").append(rt.totalMemory() - rt.freeMemory());
    sb.append(",\"mem_stack_used\":").append(ServerMetrics.stackEstimate());
    if (s.keyStoreReachable()) {
      if (!s.keyStoreLatency().isZero()) {
        // spec §1.4: sent as milliseconds, rounded, at least 1
        long ms = Math.max(1, Math.round(s.keyStoreLatency().toNanos() / 1e6));
        sb.append(",\"keystore_latency\":").append(ms);
      }
    } else {
      // spec §1.4: kms-go rejects unreachable without unavailable; send both
      sb.append(",\"keystore_unreachable\":true,\"keystore_unavailable\":true");
    }
    sb.append('}');
    return json(sb);
  }

  static String goOs() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("windows")) {
      return "windows";
    }
    if (os.startsWith("mac")) {
      return "darwin";
    }
    return os.replace(' ', '_');
  }

  static String goArch() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    switch (arch) {
      case "x86_64":
      case "amd64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      case "x86":
      case "i386":
      case "i686":
        return "386";
      default:
        return arch;
    }
  }

  private ApiResponse apiTable() {
    StringBuilder sb = new StringBuilder(2048).append('[');
    for (int i = 0; i < routes.size(); i++) {
      Route r = routes.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"method\":").append(Json.quote(r.method()));
      sb.append(",\"path\":").append(Json.quote(r.path()));
      sb.append(",\"max_body\":").append(r.maxBody());
      sb.append(",\"timeout\":").append(r.timeout().toSeconds()).append('}');
    }
    return json(sb.append(']'));
  }

  private ApiResponse importKey(ApiRequest req, Identity id, String name) {
    Json.Fields f;
    byte[] key;
    String cipher;
    try {
      f = Json.object(readBody(req, MB));
      if (!f.has("key") && f.has("bytes")) {
        // KES 0.16's import body {"bytes":"<b64>"}: always an AES256 key
        key = f.bytes("bytes");
        cipher = f.has("cipher") ? f.string("cipher") : "AES256";
      } else {
        key = f.bytes("key");
        cipher = f.string("cipher");
      }
    } catch (Json.DecodeException | BodyTooLarge e) {
      throw new KesException(400, "invalid import key request body");
    }
    try {
      KeyAlgorithm algorithm = KeyAlgorithm.parse(cipher);
      engine(id, req).importKey(name, algorithm, key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    return empty();
  }

  private ApiResponse describeKey(KeyInfo info) {
    StringBuilder sb = new StringBuilder(160);
    sb.append("{\"name\":").append(Json.quote(info.name()));
    sb.append(",\"algorithm\":").append(Json.quote(info.algorithm().kesName()));
    sb.append(",\"created_at\":").append(Json.quote(GoTime.format(info.createdAt())));
    if (!info.createdBy().isEmpty()) {
      sb.append(",\"created_by\":").append(Json.quote(info.createdBy()));
    }
    return json(sb.append('}'));
  }

  private ApiResponse listKeys(ApiRequest req, Identity id, String pattern) {
    KeyService engine = engine(id, req);
    Map<String, String> query = query(req.query());
    String continueAt = query.getOrDefault("continue_at", query.getOrDefault("continue", ""));
    int limit = 0;
    String l = query.get("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        throw new KesException(400, "invalid request body");
      }
    }
    if (legacyListing || req.header("Accept").orElse("").contains(NDJSON)) {
      // KES ≤ 0.22 listing: one {"name":..} per line, every page
      StringBuilder sb = new StringBuilder();
      String next = continueAt;
      do {
        Page<String> page = engine.listKeys(pattern, next, limit);
        for (String name : page.items()) {
          sb.append("{\"name\":");
          Json.quote(sb, name).append("}\n");
        }
        next = page.continueAt();
      } while (!next.isEmpty());
      return ApiResponse.of(200, Map.of("Content-Type", NDJSON), Json.utf8(sb));
    }
    Page<String> page = engine.listKeys(pattern, continueAt, limit);
    StringBuilder sb = new StringBuilder(64 + 24 * page.items().size()).append("{\"names\":[");
    appendNames(sb, page.items());
    sb.append(']');
    if (!page.continueAt().isEmpty()) {
      sb.append(",\"continue_at\":").append(Json.quote(page.continueAt()));
    }
    return json(sb.append('}'));
  }

  private static void appendNames(StringBuilder sb, List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      Json.quote(sb, names.get(i));
    }
  }

  private static Map<String, String> query(String query) {
    if (query.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    for (String part : query.split("&")) {
      int eq = part.indexOf('=');
      String k = eq < 0 ? part : part.substring(0, eq);
      String v = eq < 0 ? "" : part.substring(eq + 1);
      try {
        out.putIfAbsent(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // malformed escapes: ignore the parameter, as Go's ParseQuery drops it
      }
    }
    return out;
  }

  private ApiResponse generate(Route route, ApiRequest req, Identity id, String name) {
    byte[] context = new byte[0];
    if (req.contentLength() != 0) { // spec §1.4: body parsed only if there is one
      context = decodeBody(route, req, f -> f.bytes("context"));
    }
    DataKey dek = engine(id, req).generateKey(name, context);
    byte[] plaintext = dek.plaintext();
    try {
      StringBuilder sb = new StringBuilder(160);
      sb.append("{\"plaintext\":\"").append(Base64.getEncoder().encodeToString(plaintext));
      sb.append("\",\"ciphertext\":\"")
          .append(Base64.getEncoder().encodeToString(dek.ciphertext()))
          .append("\"}");
      return json(sb);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
      dek.destroy();
    }
  }

  private ApiResponse encrypt(Route route, ApiRequest req, Identity id, String name) {
    byte[][] in =
        decodeBody(route, req, f -> new byte[][] {f.bytes("plaintext"), f.bytes("context")});
    byte[] plaintext = in[0];
    try {
      byte[] ct = engine(id, req).encrypt(name, plaintext, in[1]);
      return json("{\"ciphertext\":\"" + Base64.getEncoder().encodeToString(ct) + "\"}");
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  private ApiResponse decrypt(Route route, ApiRequest req, Identity id, String name) {
    byte[][] in =
        decodeBody(route, req, f -> new byte[][] {f.bytes("ciphertext"), f.bytes("context")});
    byte[] plaintext = engine(id, req).decrypt(name, in[0], in[1]);
    try {
      return json("{\"plaintext\":\"" + Base64.getEncoder().encodeToString(plaintext) + "\"}");
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  private ApiResponse hmac(Route route, ApiRequest req, Identity id, String name) {
    byte[] message = decodeBody(route, req, f -> f.bytes("message"));
    byte[] mac = engine(id, req).hmac(name, message);
    return json("{\"hmac\":\"" + Base64.getEncoder().encodeToString(mac) + "\"}");
  }

  private ApiResponse bulkDecrypt(Route route, ApiRequest req, Identity id, String name) {
    List<DecryptRequest> requests = new ArrayList<>();
    try {
      List<Json.Fields> items = Json.arrayOfObjects(readBody(req, route.maxBody()));
      if (items.size() > MAX_BULK) {
        throw new KesException(400, "too many ciphertexts");
      }
      for (Json.Fields f : items) {
        requests.add(DecryptRequest.of(f.bytes("ciphertext"), f.bytes("context")));
      }
    } catch (Json.DecodeException | BodyTooLarge e) {
      throw invalidBody();
    }
    List<byte[]> plaintexts = engine(id, req).decryptAll(name, requests);
    StringBuilder sb = new StringBuilder(64 * plaintexts.size() + 2).append('[');
    for (int i = 0; i < plaintexts.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      byte[] p = plaintexts.get(i);
      sb.append("{\"plaintext\":\"").append(Base64.getEncoder().encodeToString(p)).append("\"}");
      Arrays.fill(p, (byte) 0);
    }
    return json(sb.append(']'));
  }

  private String createdAt() {
    return Json.quote(GoTime.format(kes.startTime()));
  }

  private Optional<String> adminValue() {
    return kes.policies().admin().map(Identity::value);
  }

  private Policy policyOrThrow(String name) {
    names.checkPolicyName(name);
    return kes.policies()
        .policy(name)
        .orElseThrow(() -> new KesException(404, "policy does not exist"));
  }

  private ApiResponse describePolicy(String name) {
    policyOrThrow(name);
    StringBuilder sb = new StringBuilder(160);
    sb.append("{\"name\":").append(Json.quote(name)).append(",\"created_at\":").append(createdAt());
    adminValue().ifPresent(a -> sb.append(",\"created_by\":").append(Json.quote(a)));
    return json(sb.append('}'));
  }

  private ApiResponse readPolicy(String name) {
    Policy p = policyOrThrow(name);
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"name\":").append(Json.quote(name));
    appendPatterns(sb, p);
    sb.append(",\"created_at\":").append(createdAt());
    adminValue().ifPresent(a -> sb.append(",\"created_by\":").append(Json.quote(a)));
    return json(sb.append('}'));
  }

  private static void appendPatterns(StringBuilder sb, Policy p) {
    appendPatternObject(sb, "allow", p.allow());
    appendPatternObject(sb, "deny", p.deny());
  }

  private static void appendPatternObject(StringBuilder sb, String field, List<String> patterns) {
    if (patterns.isEmpty()) {
      return; // omitempty
    }
    sb.append(",\"").append(field).append("\":{");
    // Go marshals map keys sorted
    List<String> sorted = new ArrayList<>(new java.util.TreeSet<>(patterns));
    for (int i = 0; i < sorted.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      Json.quote(sb, sorted.get(i)).append(":{}");
    }
    sb.append('}');
  }

  private String listPrefix(String pattern) {
    if (!pattern.isEmpty()) {
      names.checkListPattern(pattern);
    }
    return pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
  }

  private ApiResponse listPolicies(String pattern) {
    String prefix = listPrefix(pattern);
    List<String> out = new ArrayList<>();
    for (String n : kes.policies().policyNames()) {
      if (n.startsWith(prefix)) {
        out.add(n);
      }
    }
    Collections.sort(out);
    StringBuilder sb = new StringBuilder("{\"names\":[");
    appendNames(sb, out);
    return json(sb.append("],\"continue_at\":\"\"}"));
  }

  private ApiResponse describeIdentity(String value) {
    names.checkIdentity(value);
    Identity identity = Identity.of(value);
    PolicySet set = kes.policies();
    StringBuilder sb = new StringBuilder(200).append('{');
    if (set.isAdmin(identity)) {
      sb.append("\"admin\":true,\"created_at\":").append(createdAt());
      return json(sb.append('}'));
    }
    String policy =
        set.policyOf(identity).orElseThrow(() -> new KesException(404, "identity does not exist"));
    sb.append("\"policy\":").append(Json.quote(policy));
    sb.append(",\"created_at\":").append(createdAt());
    adminValue().ifPresent(a -> sb.append(",\"created_by\":").append(Json.quote(a)));
    return json(sb.append('}'));
  }

  private ApiResponse listIdentities(String pattern) {
    String prefix = listPrefix(pattern);
    PolicySet set = kes.policies();
    TreeMap<String, Boolean> all = new TreeMap<>();
    for (Identity i : set.identities()) {
      all.put(i.value(), Boolean.TRUE);
    }
    set.admin().ifPresent(a -> all.put(a.value(), Boolean.TRUE));
    List<String> out = new ArrayList<>();
    for (String v : all.keySet()) {
      if (v.startsWith(prefix)) {
        out.add(v);
      }
    }
    StringBuilder sb = new StringBuilder("{\"identities\":[");
    appendNames(sb, out);
    return json(sb.append("],\"continue_at\":\"\"}"));
  }

  private ApiResponse selfDescribe(Identity id) {
    if (id == null) {
      throw new KesException(404, "identity does not exist");
    }
    PolicySet set = kes.policies();
    StringBuilder sb =
        new StringBuilder(256).append("{\"identity\":").append(Json.quote(id.value()));
    if (set.isAdmin(id)) {
      sb.append(",\"admin\":true,\"created_at\":").append(createdAt());
      return json(sb.append('}'));
    }
    // spec §1.4: the kms-go shape (Go KES answers 404 here by mistake; not mirrored)
    String name =
        set.policyOf(id).orElseThrow(() -> new KesException(404, "identity does not exist"));
    Policy p = set.policy(name).orElseThrow(() -> new KesException(404, "policy does not exist"));
    sb.append(",\"policy\":").append(Json.quote(name));
    sb.append(",\"policy_name\":").append(Json.quote(name));
    appendPatterns(sb, p);
    sb.append(",\"created_at\":").append(createdAt());
    adminValue().ifPresent(a -> sb.append(",\"created_by\":").append(Json.quote(a)));
    return json(sb.append('}'));
  }

  // ---- bodies and responses --------------------------------------------------------------------

  /** The body exceeded the route's limit (Go's MaxBytesReader fails the JSON decode). */
  private static final class BodyTooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    BodyTooLarge() {
      super("request body too large", null, false, false);
    }
  }

  /** Decodes one JSON object body; its {@code DecodeException} means "invalid request body". */
  @FunctionalInterface
  private interface BodyDecoder<T> {
    T decode(Json.Fields body) throws Json.DecodeException;
  }

  /**
   * Reads the request's JSON object body within the route's limit and decodes it.
   *
   * @throws KesException 400 {@code invalid request body} if it is too large, not a JSON object, or
   *     a member has the wrong type or bad base64
   */
  private static <T> T decodeBody(Route route, ApiRequest req, BodyDecoder<T> decoder) {
    try {
      return decoder.decode(Json.object(readBody(req, route.maxBody())));
    } catch (Json.DecodeException | BodyTooLarge e) {
      throw invalidBody();
    }
  }

  private static byte[] readBody(ApiRequest req, long limit) throws BodyTooLarge {
    long declared = req.contentLength();
    if (declared > limit) {
      throw new BodyTooLarge();
    }
    InputStream in = req.body();
    try {
      byte[] body;
      if (declared >= 0) {
        // sized exactly: InputStream.readNBytes(limit) would allocate and zero 16 KiB per request
        body = new byte[(int) declared];
        if (in.readNBytes(body, 0, body.length) < body.length) {
          throw new BodyTooLarge(); // the client sent less than it declared: unreadable
        }
      } else {
        body = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
      }
      if (in.read() >= 0) {
        throw new BodyTooLarge();
      }
      return body;
    } catch (IOException e) {
      throw new BodyTooLarge();
    }
  }

  private static KesException invalidBody() {
    return new KesException(400, "invalid request body");
  }

  private static ApiResponse empty() {
    return ApiResponse.of(200, Map.of(), new byte[0]);
  }

  private static ApiResponse json(CharSequence body) {
    // Go's json.Encoder ends the value with a newline
    StringBuilder sb = new StringBuilder(body.length() + 1).append(body).append('\n');
    return ApiResponse.of(200, JSON_HEADERS, Json.utf8(sb));
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
    return error(status, message == null ? "" : message);
  }

  private static ApiResponse error(int status, String message) {
    return ApiResponse.of(status, JSON_HEADERS, errorBody(message));
  }

  /** Spec §1.2: {@code {"message":<json string>\n}}. */
  private static byte[] errorBody(String message) {
    StringBuilder sb = new StringBuilder(message.length() + 16).append("{\"message\":");
    Json.quote(sb, message).append("\n}");
    return Json.utf8(sb);
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
    private String commit = "";

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

    /** The commit {@code /version} reports (default empty). */
    public Builder commit(String commit) {
      this.commit = Objects.requireNonNull(commit, "commit");
      return this;
    }

    /** Builds the API. */
    public KesHttpApi build() {
      return new KesHttpApi(this);
    }
  }
}
