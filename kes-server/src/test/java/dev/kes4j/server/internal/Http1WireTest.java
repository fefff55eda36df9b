package dev.kes4j.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link Http1Wire}'s bytes, read back by Netty's HTTP/1.1 response decoder (a real parser). */
class Http1WireTest {

  private static FullHttpResponse parse(ByteBuf wire) {
    EmbeddedChannel ch =
        new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
    ch.writeInbound(wire);
    FullHttpResponse r = ch.readInbound();
    assertThat((Object) ch.readInbound()).as("exactly one response").isNull();
    ch.finishAndReleaseAll();
    return r;
  }

  private static String text(ByteBuf b) {
    String s = b.toString(StandardCharsets.ISO_8859_1);
    b.release();
    return s;
  }

  @Provide
  Arbitrary<String> tokens() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars('-')
        .ofMinLength(1)
        .ofMaxLength(20)
        .filter(n -> !n.startsWith("-"));
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40).map(String::strip);
  }

  @Property(tries = 300)
  void aResponseReadsBackAsWritten(
      @ForAll @IntRange(min = 200, max = 599) int status,
      @ForAll("tokens") String name,
      @ForAll("values") String value,
      @ForAll @Size(max = 2000) byte[] body) {
    Assume.that(status != 204 && status != 304); // bodiless by definition; the API sends neither
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("X-" + name, value);
    FullHttpResponse r =
        parse(Http1Wire.response(status, headers, ByteBuffer.wrap(body), null, false));
    try {
      assertThat(r.status().code()).isEqualTo(status);
      assertThat(r.headers().get("X-" + name)).isEqualTo(value);
      assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
      assertThat(r.headers().getInt("Content-Length")).isEqualTo(body.length);
      assertThat(r.headers().contains("Connection")).isFalse();
      byte[] got = new byte[r.content().readableBytes()];
      r.content().readBytes(got);
      assertThat(got).isEqualTo(body);
    } finally {
      r.release();
    }
  }

  @Property(tries = 100)
  void aChunkedStreamReadsBackAsItsChunksInOrder(
      @ForAll @Size(max = 8) List<@Size(min = 1, max = 5000) byte[]> chunks) {
    EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseDecoder());
    ch.writeInbound(Http1Wire.streamHead(Map.of("Content-Type", "application/x-ndjson")));
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    for (byte[] c : chunks) {
      ch.writeInbound(Http1Wire.chunk(c));
      sent.writeBytes(c);
    }
    ch.writeInbound(Http1Wire.lastChunk());
    HttpResponse head = ch.readInbound();
    assertThat(head.status().code()).isEqualTo(200);
    assertThat(head.headers().get("Transfer-Encoding")).isEqualTo("chunked");
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    boolean ended = false;
    for (Object o; (o = ch.readInbound()) != null; ) {
      HttpContent c = (HttpContent) o;
      got.writeBytes(ByteBufUtil.getBytes(c.content()));
      ended |= c instanceof LastHttpContent;
      c.release();
    }
    assertThat(ended).isTrue();
    assertThat(got.toByteArray()).isEqualTo(sent.toByteArray());
    ch.finishAndReleaseAll();
  }

  @Test
  void crLfAndNulInAValueCannotSplitTheResponse() {
    String wire =
        text(
            Http1Wire.response(
                200,
                Map.of("X-Evil", "a\r\nSet-Cookie: x=1\r\n\r\nHTTP/1.1 200 OK\u0000"),
                ByteBuffer.allocate(0),
                null,
                false));
    assertThat(wire.split("\r\n", -1))
        .containsExactly(
            "HTTP/1.1 200 OK",
            "X-Evil: a  Set-Cookie: x=1    HTTP/1.1 200 OK ",
            "Content-Length: 0",
            "",
            "");
  }

  @Test
  void framingHeadersOfTheApiAreReplacedNotRepeated() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("content-length", "999");
    h.put("Connection", "upgrade");
    h.put("Transfer-Encoding", "chunked");
    String wire =
        text(
            Http1Wire.response(
                404,
                h,
                ByteBuffer.wrap("nope\n".getBytes(StandardCharsets.US_ASCII)),
                "close",
                false));
    assertThat(wire)
        .isEqualTo(
            "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\nConnection: close\r\n\r\nnope\n");
  }

  @Test
  void theAnswerToHeadStatesTheLengthWithoutTheBody() {
    String wire =
        text(
            Http1Wire.response(
                405,
                Map.of(),
                ByteBuffer.wrap("{\"message\":\"x\"}\n".getBytes(StandardCharsets.US_ASCII)),
                "keep-alive",
                true));
    assertThat(wire)
        .isEqualTo(
            "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 16\r\nConnection: keep-alive"
                + "\r\n\r\n");
  }

  @Test
  void aReadOnlyBodyViewIsNotConsumed() {
    ByteBuffer body = ByteBuffer.wrap(new byte[] {1, 2, 3}).asReadOnlyBuffer();
    Http1Wire.response(200, Map.of(), body, null, false).release();
    assertThat(body.remaining()).isEqualTo(3);
  }

  @Test
  void anEmptyChunkIsRefusedBecauseItWouldEndTheBody() {
    assertThatThrownBy(() -> Http1Wire.chunk(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(text(Http1Wire.chunk(new byte[17]))).startsWith("11\r\n").endsWith("\r\n");
    assertThat(text(Http1Wire.continueResponse())).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
    assertThat(text(Http1Wire.lastChunk())).isEqualTo("0\r\n\r\n");
  }
}
