package dev.kes4j.server.internal;

import dev.kes4j.http.ApiRequest;
import dev.kes4j.http.ApiResponse;
import dev.kes4j.http.KesHttpApi;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
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

/**
 * One HTTP/1.1 connection of the Netty front: collects a request (body capped at the route's limit
 * + 1 byte so the API sees an oversized body), hands it to {@link KesHttpApi} on a worker thread,
 * writes the response on the event loop, and runs streamed responses on their own thread. Requests
 * of one connection are answered in order (pipelining-safe). All state is confined to the channel's
 * event loop except the hand-offs, which re-enter it.
 */
public final class HttpConnection extends ChannelInboundHandlerAdapter {
  private static final X509Certificate[] NO_CERTS = new X509Certificate[0];
  private static final byte[] TIMEOUT_BODY =
      "{\"message\":\"request timeout\"\n}".getBytes(StandardCharsets.UTF_8);

  /** How long a request on a route without timeout (or an unknown path) may take to arrive. */
  private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);

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

  // the request being read
  private HttpRequest head;
  private KesHttpApi.Route route;
  private ByteBuf body;
  private long bodyLimit;
  private long received;
  // hardening: a request (body included) must arrive within its route's timeout (slow-loris bodies)
  private ScheduledFuture<?> readTimeout;

  // requests read but not yet answered, in order
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean busy;
  private boolean streaming;

  /** A handler for a new connection. */
  public HttpConnection(Shared shared) {
    this.shared = shared;
  }

  private static final class Pending {
    final ApiRequest request;
    final KesHttpApi.Route route;
    final boolean keepAlive;
    final boolean http10;
    final AtomicBoolean done = new AtomicBoolean();
    ScheduledFuture<?> timeout;

    Pending(ApiRequest request, KesHttpApi.Route route, boolean keepAlive, boolean http10) {
      this.request = request;
      this.route = route;
      this.keepAlive = keepAlive;
      this.http10 = http10;
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    SocketAddress a = ctx.channel().remoteAddress();
    if (a instanceof InetSocketAddress isa && isa.getAddress() != null) {
      remoteAddress = isa.getAddress().getHostAddress();
    }
    super.channelActive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent e) {
      if (e.isSuccess()) {
        peerChain = peerChain(ctx);
      } else {
        // issue 11: say why (rate-limited per reason and client)
        TlsDiagnostics.Refusal r = TlsDiagnostics.handshakeFailure(remoteAddress, e.cause());
        shared.api().logRefusal(r.key(), r.message());
        shared.onHandshakeFailure().run();
        ctx.close();
      }
    } else if (evt instanceof IdleStateEvent) {
      if (!busy && !streaming && head == null) {
        ctx.close(); // spec §1.1: idle keep-alive connections close after 90 s
      }
    }
    super.userEventTriggered(ctx, evt);
  }

  private static X509Certificate[] peerChain(ChannelHandlerContext ctx) {
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
      if (msg instanceof HttpRequest req) {
        startRequest(ctx, req);
      }
      if (msg instanceof HttpContent content && head != null) {
        appendContent(content.content());
        if (msg instanceof LastHttpContent) {
          finishRequest(ctx);
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void startRequest(ChannelHandlerContext ctx, HttpRequest req) {
    DecoderResult dr = req.decoderResult();
    if (dr.isFailure()) {
      FullHttpResponse r =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.BAD_REQUEST,
              Unpooled.copiedBuffer("400 Bad Request", StandardCharsets.UTF_8));
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
      head = null;
      return;
    }
    head = req;
    QueryStringDecoder q = new QueryStringDecoder(req.uri());
    route = shared.api().route(q.path()).orElse(null);
    bodyLimit = route == null ? 0 : route.maxBody();
    received = 0;
    body = null;
    Duration limit =
        route == null || route.timeout().isZero() ? DEFAULT_READ_TIMEOUT : route.timeout();
    readTimeout =
        ctx.executor()
            .schedule(() -> readTimedOut(ctx, req), limit.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * The request did not arrive completely within its route's timeout (a slow-loris body): answer
   * 408 (the client was too slow; if no earlier response is pending) and close the connection.
   */
  private void readTimedOut(ChannelHandlerContext ctx, HttpRequest req) {
    if (head != req) {
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
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_TIMEOUT,
            Unpooled.wrappedBuffer(TIMEOUT_BODY));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, TIMEOUT_BODY.length);
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
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

  private void finishRequest(ChannelHandlerContext ctx) {
    HttpRequest req = head;
    head = null;
    if (readTimeout != null) {
      readTimeout.cancel(false);
      readTimeout = null;
    }
    QueryStringDecoder q = new QueryStringDecoder(req.uri());
    ApiRequest.Builder b = ApiRequest.builder(req.method().name(), q.path()).query(q.rawQuery());
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
    if (body != null) {
      byte[] bytes = new byte[body.readableBytes()];
      body.readBytes(bytes);
      body.release();
      body = null;
      b.body(new java.io.ByteArrayInputStream(bytes), declared);
    } else {
      b.body(new java.io.ByteArrayInputStream(new byte[0]), declared);
    }
    b.remoteAddress(remoteAddress);
    boolean http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
    Pending p = new Pending(b.build(), route, HttpUtil.isKeepAlive(req), http10);
    queue.add(p);
    if (!busy) {
      next(ctx);
    }
  }

  private void next(ChannelHandlerContext ctx) {
    Pending p = queue.poll();
    if (p == null) {
      busy = false;
      return;
    }
    busy = true;
    shared.inFlight().inc();
    if (!shared.api().mayBlock(p.request)) {
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
                      writeFull(
                          ctx, p, 503, Map.of("Content-Type", "application/json"), TIMEOUT_BODY);
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
        writeFull(
            ctx,
            p,
            503,
            Map.of("Content-Type", "application/json"),
            "{\"message\":\"server is shutting down\"\n}".getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private void process(ChannelHandlerContext ctx, Pending p) {
    ApiResponse r;
    try {
      r = shared.api().handle(p.request);
    } catch (RuntimeException e) { // handle() never throws; belt and braces
      r =
          ApiResponse.of(
              500,
              Map.of("Content-Type", "application/json"),
              "{\"message\":\"internal server error\"\n}".getBytes(StandardCharsets.UTF_8));
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
      writeFull(ctx, p, response.status(), response.headers(), response.body());
    }
  }

  private static void cancelTimeout(Pending p) {
    if (p.timeout != null) {
      p.timeout.cancel(false);
    }
  }

  private void writeFull(
      ChannelHandlerContext ctx, Pending p, int status, Map<String, String> headers, byte[] body) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status),
            body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    HttpHeaders h = r.headers();
    headers.forEach(h::set);
    h.set("Content-Length", Integer.toString(body.length));
    boolean keepAlive = p.keepAlive && ctx.channel().isActive();
    if (!keepAlive) {
      h.set("Connection", "close");
    } else if (p.http10) {
      h.set("Connection", "keep-alive");
    }
    ChannelFuture f = ctx.writeAndFlush(r);
    shared.inFlight().dec();
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
      queue.clear();
      busy = false;
      return;
    }
    next(ctx);
  }

  private void startStream(ChannelHandlerContext ctx, Pending p, ApiResponse response) {
    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().forEach(r.headers()::set);
    HttpUtil.setTransferEncodingChunked(r, true);
    ctx.writeAndFlush(r);
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
            ChannelFuture f =
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
            try {
              if (!f.await(10, TimeUnit.SECONDS) || !f.isSuccess()) {
                throw new IOException("client went away");
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IOException("interrupted");
            }
          }

          @Override
          public boolean isOpen() {
            return ctx.channel().isActive();
          }
        };
    try {
      shared
          .streams()
          .execute(
              () -> {
                try {
                  stream.run(sink);
                } catch (IOException | RuntimeException e) {
                  // the client left or the stream failed: end the response either way
                } finally {
                  if (ctx.channel().isActive()) {
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                        .addListener(ChannelFutureListener.CLOSE);
                  }
                }
              });
    } catch (RejectedExecutionException e) {
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (readTimeout != null) {
      readTimeout.cancel(false);
      readTimeout = null;
    }
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
