package dev.kes4j.server.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Completes a connection's pipeline once its TLS handshake is done: {@link H2Connection} when the
 * client and server agreed on {@code h2} over ALPN, {@link HttpConnection} (with Netty's HTTP/1.1
 * request decoder) otherwise — a client that offered only {@code http/1.1}, or no ALPN at all. A
 * failed handshake is explained in the error log ({@link TlsDiagnostics}) and closes the
 * connection. One per connection; confined to its event loop; removes itself after the handshake.
 */
public final class AlpnFront extends ApplicationProtocolNegotiationHandler {
  /** HTTP/1.1 limits: request line 8 KiB, headers 16 KiB, chunk 64 KiB. */
  public static final int MAX_INITIAL_LINE = 8192;

  /** The most header bytes of an HTTP/1.1 request. */
  public static final int MAX_HEADER_SIZE = 16384;

  /** Idle keep-alive connections (no request in flight, no stream) close after this (spec §1.1). */
  static final int IDLE_SECONDS = 90;

  private final HttpConnection.Shared shared;

  /** A front for one new connection. */
  public AlpnFront(HttpConnection.Shared shared) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.shared = shared;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    ChannelPipeline p = ctx.pipeline();
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      p.addLast("h2", H2Connection.create(shared));
    } else {
      // requests are decoded by Netty; responses are written as bytes (Http1Wire)
      p.addLast("http", new HttpRequestDecoder(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 65536));
      // the idle timeout is HttpConnection's own (a timer armed when it goes idle, not one that
      // every read and write resets)
      p.addLast("kes", new HttpConnection(shared));
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
      // every failed handshake ends in this event (a closed connection, a timeout or an alert)
      // issue 11: say why (rate-limited per reason and client); issue 16: never an empty reason
      TlsDiagnostics.Refusal r = TlsDiagnostics.handshakeFailure(address(ctx), e.cause());
      shared.api().logRefusal(r.key(), r.message());
      shared.onHandshakeFailure().run();
      ctx.close();
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // explained once, from the handshake event
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a TLS or I/O error before the pipeline is complete: explained from the event
  }

  /** The client's IP address, or {@code ""} if unknown. */
  static String address(ChannelHandlerContext ctx) {
    SocketAddress a = ctx.channel().remoteAddress();
    if (a instanceof InetSocketAddress isa && isa.getAddress() != null) {
      return isa.getAddress().getHostAddress();
    }
    return "";
  }
}
