package dev.kes4j.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 responses as the bytes that go on the wire: the status line, the headers and the body of
 * a response in one array, so a response is one buffer for TLS to seal (Netty's message encoder
 * wrote the head and the body as two buffers that the TLS handler then copied into one). Header
 * names and values are written as ISO-8859-1; CR, LF and NUL in a value become spaces, so no value
 * can split the response. Stateless and thread-safe.
 */
final class Http1Wire {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
  private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
  private static final byte[][] STATUS_LINES = new byte[600][];

  static {
    for (int code = 100; code < STATUS_LINES.length; code++) {
      STATUS_LINES[code] = statusLine(code);
    }
  }

  private Http1Wire() {}

  /** {@code 100 Continue}: the client may send the body. */
  static ByteBuf continueResponse() {
    return Unpooled.wrappedBuffer(CONTINUE);
  }

  /**
   * A complete response: {@code headers} (a {@code Content-Length}, {@code Connection} or {@code
   * Transfer-Encoding} among them is replaced), {@code Content-Length}, {@code Connection: close}
   * or {@code keep-alive} when {@code connection} is not null, and the body unless {@code bodiless}
   * (the answer to a HEAD request, which states the length a GET would get).
   */
  static ByteBuf response(
      int status,
      Map<String, String> headers,
      ByteBuffer body,
      String connection,
      boolean bodiless) {
    int length = body.remaining();
    String contentLength = Integer.toString(length);
    byte[] statusLine = statusLineOf(status);
    int size =
        statusLine.length + headersSize(headers) + headerSize("Content-Length", contentLength);
    if (connection != null) {
      size += headerSize("Connection", connection);
    }
    size += 2 + (bodiless ? 0 : length);
    byte[] out = new byte[size];
    int at = put(out, 0, statusLine);
    at = putHeaders(out, at, headers);
    at = putHeader(out, at, "Content-Length", contentLength);
    if (connection != null) {
      at = putHeader(out, at, "Connection", connection);
    }
    at = put(out, at, CRLF);
    if (!bodiless) {
      body.duplicate().get(out, at, length);
    }
    return Unpooled.wrappedBuffer(out);
  }

  /** The head of a chunked 200 response (an event stream): {@code headers} and the framing. */
  static ByteBuf streamHead(Map<String, String> headers) {
    byte[] statusLine = statusLineOf(200);
    int size =
        statusLine.length + headersSize(headers) + headerSize("Transfer-Encoding", "chunked") + 2;
    byte[] out = new byte[size];
    int at = put(out, 0, statusLine);
    at = putHeaders(out, at, headers);
    at = putHeader(out, at, "Transfer-Encoding", "chunked");
    put(out, at, CRLF);
    return Unpooled.wrappedBuffer(out);
  }

  /** One chunk of a chunked body; {@code data} must not be empty (that is the last chunk). */
  static ByteBuf chunk(byte[] data) {
    if (data.length == 0) {
      throw new IllegalArgumentException("an empty chunk ends the body");
    }
    byte[] size = ascii(Integer.toHexString(data.length) + "\r\n");
    byte[] out = new byte[size.length + data.length + 2];
    int at = put(out, 0, size);
    at = put(out, at, data);
    put(out, at, CRLF);
    return Unpooled.wrappedBuffer(out);
  }

  /** The end of a chunked body. */
  static ByteBuf lastChunk() {
    return Unpooled.wrappedBuffer(LAST_CHUNK);
  }

  private static byte[] statusLineOf(int status) {
    return status >= 100 && status < STATUS_LINES.length
        ? STATUS_LINES[status]
        : statusLine(status);
  }

  private static byte[] statusLine(int code) {
    return ascii("HTTP/1.1 " + HttpResponseStatus.valueOf(code) + "\r\n");
  }

  private static boolean replaced(String name) {
    return name.equalsIgnoreCase("Content-Length")
        || name.equalsIgnoreCase("Connection")
        || name.equalsIgnoreCase("Transfer-Encoding");
  }

  private static int headersSize(Map<String, String> headers) {
    int size = 0;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (!replaced(e.getKey())) {
        size += headerSize(e.getKey(), e.getValue());
      }
    }
    return size;
  }

  private static int headerSize(String name, String value) {
    return name.length() + 2 + value.length() + 2; // "name: value\r\n"
  }

  private static int putHeaders(byte[] out, int at, Map<String, String> headers) {
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (!replaced(e.getKey())) {
        at = putHeader(out, at, e.getKey(), e.getValue());
      }
    }
    return at;
  }

  private static int putHeader(byte[] out, int at, String name, String value) {
    at = putText(out, at, name);
    out[at++] = ':';
    out[at++] = ' ';
    at = putText(out, at, value);
    return put(out, at, CRLF);
  }

  /** ISO-8859-1 (a character above it becomes {@code ?}); CR, LF and NUL become spaces. */
  private static int putText(byte[] out, int at, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out[at++] = c == '\r' || c == '\n' || c == 0 ? (byte) ' ' : c > 0xff ? (byte) '?' : (byte) c;
    }
    return at;
  }

  private static int put(byte[] out, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, out, at, bytes.length);
    return at + bytes.length;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
