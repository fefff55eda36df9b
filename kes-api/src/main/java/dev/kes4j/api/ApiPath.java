package dev.kes4j.api;

import java.util.Objects;

/**
 * The paths of KES's HTTP API (spec §1.3), spelled once for every kes4j module: the server routes
 * them, the engine authorizes calls with them (a policy allows {@code /v1/key/generate/my-key}),
 * the client and the doctor send them. Declared in the order {@code /v1/api} lists them.
 *
 * <p>A path ending in {@code /} takes a resource (a key, policy or identity name, or a list
 * pattern) as the rest of the URL: {@link #of(String)} appends it. {@link #method()} is the method
 * of the newest KES; servers also accept {@code POST} where it is {@code PUT} (KES 0.16 clients).
 *
 * <p>Immutable and thread-safe; no method blocks.
 */
public enum ApiPath {
  /** {@code GET /version}: the server version; no authentication. */
  VERSION("GET", "/version"),
  /** {@code GET /v1/ready}: 200 when the key store is reachable. */
  READY("GET", "/v1/ready"),
  /** {@code GET /v1/status}: version, uptime and key store state. */
  STATUS("GET", "/v1/status"),
  /** {@code GET /v1/metrics}: Prometheus metrics. */
  METRICS("GET", "/v1/metrics"),
  /** {@code GET /v1/api}: the route table. */
  API("GET", "/v1/api"),
  /** {@code PUT /v1/key/create/<name>}. */
  KEY_CREATE("PUT", "/v1/key/create/"),
  /** {@code PUT /v1/key/import/<name>}. */
  KEY_IMPORT("PUT", "/v1/key/import/"),
  /** {@code GET /v1/key/describe/<name>}. */
  KEY_DESCRIBE("GET", "/v1/key/describe/"),
  /** {@code GET /v1/key/list/<pattern>}. */
  KEY_LIST("GET", "/v1/key/list/"),
  /** {@code DELETE /v1/key/delete/<name>}. */
  KEY_DELETE("DELETE", "/v1/key/delete/"),
  /** {@code PUT /v1/key/generate/<name>}: a new data key. */
  KEY_GENERATE("PUT", "/v1/key/generate/"),
  /** {@code PUT /v1/key/encrypt/<name>}. */
  KEY_ENCRYPT("PUT", "/v1/key/encrypt/"),
  /** {@code PUT /v1/key/decrypt/<name>}. */
  KEY_DECRYPT("PUT", "/v1/key/decrypt/"),
  /** {@code PUT /v1/key/hmac/<name>}. */
  KEY_HMAC("PUT", "/v1/key/hmac/"),
  /** {@code POST /v1/key/bulk/decrypt/<name>} (KES 2023). */
  KEY_BULK_DECRYPT("POST", "/v1/key/bulk/decrypt/"),
  /** {@code GET /v1/policy/describe/<name>}. */
  POLICY_DESCRIBE("GET", "/v1/policy/describe/"),
  /** {@code GET /v1/policy/read/<name>}. */
  POLICY_READ("GET", "/v1/policy/read/"),
  /** {@code GET /v1/policy/list/<pattern>}. */
  POLICY_LIST("GET", "/v1/policy/list/"),
  /** {@code GET /v1/identity/describe/<identity>}. */
  IDENTITY_DESCRIBE("GET", "/v1/identity/describe/"),
  /** {@code GET /v1/identity/list/<pattern>}. */
  IDENTITY_LIST("GET", "/v1/identity/list/"),
  /** {@code GET /v1/identity/self/describe}: the caller's own identity and policy. */
  IDENTITY_SELF_DESCRIBE("GET", "/v1/identity/self/describe"),
  /** {@code GET /v1/log/error}: the error log as a stream. */
  LOG_ERROR("GET", "/v1/log/error"),
  /** {@code GET /v1/log/audit}: the audit log as a stream. */
  LOG_AUDIT("GET", "/v1/log/audit"),
  /** {@code GET /v1/log/error/trace}: KES 0.16's name of {@link #LOG_ERROR}. */
  LOG_ERROR_TRACE("GET", "/v1/log/error/trace"),
  /** {@code GET /v1/log/audit/trace}: KES 0.16's name of {@link #LOG_AUDIT}. */
  LOG_AUDIT_TRACE("GET", "/v1/log/audit/trace");

  private final String method;
  private final String path;

  ApiPath(String method, String path) {
    this.method = method;
    this.path = path;
  }

  /**
   * The HTTP method of the newest KES ({@code GET}, {@code PUT}, {@code POST} or {@code DELETE}).
   */
  public String method() {
    return method;
  }

  /** The path, such as {@code /v1/key/generate/} or {@code /v1/status}. */
  public String path() {
    return path;
  }

  /** Whether the path takes a resource (it ends in {@code /}). */
  public boolean takesResource() {
    return path.endsWith("/");
  }

  /**
   * The request path for {@code resource}: {@code KEY_GENERATE.of("my-key")} is {@code
   * /v1/key/generate/my-key}. The resource is appended as is (callers encode it for a URL).
   *
   * @throws IllegalStateException if the path takes no resource
   * @throws NullPointerException if {@code resource} is null
   */
  public String of(String resource) {
    Objects.requireNonNull(resource, "resource");
    if (!takesResource()) {
      throw new IllegalStateException(path + " takes no resource");
    }
    return path + resource;
  }

  @Override
  public String toString() {
    return method + " " + path;
  }
}
