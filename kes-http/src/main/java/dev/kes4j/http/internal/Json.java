package dev.kes4j.http.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON as KES's Go server reads and writes it (spec §1.1): request objects decoded with {@code
 * encoding/json} semantics (first value only, unknown fields ignored, field names matched
 * case-insensitively, {@code []byte} as standard padded base64, {@code null} = empty), and
 * responses built by hand with Go's HTML-safe escaping. Thread-safe.
 */
public final class Json {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
          .build();

  private Json() {}

  /** A request body could not be decoded. Carries no input text. */
  public static final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    DecodeException(String what) {
      super(what, null, false, false);
    }
  }

  /**
   * The string-or-null members of one JSON object, keyed by lower-cased name; members of other
   * types are kept as {@link #OTHER} so that a typed field can reject them.
   */
  public static final class Fields {
    /** Marker for a member that is neither a string nor null. */
    public static final Object OTHER = new Object();

    private final Map<String, Object> values;

    Fields(Map<String, Object> values) {
      this.values = values;
    }

    /** Whether the member is present (with any value, null included). */
    public boolean has(String name) {
      return values.containsKey(name);
    }

    /**
     * A {@code []byte} member: base64 text decoded; missing or null → empty array.
     *
     * @throws DecodeException if the member is not a string or not valid base64
     */
    public byte[] bytes(String name) throws DecodeException {
      Object v = values.get(name);
      if (v == null) {
        return new byte[0];
      }
      if (!(v instanceof String s)) {
        throw new DecodeException("field '" + name + "' is not a string");
      }
      if (s.length() % 4 != 0) {
        // Go's StdEncoding requires the padding that the JDK's decoder lets pass
        throw new DecodeException("field '" + name + "' is not padded base64");
      }
      try {
        return Base64.getDecoder().decode(s);
      } catch (IllegalArgumentException e) {
        throw new DecodeException("field '" + name + "' is not base64");
      }
    }

    /**
     * A {@code string} member; missing or null → empty string.
     *
     * @throws DecodeException if the member is not a string
     */
    public String string(String name) throws DecodeException {
      Object v = values.get(name);
      if (v == null) {
        return "";
      }
      if (!(v instanceof String s)) {
        throw new DecodeException("field '" + name + "' is not a string");
      }
      return s;
    }
  }

  /**
   * Decodes the first JSON value of {@code body} as an object. A top-level {@code null} yields no
   * fields, as Go's decoder leaves the struct untouched.
   *
   * @throws DecodeException if the body is empty, not JSON or not an object
   */
  public static Fields object(byte[] body) throws DecodeException {
    try (JsonParser p = FACTORY.createParser(body)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new DecodeException("empty body");
      }
      if (t == JsonToken.VALUE_NULL) {
        return new Fields(Map.of());
      }
      return readObject(p, t);
    } catch (IOException e) {
      throw new DecodeException("malformed JSON");
    }
  }

  /**
   * Decodes the first JSON value of {@code body} as an array of objects (bulk decrypt). {@code
   * null} yields an empty list.
   *
   * @throws DecodeException if the body is empty, not JSON or not an array of objects
   */
  public static List<Fields> arrayOfObjects(byte[] body) throws DecodeException {
    try (JsonParser p = FACTORY.createParser(body)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new DecodeException("empty body");
      }
      if (t == JsonToken.VALUE_NULL) {
        return List.of();
      }
      if (t != JsonToken.START_ARRAY) {
        throw new DecodeException("not an array");
      }
      List<Fields> out = new ArrayList<>();
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new DecodeException("truncated");
        }
        if (t == JsonToken.VALUE_NULL) {
          out.add(new Fields(Map.of()));
          continue;
        }
        out.add(readObject(p, t));
      }
      return out;
    } catch (IOException e) {
      throw new DecodeException("malformed JSON");
    }
  }

  private static Fields readObject(JsonParser p, JsonToken start)
      throws IOException, DecodeException {
    if (start != JsonToken.START_OBJECT) {
      throw new DecodeException("not an object");
    }
    Map<String, Object> values = new HashMap<>(8);
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
      if (t != JsonToken.FIELD_NAME) {
        throw new DecodeException("truncated");
      }
      String name = p.currentName().toLowerCase(Locale.ROOT);
      JsonToken v = p.nextToken();
      if (v == null) {
        throw new DecodeException("truncated");
      }
      switch (v) {
        case VALUE_STRING -> values.put(name, p.getText());
        case VALUE_NULL -> values.put(name, null);
        case START_OBJECT, START_ARRAY -> {
          p.skipChildren();
          values.put(name, Fields.OTHER);
        }
        default -> values.put(name, Fields.OTHER);
      }
    }
    return new Fields(values);
  }

  /** Appends {@code s} as a JSON string the way Go's {@code encoding/json} writes it. */
  public static StringBuilder quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"');
  }

  /** {@code s} as a JSON string. */
  public static String quote(String s) {
    return quote(new StringBuilder(s.length() + 2), s).toString();
  }

  /** UTF-8 bytes of {@code s}. */
  public static byte[] utf8(CharSequence s) {
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }
}
