package dev.kes4j.http;

import dev.kes4j.api.internal.KesJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link KesHttpApi#handle} answers: a status, headers and either a complete body or an {@link
 * EventStream} that the transport runs until the client leaves (the log routes). Immutable and
 * thread-safe.
 */
public final class ApiResponse {
  private static final byte[] EMPTY = new byte[0];

  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;
  private final EventStream stream;

  /**
   * The headers of a JSON response; responses built with this very map share it instead of a copy.
   */
  static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json");

  private ApiResponse(int status, Map<String, String> headers, byte[] body, EventStream stream) {
    this.status = status;
    this.headers =
        headers == JSON_HEADERS
            ? headers
            : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.body = body;
    this.stream = stream;
  }

  /** A 200 JSON response that takes ownership of {@code body} (the handlers' own, not copied). */
  static ApiResponse json(byte[] body) {
    return new ApiResponse(200, JSON_HEADERS, body, null);
  }

  /**
   * A complete response; {@code headers} should include {@code Content-Type} when a body exists.
   */
  public static ApiResponse of(int status, Map<String, String> headers, byte[] body) {
    return new ApiResponse(status, headers, Objects.requireNonNull(body, "body").clone(), null);
  }

  /**
   * A KES error response (spec §1.2): {@code Content-Type: application/json} and the body {@code
   * {"message":<JSON string>\n}}. For errors a transport raises itself (a malformed request line, a
   * header timeout …), so that every error a client sees has KES's shape.
   */
  public static ApiResponse error(int status, String message) {
    return new ApiResponse(status, JSON_HEADERS, KesJson.errorBody(message), null);
  }

  /** A streaming response (status 200) whose events the transport writes as they come. */
  public static ApiResponse stream(Map<String, String> headers, EventStream stream) {
    return new ApiResponse(200, headers, EMPTY, Objects.requireNonNull(stream, "stream"));
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** Response headers, such as {@code Content-Type}. The transport adds {@code Content-Length}. */
  public Map<String, String> headers() {
    return headers;
  }

  /** A copy of the body; empty for streams and for bodiless responses. */
  public byte[] body() {
    return body.clone();
  }

  /**
   * A read-only view of the body, without copying: what a transport writes. Empty for streams and
   * bodiless responses.
   */
  public ByteBuffer bodyView() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer();
  }

  /** The body length without copying. */
  public int bodyLength() {
    return body.length;
  }

  /** The stream, for streaming responses. */
  public Optional<EventStream> stream() {
    return Optional.ofNullable(stream);
  }

  @Override
  public String toString() {
    return "ApiResponse["
        + status
        + ", "
        + body.length
        + " bytes"
        + (stream != null ? ", stream" : "")
        + "]";
  }

  /** A response body produced over time, such as the audit log. */
  @FunctionalInterface
  public interface EventStream {
    /**
     * Writes events to {@code sink} until the client goes away (the sink throws) or the server
     * stops. Blocks; the transport runs it off its I/O threads.
     */
    void run(EventSink sink) throws IOException;
  }

  /** Where a transport receives streamed events. Used by one thread at a time. */
  @FunctionalInterface
  public interface EventSink {
    /**
     * Sends one chunk (such as one ndjson line with its newline) to the client and flushes it.
     *
     * @throws IOException when the client has gone away
     */
    void send(byte[] chunk) throws IOException;

    /**
     * Whether the client is still connected, so that an idle stream notices a departed client
     * without sending anything. The default answers {@code true}.
     */
    default boolean isOpen() {
      return true;
    }
  }
}
