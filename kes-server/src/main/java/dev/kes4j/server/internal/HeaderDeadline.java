package dev.kes4j.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.time.Duration;

/**
 * The read-header timeout of Go's HTTP server as KES configures it (spec §1.1: 5 s): a request's
 * line and headers must arrive within the timeout, counted from the end of the TLS handshake for
 * the first request and from a request's first byte for later ones on a keep-alive connection
 * (waiting for that byte is idle time, bounded by the idle timeout instead). When it passes, the
 * connection closes without a response, as Go's does, so a client that trickles header bytes cannot
 * hold connections at no cost.
 *
 * <p>Sits between the TLS handler and the HTTP codec, seeing decrypted bytes; {@link
 * HttpConnection} tells it when a request's head has been decoded ({@link #headReceived}) and when
 * the request is complete ({@link #requestReceived}). Confined to the channel's event loop.
 */
public final class HeaderDeadline extends ChannelInboundHandlerAdapter {
  private final long nanos;
  private final Runnable onTimeout;
  private Deadline deadline;
  private boolean inRequest; // between a head and the end of its body: bytes are body bytes

  /**
   * @param timeout the read-header timeout
   * @param onTimeout called (on the event loop) before the connection is closed for it
   */
  public HeaderDeadline(Duration timeout, Runnable onTimeout) {
    this.nanos = timeout.toNanos();
    this.onTimeout = onTimeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline =
        new Deadline(
            ctx.executor(),
            () -> {
              if (!inRequest && ctx.channel().isActive()) {
                onTimeout.run();
                ctx.close();
              }
            });
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
      deadline.arm(nanos); // the first request's head is due within the timeout after the handshake
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!inRequest && !deadline.armed() && msg instanceof ByteBuf b && b.isReadable()) {
      deadline.arm(nanos); // the first byte of a new request
    }
    super.channelRead(ctx, msg);
  }

  /** Whether a request's head is being read: its first byte has arrived, its end not yet. */
  boolean headPending() {
    return deadline.armed();
  }

  /** A request's line and headers were decoded: its deadline no longer applies. */
  void headReceived() {
    inRequest = true;
    deadline.disarm();
  }

  /** A request was received completely: the next bytes start a new request. */
  void requestReceived() {
    inRequest = false;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    deadline.cancel();
    super.channelInactive(ctx);
  }
}
