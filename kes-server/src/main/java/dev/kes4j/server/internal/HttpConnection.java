package dev.kes4j.server.internal;

import dev.kes4j.http.ApiRequest;
import dev.kes4j.http.ApiResponse;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.http.internal.RefusalLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLPeerUnverifiedException;

// Over 600 lines: one connection's state machine (reading, limits, ordering of pipelined answers,
// protocol errors, streams, timeouts), all confined to one event loop; splitting it would spread
// that state across classes.
/**
 * One HTTP/1.1 connection of the Netty front: collects a request (body capped at the route's limit
 * + 1 byte so the API sees an oversized body), hands it to {@link KesHttpApi} on a worker thread,
 * writes the response on the event loop, and runs streamed responses on their own thread. Requests
 * of one connection are answered in order (pipelining-safe). All state is confined to the channel's
 * event loop except the hand-offs, which re-enter it.
 */
public final class HttpConnection extends ChannelInboundHandlerAdapter {
  private static final X509Certificate[] NO_CERTS = new X509Certificate[0];
  private static final String TIMEOUT = "request timeout";

  /** How long a request on a route without timeout (or an unknown path) may take to arrive. */
  private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);

  /** Idle keep-alive connections (no request in flight, no stream) close after this (spec §1.1). */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(AlpnFront.IDLE_SECONDS);

  /** How long a connection is drained after a response that did not read the whole request. */
  private static final Duration LINGER = Duration.ofSeconds(2);

  /** What every connection shares. */
  public record Shared(
      KesHttpApi api,
      ExecutorService workers,
      ExecutorService streams,
      InFlight inFlight,
      Runnable onHandshakeFailure) {}

  /** Counts requests being processed, for graceful shutdown. Thread-safe. */
  public static final class InFlight {
    private int count;

    synchronized void inc() {
      count++;
    }

    synchronized void dec() {
      if (--count == 0) {
        notifyAll();
      }
    }

    /** Waits until no request is in flight or the timeout passes; true if drained. */
    public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (count > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }
  }

  private final Shared shared;
  private X509Certificate[] peerChain;
  private String remoteAddress = "";
  private HeaderDeadline headerDeadline; // null in tests that build a pipeline without one
  private Deadline idle;

  // the request being read
  private HttpRequest head;
  private String path;
  private String rawQuery;
  private KesHttpApi.Route route;
  private ByteBuf body;
  private long bodyLimit;
  private long received;
  // after a protocol error, or once a request was dispatched before its body ended: the rest of
  // the input is dropped and the connection closes after the pending responses
  private boolean discarding;
  private boolean inputEnded; // while discarding: the unread request's body has ended
  private boolean closeAfterResponse; // the final response is written; close once input ends
  // hardening: a request (body included) must arrive within its route's timeout (slow-loris bodies)
  private Deadline readTimeout;

  // requests read but not yet answered, in order
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean busy;
  private boolean streaming;

  /** A handler for a new connection. */
  public HttpConnection(Shared shared) {
    this.shared = shared;
  }

  private static final class Pending {
    final ApiRequest request; // null when the front answers itself
    final KesHttpApi.Route route;
    final ApiResponse fixed; // the front's own answer (a protocol error), or null
    final boolean keepAlive;
    final boolean http10;
    final AtomicBoolean done = new AtomicBoolean();
    ScheduledFuture<?> timeout;

    Pending(
        ApiRequest request,
        KesHttpApi.Route route,
        ApiResponse fixed,
        boolean keepAlive,
        boolean http10) {
      this.request = request;
      this.route = route;
      this.fixed = fixed;
      this.keepAlive = keepAlive;
      this.http10 = http10;
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // added by AlpnFront once the TLS handshake has succeeded: the peer is known
    remoteAddress = AlpnFront.address(ctx);
    peerChain = peerChain(ctx);
    headerDeadline = ctx.pipeline().get(HeaderDeadline.class);
    readTimeout = new Deadline(ctx.executor(), () -> readTimedOut(ctx));
    idle =
        new Deadline(
            ctx.executor(),
            () -> {
              // spec §1.1: idle keep-alive connections close after 90 s; a request whose first
              // bytes have arrived is the header deadline's to end
              if (!busy
                  && !streaming
                  && head == null
                  && (headerDeadline == null || !headerDeadline.headPending())) {
                ctx.close();
              }
            });
    idle.arm(IDLE_NANOS);
  }

  static X509Certificate[] peerChain(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return null;
    }
    try {
      Certificate[] certs = ssl.engine().getSession().getPeerCertificates();
      X509Certificate[] out = new X509Certificate[certs.length];
      for (int i = 0; i < certs.length; i++) {
        out[i] = (X509Certificate) certs[i];
      }
      return out;
    } catch (SSLPeerUnverifiedException e) {
      return NO_CERTS;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (discarding) {
        if (msg instanceof LastHttpContent) {
          inputEnded = true; // the body we did not read has arrived: nothing left to drop
          if (closeAfterResponse) {
            ctx.close();
          }
        }
        return;
      }
      if (msg instanceof HttpRequest req) {
        startRequest(ctx, req);
      }
      if (msg instanceof HttpContent content && head != null) {
        if (content.decoderResult().isFailure()) {
          // bad chunk framing: the body cannot be delimited, the connection is unusable
          protocolError(ctx, 400, "malformed chunked encoding", content.decoderResult().cause());
          return;
        }
        appendContent(content.content());
        if (msg instanceof LastHttpContent) {
          finishRequest(ctx, false);
        } else if (received > bodyLimit) {
          finishRequest(ctx, true); // over the limit: answer now, drop the rest
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void startRequest(ChannelHandlerContext ctx, HttpRequest req) {
    idle.disarm();
    if (headerDeadline != null) {
      headerDeadline.headReceived();
    }
    DecoderResult dr = req.decoderResult();
    if (dr.isFailure()) {
      Throwable cause = dr.cause();
      if (cause instanceof TooLongHttpHeaderException
          || cause instanceof TooLongHttpLineException) {
        protocolError(ctx, 431, "request header fields too large", cause);
      } else {
        protocolError(ctx, 400, "malformed HTTP request", cause);
      }
      return;
    }
    HttpVersion v = req.protocolVersion();
    if (!v.protocolName().equals("HTTP") || v.majorVersion() != 1 || v.minorVersion() > 1) {
      protocolError(ctx, 505, "unsupported protocol version " + v.text(), null);
      return;
    }
    boolean http10 = v.minorVersion() == 0;
    if (!http10 && !req.headers().contains(HttpHeaderNames.HOST)) {
      protocolError(ctx, 400, "missing required Host header", null); // as Go's server
      return;
    }
    String uri = req.uri();
    int q = uri.indexOf('?');
    String rawPath = q < 0 ? uri : uri.substring(0, q);
    String badEscape = badEscape(rawPath);
    if (badEscape != null) {
      protocolError(ctx, 400, "invalid URL escape \"" + badEscape + "\"", null); // Go's text
      return;
    }
    head = req;
    path = new QueryStringDecoder(uri).path(); // escapes checked above; a '+' stays a '+'
    rawQuery = q < 0 ? "" : uri.substring(q + 1);
    route = shared.api().route(path).orElse(null);
    bodyLimit = route == null ? 0 : route.maxBody();
    received = 0;
    body = null;
    long declared = HttpUtil.getContentLength(req, -1L);
    String expect = req.headers().get(HttpHeaderNames.EXPECT);
    if (expect != null && !http10) {
      if (!expect.equalsIgnoreCase("100-continue")) {
        head = null;
        protocolError(ctx, 417, "unsupported Expect header", null);
        return;
      }
      if (declared <= bodyLimit) {
        // only a body this route will read is asked for
        ctx.writeAndFlush(Http1Wire.continueResponse());
      }
    }
    if (declared > bodyLimit) {
      finishRequest(ctx, true); // the declared length is over the limit: answer now
      return;
    }
    Duration limit =
        route == null || route.timeout().isZero() ? DEFAULT_READ_TIMEOUT : route.timeout();
    readTimeout.arm(limit.toNanos());
  }

  /**
   * The first malformed percent escape of {@code rawPath} as Go's {@code url.EscapeError} reports
   * it ({@code %zz}, {@code %4}, {@code %}), or null if every escape is valid.
   */
  static String badEscape(String rawPath) {
    for (int i = rawPath.indexOf('%'); i >= 0; i = rawPath.indexOf('%', i + 1)) {
      if (i + 2 >= rawPath.length() || !hex(rawPath.charAt(i + 1)) || !hex(rawPath.charAt(i + 2))) {
        return rawPath.substring(i, Math.min(i + 3, rawPath.length()));
      }
      i += 2;
    }
    return null;
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * Answers a request the front cannot hand to the API (malformed, unsupported) with a KES error
   * body, in order after any pending response, then closes the connection and drops further input.
   */
  private void protocolError(ChannelHandlerContext ctx, int status, String message, Throwable t) {
    head = null;
    discarding = true;
    inputEnded = true; // what the client sent is read already (a client still sending gets reset)
    cancelReadTimeout();
    if (body != null) {
      body.release();
      body = null;
    }
    logProtocolRefusal(shared, remoteAddress, status, message, t);
    queue.add(new Pending(null, null, ApiResponse.error(status, message), false, false));
    if (!busy) {
      next(ctx);
    }
  }

  /** One rate-limited error-log line for a request the front answered itself. */
  static void logProtocolRefusal(
      Shared shared, String remoteAddress, int status, String message, Throwable t) {
    shared
        .api()
        .logRefusal(
            "http-" + status + ":" + remoteAddress,
            "refused client "
                + RefusalLog.clean(remoteAddress)
                + ": "
                + status
                + " "
                + message
                + (t == null || t.getMessage() == null
                    ? ""
                    : " (" + RefusalLog.clean(t.getMessage()) + ")"));
  }

  /**
   * The request did not arrive completely within its route's timeout (a slow-loris body): answer
   * 408 (the client was too slow; if no earlier response is pending) and close the connection.
   */
  private void readTimedOut(ChannelHandlerContext ctx) {
    HttpRequest req = head;
    if (req == null) {
      return; // read completely in the meantime
    }
    head = null;
    if (body != null) {
      body.release();
      body = null;
    }
    shared
        .api()
        .logError("http: reading " + req.method().name() + " request body timed out; closing");
    if (busy || !queue.isEmpty()) {
      ctx.close(); // an earlier response is still pending: it must not be overtaken
      return;
    }
    // the front's own answer, written like every other (Connection: close, then close); the rest
    // of the body is dropped
    discarding = true;
    inputEnded = true;
    queue.add(new Pending(null, null, ApiResponse.error(408, TIMEOUT), false, false));
    next(ctx);
  }

  private void appendContent(ByteBuf content) {
    int n = content.readableBytes();
    if (n == 0) {
      return;
    }
    received += n;
    // keep at most limit + 1 bytes: enough for the API to see that the body is too large
    long room = bodyLimit + 1 - (body == null ? 0 : body.readableBytes());
    if (room <= 0) {
      return;
    }
    int take = (int) Math.min(room, n);
    if (body == null) {
      body = Unpooled.buffer(Math.min(take, 16 * 1024));
    }
    body.writeBytes(content, content.readerIndex(), take);
  }

  /**
   * Hands the request read so far to the API. {@code early}: its body did not end (the declared or
   * received length is over the route's limit, so the API answers the limit error at once); the
   * rest of the input is dropped and the connection closes after the response.
   */
  private void finishRequest(ChannelHandlerContext ctx, boolean early) {
    HttpRequest req = head;
    head = null;
    cancelReadTimeout();
    if (early) {
      discarding = true;
    } else if (headerDeadline != null) {
      headerDeadline.requestReceived();
    }
    ApiRequest.Builder b = ApiRequest.builder(req.method().name(), path).query(rawQuery);
    if (peerChain != null) {
      b.peerCertificates(peerChain);
    }
    HttpHeaders h = req.headers();
    for (Map.Entry<String, String> e : h) {
      b.header(e.getKey(), e.getValue());
    }
    long declared;
    if (HttpUtil.isTransferEncodingChunked(req)) {
      declared = -1;
    } else {
      declared = HttpUtil.getContentLength(req, received);
    }
    byte[] bytes = new byte[0];
    if (body != null) {
      bytes = new byte[body.readableBytes()];
      body.readBytes(bytes);
      body.release();
      body = null;
    }
    b.body(new java.io.ByteArrayInputStream(bytes), declared);
    b.remoteAddress(remoteAddress);
    boolean http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
    Pending p = new Pending(b.build(), route, null, !early && HttpUtil.isKeepAlive(req), http10);
    queue.add(p);
    if (!busy) {
      next(ctx);
    }
  }

  private void cancelReadTimeout() {
    readTimeout.disarm();
  }

  private void next(ChannelHandlerContext ctx) {
    Pending p = queue.poll();
    if (p == null) {
      busy = false;
      if (!streaming) {
        idle.arm(IDLE_NANOS);
      }
      return;
    }
    busy = true;
    shared.inFlight().inc();
    if (p.fixed != null || !shared.api().mayBlock(p.request)) {
      // answered from memory (e.g. generate on a cached key): no timer, no hop to a worker and back
      process(ctx, p);
      return;
    }
    Duration timeout = p.route == null ? Duration.ZERO : p.route.timeout();
    if (!timeout.isZero() && !p.route.streams()) {
      p.timeout =
          ctx.executor()
              .schedule(
                  () -> {
                    if (p.done.compareAndSet(false, true)) {
                      shared
                          .api()
                          .logError(
                              "http: "
                                  + p.request.method()
                                  + " "
                                  + p.request.path()
                                  + " timed out");
                      writeFull(ctx, p, ApiResponse.error(503, TIMEOUT));
                    }
                  },
                  timeout.toNanos(),
                  TimeUnit.NANOSECONDS);
    }
    try {
      shared.workers().execute(() -> process(ctx, p));
    } catch (RejectedExecutionException e) {
      if (p.done.compareAndSet(false, true)) {
        cancelTimeout(p);
        writeFull(ctx, p, ApiResponse.error(503, "server is shutting down"));
      }
    }
  }

  private void process(ChannelHandlerContext ctx, Pending p) {
    ApiResponse r;
    try {
      r = p.fixed != null ? p.fixed : shared.api().handle(p.request);
    } catch (RuntimeException e) { // handle() never throws; belt and braces
      r = ApiResponse.error(500, "internal server error");
    }
    ApiResponse response = r;
    if (ctx.executor().inEventLoop()) {
      complete(ctx, p, response);
    } else {
      ctx.executor().execute(() -> complete(ctx, p, response));
    }
  }

  private void complete(ChannelHandlerContext ctx, Pending p, ApiResponse response) {
    if (!p.done.compareAndSet(false, true)) {
      return; // timed out: the 503 was sent already
    }
    cancelTimeout(p);
    if (response.stream().isPresent()) {
      startStream(ctx, p, response);
    } else {
      writeFull(ctx, p, response);
    }
  }

  private static void cancelTimeout(Pending p) {
    if (p.timeout != null) {
      p.timeout.cancel(false);
    }
  }

  private void writeFull(ChannelHandlerContext ctx, Pending p, ApiResponse response) {
    boolean keepAlive = p.keepAlive && ctx.channel().isActive();
    String connection = !keepAlive ? "close" : p.http10 ? "keep-alive" : null;
    boolean bodiless = p.request != null && p.request.method().equals("HEAD");
    ChannelFuture f =
        ctx.writeAndFlush(
            Http1Wire.response(
                response.status(), response.headers(), response.bodyView(), connection, bodiless));
    shared.inFlight().dec();
    if (!keepAlive) {
      if (discarding && !inputEnded) {
        // the client may still be sending the body we did not read: closing now would reset the
        // connection and could destroy the response before the client reads it; read and drop
        // the rest until it ends, for a short while at most (as Go's server lingers)
        f.addListener(
            done -> {
              closeAfterResponse = true;
              ctx.executor().schedule(() -> ctx.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS);
            });
      } else {
        f.addListener(ChannelFutureListener.CLOSE);
      }
      queue.clear();
      busy = false;
      return;
    }
    next(ctx);
  }

  private void startStream(ChannelHandlerContext ctx, Pending p, ApiResponse response) {
    ctx.writeAndFlush(Http1Wire.streamHead(response.headers()));
    streaming = true;
    shared.inFlight().dec(); // a stream does not hold up shutdown
    ApiResponse.EventStream stream = response.stream().orElseThrow();
    ApiResponse.EventSink sink =
        new ApiResponse.EventSink() {
          @Override
          public void send(byte[] chunk) throws IOException {
            if (!ctx.channel().isActive()) {
              throw new IOException("client went away");
            }
            if (chunk.length > 0) { // an empty chunk would end the body
              EventStreams.awaitSent(ctx.writeAndFlush(Http1Wire.chunk(chunk)));
            }
          }

          @Override
          public boolean isOpen() {
            return ctx.channel().isActive();
          }
        };
    EventStreams.run(
        shared.streams(),
        stream,
        sink,
        () -> {
          if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Http1Wire.lastChunk()).addListener(ChannelFutureListener.CLOSE);
          }
        },
        ctx::close);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    readTimeout.cancel();
    idle.cancel();
    if (body != null) {
      body.release();
      body = null;
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
