package dev.kes4j.http;

import dev.kes4j.api.KesException;
import dev.kes4j.api.internal.KesJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every handler shares: reading a JSON request body within the route's limit and writing KES's
 * JSON responses (Go's {@code json.Encoder} output: a value and a newline). Static and stateless;
 * reading a body blocks on the transport's stream.
 */
final class Responses {
  static final String JSON = "application/json";
  static final String NDJSON = "application/x-ndjson";

  private Responses() {}

  /** The body exceeded the route's limit (Go's MaxBytesReader fails the JSON decode). */
  static final class BodyTooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    BodyTooLarge() {
      super("request body too large", null, false, false);
    }
  }

  /** Decodes one JSON object body; its {@code DecodeException} means "invalid request body". */
  @FunctionalInterface
  interface BodyDecoder<T> {
    T decode(KesJson.Obj body) throws KesJson.DecodeException;
  }

  /**
   * Reads the request's JSON object body within the route's limit and decodes it.
   *
   * @throws KesException 400 {@code invalid request body} if it is too large, not a JSON object, or
   *     a member has the wrong type or bad base64
   */
  static <T> T decodeBody(KesHttpApi.Route route, ApiRequest req, BodyDecoder<T> decoder) {
    try {
      return decoder.decode(KesJson.firstObject(readBody(req, route.maxBody())));
    } catch (KesJson.DecodeException | BodyTooLarge e) {
      throw invalidBody();
    }
  }

  static byte[] readBody(ApiRequest req, long limit) throws BodyTooLarge {
    long declared = req.contentLength();
    if (declared > limit) {
      throw new BodyTooLarge();
    }
    InputStream in = req.body();
    try {
      byte[] body;
      if (declared >= 0) {
        // sized exactly: InputStream.readNBytes(limit) would allocate and zero 16 KiB per request
        body = new byte[(int) declared];
        if (in.readNBytes(body, 0, body.length) < body.length) {
          throw new BodyTooLarge(); // the client sent less than it declared: unreadable
        }
      } else {
        body = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
      }
      if (in.read() >= 0) {
        throw new BodyTooLarge();
      }
      return body;
    } catch (IOException e) {
      throw new BodyTooLarge();
    }
  }

  static KesException invalidBody() {
    return new KesException(400, "invalid request body");
  }

  static ApiResponse empty() {
    return ApiResponse.of(200, Map.of(), new byte[0]);
  }

  /** A 200 JSON response of {@code w}'s object and Go's newline. */
  static ApiResponse json(KesJson.ObjectWriter w) {
    try {
      return ApiResponse.json(w.toLine());
    } finally {
      w.clear(); // it may hold the base64 of a plaintext
    }
  }

  static ApiResponse json(CharSequence body) {
    // Go's json.Encoder ends the value with a newline
    StringBuilder sb = new StringBuilder(body.length() + 1).append(body).append('\n');
    return ApiResponse.json(KesJson.utf8(sb));
  }

  /** Spec §1.2: {@code {"message":<json string>\n}}. */
  static byte[] errorBody(String message) {
    return KesJson.errorBody(message);
  }

  /** Go's ServeMux answer for a bare subtree path: 301 to {@code target}, a link for GET/HEAD. */
  static ApiResponse movedPermanently(String method, String target) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Location", target);
    byte[] body = new byte[0];
    if (method.equals("GET") || method.equals("HEAD")) {
      h.put("Content-Type", "text/html; charset=utf-8");
      body = KesJson.utf8("<a href=\"" + htmlEscape(target) + "\">Moved Permanently</a>.\n\n");
    }
    return ApiResponse.of(301, h, body);
  }

  /** Go's plain-text 404 for unknown paths. */
  static ApiResponse notFound() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "text/plain; charset=utf-8");
    h.put("X-Content-Type-Options", "nosniff");
    return ApiResponse.of(404, h, KesJson.utf8("404 page not found\n"));
  }

  private static String htmlEscape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&#34;")
        .replace("'", "&#39;");
  }

  /** KES's 405: the expected method in {@code Accept} and the message. */
  static ApiResponse methodNotAllowed(String got, String expected) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", JSON);
    h.put("Accept", expected);
    return ApiResponse.of(
        405, h, errorBody("received method '" + got + "' expected '" + expected + "'"));
  }

  /** Appends {@code names} as JSON strings separated by commas. */
  static void appendNames(StringBuilder sb, List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      KesJson.quote(sb, names.get(i));
    }
  }
}
