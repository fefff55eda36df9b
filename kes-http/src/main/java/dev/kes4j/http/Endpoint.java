package dev.kes4j.http;

import dev.kes4j.api.ApiPath;
import dev.kes4j.api.Identity;
import java.time.Duration;
import java.util.Objects;

/**
 * One row of the route table ({@link RouteTable}): everything the API knows about a route before
 * {@code api:} overrides apply. The router, {@link KesHttpApi#mayBlock}, the 500 message and the
 * dispatch all read it; nothing else spells a path. Immutable.
 *
 * @param path the KES path and its method
 * @param maxBody the largest request body read, in bytes
 * @param timeout how long the route may take; {@link Duration#ZERO} for none (streams)
 * @param blocking whether handling may block (see {@link Blocking})
 * @param auth how the caller is authenticated by default
 * @param observed whether requests are counted in the metrics and audited ({@code /v1/metrics} is
 *     not, as in KES)
 * @param failure the message of a 500 answer when the handler fails unexpectedly (spec §1.2)
 * @param handler what serves the route
 */
record Endpoint(
    ApiPath path,
    long maxBody,
    Duration timeout,
    Blocking blocking,
    KesHttpApi.Auth auth,
    boolean observed,
    String failure,
    Handler handler) {

  /** The 500 message of routes without a specific one. */
  static final String INTERNAL = "internal server error";

  /** Validates. */
  Endpoint {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(blocking, "blocking");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(handler, "handler");
  }

  /** Whether serving a route may block the calling thread. */
  enum Blocking {
    /** Answered from memory (static, policy and identity routes). */
    NEVER,
    /** Single-key crypto and describe: from memory if the engine has the key cached. */
    UNLESS_CACHED,
    /** May wait on the key store, a probe, a large body or a stream. */
    ALWAYS
  }

  /** Serves one authenticated request; throws {@code KesException} for KES's error answers. */
  @FunctionalInterface
  interface Handler {
    ApiResponse handle(Call call);
  }

  /**
   * One request on its way to a handler.
   *
   * @param route the effective route (overrides applied)
   * @param request the request
   * @param identity the authenticated caller, or null (unauthenticated routes)
   * @param resource the rest of the path after a slash route's prefix, else empty
   */
  record Call(KesHttpApi.Route route, ApiRequest request, Identity identity, String resource) {}

  /** The public view of this row, before overrides. */
  KesHttpApi.Route route() {
    return new KesHttpApi.Route(path.method(), path.path(), maxBody, timeout, auth);
  }
}
