package dev.kes4j.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

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
  private ScheduledFuture<?> timer;
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
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
      arm(ctx); // the first request's head is due within the timeout after the handshake
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!inRequest && timer == null && msg instanceof ByteBuf b && b.isReadable()) {
      arm(ctx); // the first byte of a new request
    }
    super.channelRead(ctx, msg);
  }

  private void arm(ChannelHandlerContext ctx) {
    if (timer != null) {
      return;
    }
    timer =
        ctx.executor()
            .schedule(
                () -> {
                  timer = null;
                  if (!inRequest && ctx.channel().isActive()) {
                    onTimeout.run();
                    ctx.close();
                  }
                },
                nanos,
                TimeUnit.NANOSECONDS);
  }

  /** A request's line and headers were decoded: its deadline no longer applies. */
  void headReceived() {
    inRequest = true;
    cancel();
  }

  /** A request was received completely: the next bytes start a new request. */
  void requestReceived() {
    inRequest = false;
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }
}
