package dev.kes4j.client.internal;

import dev.kes4j.api.KesException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends requests to a list of KES endpoints over one shared {@link HttpClient} (connections are
 * reused), with failover and bounded retries.
 *
 * <p>Each call starts at the preferred endpoint (the last one that worked). When a connection to an
 * endpoint cannot be established, the call moves to the next endpoint — for every call, since
 * nothing was sent. Idempotent calls (reads, and crypto calls without server-side effects) also
 * move on after a timeout, an I/O failure after sending, or a 502/503/504 answer, and may take
 * {@code retries} more attempts after every endpoint was tried once (with a short backoff).
 * Non-idempotent calls (create, import, delete) are never repeated once a request may have been
 * sent. Thread-safe.
 */
public final class Transport {
  private static final long MAX_BACKOFF_MILLIS = 1000;

  /** One server endpoint and what the client learnt about it. Thread-safe. */
  public static final class Endpoint {
    private final String base;
    private volatile boolean noBulkDecrypt;
    private volatile boolean legacyListing;

    /** An endpoint at {@code base} ({@code https://host:port}, no trailing slash). */
    public Endpoint(String base) {
      this.base = Objects.requireNonNull(base, "base");
    }

    /** The base URL. */
    public String base() {
      return base;
    }

    /** Whether the server answered that it has no {@code /v1/key/bulk/decrypt/} route. */
    public boolean noBulkDecrypt() {
      return noBulkDecrypt;
    }

    /** Records that the server has no bulk decryption route. */
    public void markNoBulkDecrypt() {
      noBulkDecrypt = true;
    }

    /** Whether the server answered a key listing with ndjson lines (KES ≤ 0.22). */
    public boolean legacyListing() {
      return legacyListing;
    }

    /** Records that the server lists keys as ndjson lines. */
    public void markLegacyListing() {
      legacyListing = true;
    }

    @Override
    public String toString() {
      return base;
    }
  }

  /**
   * A request.
   *
   * @param method the HTTP method
   * @param path the percent-encoded path, such as {@code /v1/key/create/my-key}
   * @param query the encoded query without {@code ?}; empty for none
   * @param body the JSON body, or null for none
   * @param idempotent whether the request may be repeated after it may have been sent
   */
  public record Request(String method, String path, String query, byte[] body, boolean idempotent) {
    /** Validates. */
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(query, "query");
    }

    /** A request without query. */
    public static Request of(String method, String path, byte[] body, boolean idempotent) {
      return new Request(method, path, "", body, idempotent);
    }
  }

  /**
   * A response.
   *
   * @param endpoint the endpoint that answered
   * @param status the HTTP status
   * @param contentType the Content-Type, or the empty string
   * @param body the body (empty for a successful stream)
   * @param lines the line stream for a successful streamed request, else null
   */
  public record Response(
      Endpoint endpoint, int status, String contentType, byte[] body, LineSubscriber lines) {
    /** Whether the status is 200. */
    public boolean ok() {
      return status == 200;
    }

    /** The exception for this (error) response. */
    public KesException error() {
      return Errors.toException(status, contentType, body);
    }
  }

  private enum Kind {
    NOT_SENT,
    TIMED_OUT,
    FAILED
  }

  private static final class AttemptFailed extends Exception {
    private static final long serialVersionUID = 1L;
    final Kind kind;
    final transient Endpoint endpoint;

    AttemptFailed(Kind kind, Endpoint endpoint, Throwable cause) {
      super(cause.toString(), cause, false, false);
      this.kind = kind;
      this.endpoint = endpoint;
    }
  }

  private final HttpClient http;
  private final List<Endpoint> endpoints;
  private final Duration timeout;
  private final int retries;
  private final String trustSource;
  private final AtomicInteger preferred = new AtomicInteger();

  /**
   * A transport.
   *
   * @param http the shared client
   * @param endpoints at least one endpoint
   * @param timeout the bound of each attempt
   * @param retries extra attempts for idempotent calls beyond one per endpoint
   * @param trustSource what the server certificate is checked against, for the error when it is not
   *     trusted (such as {@code the system roots} or a file name)
   */
  public Transport(
      HttpClient http,
      List<Endpoint> endpoints,
      Duration timeout,
      int retries,
      String trustSource) {
    this.trustSource = Objects.requireNonNull(trustSource, "trustSource");
    this.http = Objects.requireNonNull(http, "http");
    this.endpoints = List.copyOf(endpoints);
    if (this.endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoint");
    }
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.retries = retries;
  }

  /** The endpoints, in configured order. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** The endpoint the next call starts with. */
  public Endpoint preferred() {
    return endpoints.get(Math.floorMod(preferred.get(), endpoints.size()));
  }

  /**
   * Sends {@code request} and reads the whole response.
   *
   * @throws KesException 503 if no endpoint could be reached or the connection failed, 504 if the
   *     server did not answer in time
   */
  public Response send(Request request) {
    return loop(request);
  }

  /**
   * A streamed response that may still be on its way: Go KES sends a log stream's headers only with
   * its first event, so a quiet server answers nothing for as long as nothing happens.
   *
   * @param endpoint the endpoint the request went to
   * @param response completes with the response once its headers arrived (on 200 without reading
   *     the body: {@link Response#lines()} delivers it), or with the failure; cancelling it aborts
   *     the exchange
   */
  public record Pending(Endpoint endpoint, CompletableFuture<Response> response) {
    /** Validates. */
    public Pending {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(response, "response");
    }
  }

  /**
   * Sends {@code request} for a stream. Connecting (TCP and TLS) is bounded by the client's connect
   * timeout and fails over like {@link #send}; the headers are not: if they have not arrived within
   * the call timeout (and at least twice the connect timeout, by when a connection that cannot be
   * set up has failed), the still pending exchange is returned rather than failed. A response that
   * arrived in time is returned completed (error responses read whole).
   *
   * @throws KesException 503 if no endpoint could be reached
   */
  public Pending stream(Request request) {
    Duration connect = http.connectTimeout().orElse(timeout);
    long wait = Math.max(timeout.toNanos(), connect.multipliedBy(2).toNanos());
    int n = endpoints.size();
    int start = Math.floorMod(preferred.get(), n);
    AttemptFailed lastFailure = null;
    for (int attempt = 0; attempt < n; attempt++) {
      int index = (start + attempt) % n;
      Endpoint endpoint = endpoints.get(index);
      CompletableFuture<HttpResponse<Object>> future =
          http.sendAsync(build(endpoint, request, false), handler(true));
      try {
        future.get(wait, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return new Pending(endpoint, pending(endpoint, future)); // connected, but quiet
      } catch (InterruptedException e) {
        future.cancel(true);
        Thread.currentThread().interrupt();
        throw new KesException(503, "interrupted while waiting for KES server " + endpoint, e);
      } catch (CancellationException | ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        Kind kind = e instanceof CancellationException ? Kind.FAILED : classify(cause);
        lastFailure = new AttemptFailed(kind, endpoint, cause);
        if (kind != Kind.NOT_SENT) {
          throw toKes(lastFailure);
        }
        moveOn(index, n);
        continue;
      }
      Response r = response(endpoint, future.join());
      return new Pending(endpoint, CompletableFuture.completedFuture(r));
    }
    throw toKes(lastFailure);
  }

  private CompletableFuture<Response> pending(
      Endpoint endpoint, CompletableFuture<HttpResponse<Object>> future) {
    CompletableFuture<Response> out =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterrupt) {
            future.cancel(true); // aborts the exchange and closes its connection
            return super.cancel(mayInterrupt);
          }
        };
    future.whenComplete(
        (r, e) -> {
          if (e == null) {
            Response response = response(endpoint, r);
            if (!out.complete(response) && response.lines() != null) {
              response.lines().close(); // cancelled meanwhile: drop the connection
            }
          } else {
            Throwable cause =
                e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            out.completeExceptionally(toKes(new AttemptFailed(classify(cause), endpoint, cause)));
          }
        });
    return out;
  }

  private Response loop(Request request) {
    int n = endpoints.size();
    int budget = request.idempotent() ? n + Math.max(0, retries) : n;
    int start = Math.floorMod(preferred.get(), n);
    Response lastResponse = null;
    AttemptFailed lastFailure = null;
    for (int attempt = 0; attempt < budget; attempt++) {
      if (attempt >= n) {
        backoff(attempt - n);
      }
      int index = (start + attempt) % n;
      Endpoint endpoint = endpoints.get(index);
      try {
        Response r = exchange(endpoint, request);
        if (request.idempotent() && retryable(r.status()) && attempt + 1 < budget) {
          lastResponse = r;
          lastFailure = null;
          moveOn(index, n);
          continue;
        }
        return r;
      } catch (AttemptFailed f) {
        if (f.kind != Kind.NOT_SENT && !request.idempotent()) {
          throw toKes(f);
        }
        lastFailure = f;
        lastResponse = null;
        moveOn(index, n);
      }
    }
    if (lastResponse != null) {
      return lastResponse;
    }
    throw toKes(lastFailure);
  }

  private static boolean retryable(int status) {
    return status == 502 || status == 503 || status == 504;
  }

  private void moveOn(int failed, int n) {
    preferred.compareAndSet(failed, (failed + 1) % n);
  }

  private static void backoff(int round) {
    long millis = Math.min(MAX_BACKOFF_MILLIS, 50L << Math.min(round, 10));
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KesException(503, "interrupted while waiting to retry", e);
    }
  }

  private KesException toKes(AttemptFailed f) {
    Throwable cause = f.getCause();
    switch (f.kind) {
      case NOT_SENT:
        if (untrusted(cause)) {
          // never the JDK's PKIX trace: what to do instead
          return new KesException(
              503,
              "cannot connect to KES server "
                  + f.endpoint
                  + ": its certificate is not issued by a CA this client trusts ("
                  + trustSource
                  + "): "
                  + Env.UNTRUSTED_HINT);
        }
        return new KesException(
            503, "cannot connect to KES server " + f.endpoint + ": " + describe(cause), cause);
      case TIMED_OUT:
        return new KesException(
            504, "KES server " + f.endpoint + " did not answer within " + timeout, cause);
      default:
        return new KesException(
            503, "request to KES server " + f.endpoint + " failed: " + describe(cause), cause);
    }
  }

  private static boolean untrusted(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.security.cert.CertPathBuilderException
          || c instanceof java.security.cert.CertPathValidatorException
          || (c.getMessage() != null && c.getMessage().startsWith("PKIX path"))) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c && c.getMessage() == null) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  private HttpRequest build(Endpoint endpoint, Request request, boolean bounded) {
    String uri =
        endpoint.base() + request.path() + (request.query().isEmpty() ? "" : "?" + request.query());
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri));
    if (bounded) {
      b.timeout(timeout);
    }
    if (request.body() != null) {
      b.header("Content-Type", "application/json");
      b.method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
    } else {
      b.method(request.method(), HttpRequest.BodyPublishers.noBody());
    }
    return b.build();
  }

  private static HttpResponse.BodyHandler<Object> handler(boolean stream) {
    return info -> {
      if (stream && info.statusCode() == 200) {
        return HttpResponse.BodySubscribers.mapping(new LineSubscriber(), x -> x);
      }
      return HttpResponse.BodySubscribers.mapping(
          HttpResponse.BodySubscribers.ofByteArray(), x -> x);
    };
  }

  private static Response response(Endpoint endpoint, HttpResponse<Object> response) {
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    Object body = response.body();
    if (body instanceof LineSubscriber) {
      return new Response(
          endpoint, response.statusCode(), contentType, new byte[0], (LineSubscriber) body);
    }
    return new Response(endpoint, response.statusCode(), contentType, (byte[]) body, null);
  }

  private Response exchange(Endpoint endpoint, Request request) throws AttemptFailed {
    CompletableFuture<HttpResponse<Object>> future =
        http.sendAsync(build(endpoint, request, true), handler(false));
    HttpResponse<Object> response;
    try {
      response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new AttemptFailed(Kind.TIMED_OUT, endpoint, new HttpTimeoutException("timed out"));
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new KesException(503, "interrupted while waiting for KES server " + endpoint, e);
    } catch (CancellationException e) {
      throw new AttemptFailed(Kind.FAILED, endpoint, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new AttemptFailed(classify(cause), endpoint, cause);
    }
    return response(endpoint, response);
  }

  private static Kind classify(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof HttpConnectTimeoutException
          || c instanceof ConnectException
          || c instanceof NoRouteToHostException
          || c instanceof UnknownHostException
          || c instanceof UnresolvedAddressException
          || c instanceof SSLHandshakeException) {
        return Kind.NOT_SENT; // the request cannot have reached the server's handler
      }
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof HttpTimeoutException) {
        return Kind.TIMED_OUT;
      }
    }
    return Kind.FAILED; // I/O failure after the request may have been sent
  }
}
