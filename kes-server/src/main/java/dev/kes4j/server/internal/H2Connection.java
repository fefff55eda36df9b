package dev.kes4j.server.internal;

import dev.kes4j.http.ApiRequest;
import dev.kes4j.http.ApiResponse;
import dev.kes4j.http.KesHttpApi;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

// Over 600 lines: one HTTP/2 connection's whole request life cycle (headers, body limits,
// dispatch, answers, streams, resets and timeouts), the h2 twin of HttpConnection.
/**
 * One HTTP/2 connection of the Netty front (negotiated over ALPN by {@link AlpnFront}): Netty's
 * {@link Http2ConnectionHandler} with this class as its frame listener, so every stream is handled
 * on the connection's event loop without a channel or pipeline of its own (lighter than Netty's
 * child-channel multiplexer, see docs/performance.md). Each stream is one request, treated as
 * {@link HttpConnection} treats an HTTP/1.1 request: the body is kept up to the route's limit + 1
 * byte so the API sees an oversized body (a declared length over the limit is answered at once, and
 * the rest of that stream refused with {@code RST_STREAM(NO_ERROR)}); the request must arrive
 * within its route's timeout (else 408 on that stream); a request that may block runs on a worker
 * (503 when the route's timeout passes), one answered from memory runs inline; a streamed response
 * (log streams) runs on a thread of its own. Streams are independent: they are answered as they
 * finish.
 *
 * <p>Limits: header lists up to {@value #MAX_HEADER_LIST} bytes (HTTP/1.1's request line plus
 * header limits; larger ones get 431 with a KES error body on that stream), {@value #MAX_STREAMS}
 * concurrent streams (as Go), at most {@value #MAX_BUFFERED} bytes of request bodies held per
 * connection (beyond it flow control makes the client wait). The read-header deadline of {@link
 * HeaderDeadline} covers the client preface and the first request's headers; afterwards the
 * per-stream read timeout and the idle timeout (90 s without open streams: GOAWAY) apply.
 *
 * <p>All state is confined to the channel's event loop except the hand-offs, which re-enter it.
 */
public final class H2Connection extends Http2ConnectionHandler {
  /** Header list limit: the 8 KiB request line and 16 KiB of headers of HTTP/1.1. */
  static final int MAX_HEADER_LIST = AlpnFront.MAX_INITIAL_LINE + AlpnFront.MAX_HEADER_SIZE;

  /** Concurrent streams a client may open (Go's http2 server default). */
  static final int MAX_STREAMS = 250;

  /** Request body bytes held per connection before flow control stops the client. */
  static final int MAX_BUFFERED = 4 << 20;

  /** The receive window per stream and per connection (as Go's server: 1 MiB). */
  private static final int WINDOW = 1 << 20;

  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(AlpnFront.IDLE_SECONDS);
  private static final String TIMEOUT = "request timeout";
  private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);

  /** How long the rest of a body is dropped after an early answer before the stream is reset. */
  private static final Duration LINGER = Duration.ofSeconds(2);

  private final HttpConnection.Shared shared;
  private final Http2Connection.PropertyKey key;
  private X509Certificate[] peerChain;
  private String remoteAddress = "";
  private boolean firstHeaders = true;
  private long buffered; // body bytes held by streams not yet dispatched
  private int streaming; // log streams running
  private boolean reading; // inside channelRead: channelReadComplete flushes what was written
  private Deadline idle; // armed while no stream is open

  /** A new connection's handler. */
  static H2Connection create(HttpConnection.Shared shared) {
    Http2Settings settings =
        new Http2Settings()
            .maxConcurrentStreams(MAX_STREAMS)
            .maxHeaderListSize(MAX_HEADER_LIST)
            .initialWindowSize(WINDOW);
    return new Builder(shared, settings).build();
  }

  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<H2Connection, Builder> {
    private final HttpConnection.Shared shared;

    Builder(HttpConnection.Shared shared, Http2Settings settings) {
      this.shared = shared;
      // a server connection whose answers are shared out by the uniform distributor: streams
      // here carry one small answer each, which Netty's default weighted-fair queue (priority
      // trees, a heap per stream) spent a seventh of an h2 request's time on (docs/performance.md)
      Http2Connection connection = new DefaultHttp2Connection(true);
      connection
          .remote()
          .flowController(
              new DefaultHttp2RemoteFlowController(
                  connection, new UniformStreamByteDistributor(connection)));
      connection(connection);
      // the builder sizes the header decoder and the stream limit from these at once, so they
      // hold from the first frame (clients send their first request right after the preface)
      initialSettings(settings);
      // close() sends GOAWAY and waits this long for open streams (in-flight requests have been
      // drained by KesServer.close() before connections are closed)
      gracefulShutdownTimeoutMillis(1000);
    }

    @Override
    protected H2Connection build() {
      return super.build();
    }

    @Override
    protected H2Connection build(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      return new H2Connection(decoder, encoder, settings, shared);
    }
  }

  private H2Connection(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      HttpConnection.Shared shared) {
    super(decoder, encoder, settings);
    this.shared = shared;
    this.key = connection().newKey();
    decoder.frameListener(new Frames());
    connection()
        .addListener(
            new Http2ConnectionAdapter() {
              @Override
              public void onStreamActive(Http2Stream stream) {
                if (idle != null) {
                  idle.disarm();
                }
              }

              @Override
              public void onStreamClosed(Http2Stream stream) {
                Req r = stream.getProperty(key);
                if (r != null) {
                  r.closed = true;
                  r.cancelReadTimeout();
                  releaseBody(r);
                }
                if (idle != null && connection().numActiveStreams() == 0) {
                  idle.arm(IDLE_NANOS);
                }
              }
            });
  }

  /** One stream's request. Event-loop confined except {@link #closed} and {@link #done}. */
  private static final class Req {
    final int id;
    final ChannelHandlerContext ctx;
    Http2Headers headers;
    String method;
    String path;
    String rawQuery;
    KesHttpApi.Route route;
    long limit;
    long received;
    int unconsumed; // DATA bytes not yet returned to flow control
    ByteBuf body;
    ScheduledFuture<?> readTimeout;
    boolean dispatched;
    boolean inputEnded;
    volatile boolean closed;
    final AtomicBoolean done = new AtomicBoolean();
    ScheduledFuture<?> timeout;

    Req(int id, ChannelHandlerContext ctx) {
      this.id = id;
      this.ctx = ctx;
    }

    void cancelReadTimeout() {
      if (readTimeout != null) {
        readTimeout.cancel(false);
        readTimeout = null;
      }
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    // added by AlpnFront once the TLS handshake has succeeded
    remoteAddress = AlpnFront.address(ctx);
    peerChain = HttpConnection.peerChain(ctx);
    // spec §1.1: a connection without open streams for 90 s is closed (GOAWAY), as Go's h2 server
    // does (its idle timer also starts when the last stream closes and ignores PINGs)
    idle =
        new Deadline(
            ctx.executor(),
            () -> {
              if (connection().numActiveStreams() == 0) {
                ctx.close();
              }
            });
    idle.arm(IDLE_NANOS);
    super.handlerAdded(ctx); // sends our SETTINGS
    connection()
        .local()
        .flowController()
        .incrementWindowSize(connection().connectionStream(), WINDOW - 65_535);
    flush(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    reading = true; // answers given inline are flushed together by channelReadComplete
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    reading = false;
    super.channelReadComplete(ctx); // flushes
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (idle != null) {
      idle.cancel();
    }
    super.channelInactive(ctx);
  }

  /** Answers 431 with a KES error body when a header list is over {@link #MAX_HEADER_LIST}. */
  @Override
  protected void handleServerHeaderDecodeSizeError(ChannelHandlerContext ctx, Http2Stream stream) {
    HttpConnection.logProtocolRefusal(
        shared, remoteAddress, 431, "request header fields too large", null);
    writeResponse(ctx, stream.id(), ApiResponse.error(431, "request header fields too large"));
    // Netty resets the stream next; what was queued must be on its way first
    writePending();
  }

  private final class Frames extends Http2EventAdapter {
    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream) {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream) {
      Http2Stream stream = connection().stream(streamId);
      if (stream == null) {
        return;
      }
      Req existing = stream.getProperty(key);
      if (existing != null) {
        // trailers: they end the request; their fields are not used (as HTTP/1.1 trailers)
        if (endOfStream && !existing.dispatched) {
          existing.inputEnded = true;
          dispatch(existing);
        }
        return;
      }
      if (firstHeaders) {
        firstHeaders = false;
        HeaderDeadline d = ctx.pipeline().get(HeaderDeadline.class);
        if (d != null) {
          d.headReceived(); // the deadline covered the preface and the first request's headers
          ctx.pipeline().remove(d);
        }
      }
      Req r = new Req(streamId, ctx);
      stream.setProperty(key, r);
      startRequest(r, headers, endOfStream);
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      int n = data.readableBytes() + padding;
      Http2Stream stream = connection().stream(streamId);
      Req r = stream == null ? null : stream.getProperty(key);
      if (r == null || r.dispatched) {
        return n; // answered already (a body over the limit): dropped
      }
      appendContent(r, data);
      if (endOfStream) {
        r.inputEnded = true;
        dispatch(r);
      } else if (r.received > r.limit) {
        dispatch(r); // over the limit: answer now, refuse the rest
      }
      if (buffered <= MAX_BUFFERED) {
        return n;
      }
      // beyond the connection's budget: the client waits for a window until a request is handed
      // on (or its stream closes, which returns the credit)
      if (r.dispatched) {
        return n;
      }
      r.unconsumed += n;
      return 0;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      Http2Stream stream = connection().stream(streamId);
      Req r = stream == null ? null : stream.getProperty(key);
      if (r != null) {
        r.closed = true; // the client cancelled: a running stream notices through isOpen()
      }
    }
  }

  private void startRequest(Req r, Http2Headers h, boolean endOfStream) {
    CharSequence method = h.method();
    CharSequence pathAndQuery = h.path();
    if (method == null || pathAndQuery == null) {
      refuse(r, 400, "malformed HTTP request", endOfStream);
      return;
    }
    String uri = pathAndQuery.toString();
    int q = uri.indexOf('?');
    String rawPath = q < 0 ? uri : uri.substring(0, q);
    String badEscape = HttpConnection.badEscape(rawPath);
    if (badEscape != null) {
      refuse(r, 400, "invalid URL escape \"" + badEscape + "\"", endOfStream);
      return;
    }
    r.headers = h;
    r.method = method.toString();
    r.path = new QueryStringDecoder(uri).path();
    r.rawQuery = q < 0 ? "" : uri.substring(q + 1);
    r.route = shared.api().route(r.path).orElse(null);
    r.limit = r.route == null ? 0 : r.route.maxBody();
    r.inputEnded = endOfStream;
    long declared = contentLength(h);
    CharSequence expect = h.get("expect");
    if (expect != null && !endOfStream) {
      if (!"100-continue".equalsIgnoreCase(expect.toString())) {
        refuse(r, 417, "unsupported Expect header", endOfStream);
        return;
      }
      if (declared <= r.limit) {
        encoder()
            .writeHeaders(
                r.ctx, r.id, new DefaultHttp2Headers().status("100"), 0, false, r.ctx.newPromise());
        flush(r.ctx);
      }
    }
    if (endOfStream || declared > r.limit) {
      dispatch(r); // complete, or declared over the limit: answer now
      return;
    }
    Duration limit =
        r.route == null || r.route.timeout().isZero() ? DEFAULT_READ_TIMEOUT : r.route.timeout();
    r.readTimeout =
        r.ctx.executor().schedule(() -> readTimedOut(r), limit.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static long contentLength(Http2Headers h) {
    CharSequence cl = h.get("content-length");
    if (cl == null) {
      return -1;
    }
    try {
      return Long.parseLong(cl.toString().trim());
    } catch (NumberFormatException e) {
      return -1; // Netty rejects a malformed content-length before we see it
    }
  }

  /** The front's own answer (malformed request): a KES error body on this stream only. */
  private void refuse(Req r, int status, String message, boolean endOfStream) {
    r.dispatched = true;
    r.inputEnded = endOfStream;
    HttpConnection.logProtocolRefusal(shared, remoteAddress, status, message, null);
    answer(r, ApiResponse.error(status, message));
  }

  /** The request did not arrive within its route's timeout: 408 on its stream. */
  private void readTimedOut(Req r) {
    r.readTimeout = null;
    if (r.dispatched || r.closed) {
      return;
    }
    r.dispatched = true;
    releaseBody(r);
    shared.api().logError("http: reading " + r.method + " request body timed out; closing");
    answer(r, ApiResponse.error(408, TIMEOUT), true);
  }

  private void appendContent(Req r, ByteBuf content) {
    int n = content.readableBytes();
    if (n == 0) {
      return;
    }
    r.received += n;
    long room = r.limit + 1 - (r.body == null ? 0 : r.body.readableBytes());
    if (room <= 0) {
      return;
    }
    int take = (int) Math.min(room, n);
    if (r.body == null) {
      r.body = Unpooled.buffer(Math.min(take, 16 * 1024));
    }
    r.body.writeBytes(content, content.readerIndex(), take);
    buffered += take;
  }

  /** Returns the flow-control credit a stream held back while over the connection's budget. */
  private void returnCredit(Req r) {
    Http2Stream s = connection().stream(r.id);
    if (r.unconsumed > 0 && s != null) {
      try {
        decoder().flowController().consumeBytes(s, r.unconsumed);
      } catch (Http2Exception e) {
        // the stream is gone: its credit went back with it
      }
      r.unconsumed = 0;
    }
  }

  private void releaseBody(Req r) {
    if (r.body != null) {
      buffered -= r.body.readableBytes();
      r.body.release();
      r.body = null;
    }
  }

  /** Hands the request read so far to the API (the whole of it, or — over the limit — a part). */
  private void dispatch(Req r) {
    r.dispatched = true;
    r.cancelReadTimeout();
    ApiRequest.Builder b = ApiRequest.builder(r.method, r.path).query(r.rawQuery);
    if (peerChain != null) {
      b.peerCertificates(peerChain);
    }
    for (Map.Entry<CharSequence, CharSequence> e : r.headers) {
      CharSequence name = e.getKey();
      if (name.length() > 0 && name.charAt(0) == ':') {
        if (Http2Headers.PseudoHeaderName.AUTHORITY.value().contentEquals(name)) {
          b.header("host", e.getValue().toString());
        }
        continue;
      }
      b.header(name.toString(), e.getValue().toString());
    }
    long declared = contentLength(r.headers);
    if (declared < 0) {
      declared = r.inputEnded ? r.received : -1;
    }
    byte[] bytes = new byte[0];
    if (r.body != null) {
      bytes = new byte[r.body.readableBytes()];
      r.body.getBytes(r.body.readerIndex(), bytes);
      releaseBody(r);
    }
    b.body(new ByteArrayInputStream(bytes), declared);
    b.remoteAddress(remoteAddress);
    returnCredit(r);
    ApiRequest request = b.build();
    shared.inFlight().inc();
    if (!shared.api().mayBlock(request)) {
      process(r, request); // answered from memory: no timer, no hop to a worker and back
      return;
    }
    Duration timeout = r.route == null ? Duration.ZERO : r.route.timeout();
    if (!timeout.isZero() && !r.route.streams()) {
      r.timeout =
          r.ctx
              .executor()
              .schedule(
                  () -> {
                    if (r.done.compareAndSet(false, true)) {
                      shared.inFlight().dec();
                      shared.api().logError("http: " + r.method + " " + r.path + " timed out");
                      answer(r, ApiResponse.error(503, TIMEOUT));
                    }
                  },
                  timeout.toNanos(),
                  TimeUnit.NANOSECONDS);
    }
    try {
      shared.workers().execute(() -> process(r, request));
    } catch (RejectedExecutionException e) {
      if (r.done.compareAndSet(false, true)) {
        shared.inFlight().dec();
        cancelTimeout(r);
        answer(r, ApiResponse.error(503, "server is shutting down"));
      }
    }
  }

  private void process(Req r, ApiRequest request) {
    ApiResponse response;
    try {
      response = shared.api().handle(request);
    } catch (RuntimeException e) { // handle() never throws; belt and braces
      response = ApiResponse.error(500, "internal server error");
    }
    ApiResponse done = response;
    if (r.ctx.executor().inEventLoop()) {
      complete(r, done);
    } else {
      try {
        r.ctx.executor().execute(() -> complete(r, done));
      } catch (RejectedExecutionException e) {
        if (r.done.compareAndSet(false, true)) {
          shared.inFlight().dec(); // the server stopped meanwhile: the connection is gone
        }
      }
    }
  }

  private void complete(Req r, ApiResponse response) {
    if (!r.done.compareAndSet(false, true)) {
      return; // timed out: the 503 was sent already
    }
    cancelTimeout(r);
    if (response.stream().isPresent()) {
      startStream(r, response);
    } else {
      shared.inFlight().dec();
      answer(r, response);
    }
  }

  private static void cancelTimeout(Req r) {
    if (r.timeout != null) {
      r.timeout.cancel(false);
    }
  }

  /**
   * Writes a whole response on the request's stream, if it is still open. When the client has not
   * finished sending (a body over the limit), the rest of its body is read and dropped for a short
   * while — a client still sending may otherwise never read the answer (the JDK 17 client waits
   * forever on a reset it gets while blocked on flow control) — and then the stream is reset with
   * {@code NO_ERROR} (RFC 9113 §8.1), as Go's server lingers. A client that was too slow ({@code
   * now}) is reset at once.
   */
  private void answer(Req r, ApiResponse response) {
    answer(r, response, false);
  }

  private void answer(Req r, ApiResponse response, boolean resetNow) {
    if (r.closed || !r.ctx.channel().isActive()) {
      return;
    }
    writeResponse(r.ctx, r.id, response);
    if (!r.inputEnded) {
      writePending(); // the response before any reset
      if (resetNow) {
        reset(r);
      } else {
        r.ctx.executor().schedule(() -> reset(r), LINGER.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    if (!reading) {
      flush(r.ctx); // else with the other answers of this read, in channelReadComplete
    }
  }

  private void reset(Req r) {
    Http2Stream s = connection().stream(r.id);
    if (s != null && !r.closed) {
      resetStream(r.ctx, s.id(), Http2Error.NO_ERROR.code(), r.ctx.newPromise());
      flush(r.ctx);
    }
  }

  private void writePending() {
    try {
      encoder().flowController().writePendingBytes();
    } catch (Http2Exception e) {
      // a flow-control failure is a connection error Netty reports itself
    }
  }

  private void writeResponse(ChannelHandlerContext ctx, int streamId, ApiResponse response) {
    int length = response.bodyLength();
    Http2Headers h = headers(response);
    h.setInt("content-length", length);
    encoder().writeHeaders(ctx, streamId, h, 0, length == 0, ctx.newPromise());
    if (length > 0) {
      encoder()
          .writeData(
              ctx,
              streamId,
              Unpooled.wrappedBuffer(response.bodyView()),
              0,
              true,
              ctx.newPromise());
    }
  }

  private static Http2Headers headers(ApiResponse response) {
    Http2Headers h = new DefaultHttp2Headers(false, response.headers().size() + 2);
    h.status(Integer.toString(response.status()));
    for (Map.Entry<String, String> e : response.headers().entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      switch (name) {
        case "connection", "keep-alive", "transfer-encoding", "upgrade", "content-length" -> {
          // connection-specific: not allowed in HTTP/2 (RFC 9113 §8.2.2)
        }
        default -> h.set(name, e.getValue());
      }
    }
    return h;
  }

  private void startStream(Req r, ApiResponse response) {
    shared.inFlight().dec(); // a stream does not hold up shutdown
    if (r.closed || !r.ctx.channel().isActive()) {
      return;
    }
    ChannelHandlerContext ctx = r.ctx;
    encoder().writeHeaders(ctx, r.id, headers(response), 0, false, ctx.newPromise());
    flush(ctx);
    streaming++;
    ApiResponse.EventStream stream = response.stream().orElseThrow();
    ApiResponse.EventSink sink =
        new ApiResponse.EventSink() {
          @Override
          public void send(byte[] chunk) throws IOException {
            if (!isOpen()) {
              throw new IOException("client went away");
            }
            ChannelPromise p = ctx.newPromise();
            ctx.executor()
                .execute(
                    () -> {
                      if (r.closed) {
                        p.tryFailure(new IOException("stream closed"));
                        return;
                      }
                      encoder().writeData(ctx, r.id, Unpooled.wrappedBuffer(chunk), 0, false, p);
                      flush(ctx);
                    });
            EventStreams.awaitSent(p);
          }

          @Override
          public boolean isOpen() {
            return !r.closed && ctx.channel().isActive();
          }
        };
    EventStreams.run(
        shared.streams(),
        stream,
        sink,
        () -> {
          try {
            ctx.executor().execute(() -> endStream(r));
          } catch (RejectedExecutionException e) {
            // the server stopped: the connection is gone
          }
        },
        () -> endStream(r));
  }

  private void endStream(Req r) {
    streaming--;
    if (!r.closed && r.ctx.channel().isActive()) {
      ChannelFuture f =
          encoder().writeData(r.ctx, r.id, Unpooled.EMPTY_BUFFER, 0, true, r.ctx.newPromise());
      if (!r.inputEnded) {
        f.addListener(
            done -> {
              if (connection().stream(r.id) != null) {
                resetStream(r.ctx, r.id, Http2Error.NO_ERROR.code(), r.ctx.newPromise());
                flush(r.ctx);
              }
            });
      }
      flush(r.ctx);
    }
  }
}
