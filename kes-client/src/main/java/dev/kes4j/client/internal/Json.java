package dev.kes4j.client.internal;

import dev.kes4j.api.KesException;
import dev.kes4j.api.internal.GoTime;
import dev.kes4j.api.internal.KesJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's view of kes4j's one KES JSON codec ({@link KesJson}): response bodies read as Go's
 * {@code encoding/json} reads them (first value only, field names matched case-insensitively with
 * the last match winning, byte fields standard padded base64 with CR/LF ignored, {@code null} or a
 * missing field = zero value), request bodies written with Go's escaping. A value of the wrong JSON
 * type in a response is a 502, as the server is then not speaking KES. Thread-safe.
 */
public final class Json {
  private Json() {}

  /** A new request object writer. */
  public static KesJson.ObjectWriter object() {
    return new KesJson.ObjectWriter();
  }

  /** Puts {@code bytes} as base64 unless it is null or empty (Go treats both as absent). */
  public static KesJson.ObjectWriter putBytes(KesJson.ObjectWriter w, String field, byte[] bytes) {
    if (bytes != null && bytes.length > 0) {
      w.base64(field, bytes);
    }
    return w;
  }

  /** The UTF-8 encoding of an object. */
  public static byte[] encode(KesJson.ObjectWriter w) {
    return w.toBytes();
  }

  /** The UTF-8 encoding of a JSON array of objects. */
  public static byte[] encode(List<KesJson.ObjectWriter> array) {
    StringBuilder sb = new StringBuilder(64 * array.size() + 2).append('[');
    for (int i = 0; i < array.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(array.get(i));
    }
    return KesJson.utf8(sb.append(']'));
  }

  /**
   * Parses the first JSON value of a response body.
   *
   * @return a value as {@link KesJson#parse} returns it
   * @throws KesException 502 if the body is not JSON (the server is not speaking KES)
   */
  public static Object parse(byte[] body) {
    try {
      return KesJson.parseFirst(body);
    } catch (KesJson.DecodeException e) {
      throw badResponse(isBlank(body) ? "empty response body" : "response body is not JSON", null);
    }
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  /** Parses the first JSON value of {@code text}, or returns null if the text is not JSON. */
  public static Object tryParse(String text) {
    try {
      return KesJson.parseFirst(text.getBytes(StandardCharsets.UTF_8));
    } catch (KesJson.DecodeException e) {
      return null;
    }
  }

  /** A response the client cannot understand. */
  public static KesException badResponse(String what, Throwable cause) {
    return new KesException(502, "invalid response from KES server: " + what, cause);
  }

  /**
   * A field of an object, matched as Go does (case-insensitively, last match wins).
   *
   * @return the value, or null if {@code object} is not an object or has no such field
   */
  public static Object field(Object object, String name) {
    return object instanceof KesJson.Obj ? ((KesJson.Obj) object).get(name) : null;
  }

  /** Whether {@code value} is a JSON object. */
  public static boolean isObject(Object value) {
    return value instanceof KesJson.Obj;
  }

  /** Whether {@code value} is a JSON array. */
  public static boolean isArray(Object value) {
    return value instanceof List;
  }

  /** Whether {@code value} is missing or JSON {@code null}. */
  public static boolean isNull(Object value) {
    return value == null || value == KesJson.NULL;
  }

  /** The elements of a JSON array; empty for anything else. */
  public static List<?> elements(Object value) {
    return value instanceof List ? (List<?>) value : List.of();
  }

  /** A scalar's text: a string as is, a number or boolean as written; empty otherwise. */
  public static String text(Object value) {
    if (value instanceof String || value instanceof KesJson.Num || value instanceof Boolean) {
      return value.toString();
    }
    return "";
  }

  private static KesJson.Obj obj(Object object) {
    return object instanceof KesJson.Obj ? (KesJson.Obj) object : KesJson.Obj.empty();
  }

  /**
   * A string field; empty if missing or null.
   *
   * @throws KesException 502 if it is not a string
   */
  public static String string(Object object, String name) {
    try {
      return obj(object).string(name);
    } catch (KesJson.DecodeException e) {
      throw badResponse("field '" + name + "' is not a string", null);
    }
  }

  /**
   * A boolean field; false if missing.
   *
   * @throws KesException 502 if it is not a boolean
   */
  public static boolean bool(Object object, String name) {
    try {
      return obj(object).bool(name);
    } catch (KesJson.DecodeException e) {
      throw badResponse("field '" + name + "' is not a boolean", null);
    }
  }

  /**
   * An integer field; 0 if missing.
   *
   * @throws KesException 502 if it is not an integer
   */
  public static long number(Object object, String name) {
    try {
      return obj(object).number(name);
    } catch (KesJson.DecodeException e) {
      throw badResponse("field '" + name + "' is not an integer", null);
    }
  }

  /**
   * A base64 byte field; empty if missing or null.
   *
   * @throws KesException 502 if it is not base64
   */
  public static byte[] bytes(Object object, String name) {
    try {
      return obj(object).bytes(name);
    } catch (KesJson.DecodeException e) {
      throw badResponse("field '" + name + "' is not base64", null);
    }
  }

  /** A required base64 byte field. */
  public static byte[] requiredBytes(Object object, String name) {
    if (field(object, name) == null) {
      throw badResponse("field '" + name + "' is missing", null);
    }
    return bytes(object, name);
  }

  /**
   * A list of strings from a JSON array, or the keys of a JSON object (KES writes policy patterns
   * as {@code {"pattern":{}}}); empty if missing.
   */
  public static List<String> strings(Object node) {
    List<String> out = new ArrayList<>();
    if (node instanceof List) {
      for (Object n : (List<?>) node) {
        out.add(text(n));
      }
    } else if (node instanceof KesJson.Obj) {
      out.addAll(((KesJson.Obj) node).names());
    }
    return out;
  }

  /**
   * A Go {@code time.Time} (RFC 3339, any offset); {@code null} if missing or empty.
   *
   * @throws KesException 502 if it cannot be parsed
   */
  public static Instant time(Object object, String name) {
    String s = string(object, name);
    if (s.isEmpty()) {
      return null;
    }
    try {
      return GoTime.parse(s);
    } catch (IllegalArgumentException e) {
      throw badResponse("field '" + name + "' is not an RFC 3339 time", null);
    }
  }
}
