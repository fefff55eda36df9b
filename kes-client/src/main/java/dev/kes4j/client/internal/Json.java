package dev.kes4j.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kes4j.api.KesException;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON helpers with Go's {@code encoding/json} reading rules: field names match case-insensitively
 * (an exact match wins), byte fields are standard padded base64, {@code null} or a missing byte
 * field is empty. Thread-safe.
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final byte[] EMPTY = new byte[0];

  private Json() {}

  /** A new empty JSON object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Puts {@code bytes} as base64 unless it is null or empty (Go treats both as absent). */
  public static ObjectNode putBytes(ObjectNode node, String field, byte[] bytes) {
    if (bytes != null && bytes.length > 0) {
      node.put(field, Base64.getEncoder().encodeToString(bytes));
    }
    return node;
  }

  /** The UTF-8 encoding of a JSON value. */
  public static byte[] encode(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode JSON", e);
    }
  }

  /**
   * Parses the first JSON value of a response body.
   *
   * @throws KesException 502 if the body is not JSON (the server is not speaking KES)
   */
  public static JsonNode parse(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw badResponse("empty response body", null);
      }
      return node;
    } catch (IOException e) {
      throw badResponse("response body is not JSON", e);
    }
  }

  /** Parses JSON, or returns null if the text is not JSON. */
  public static JsonNode tryParse(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  /** A response the client cannot understand. */
  public static KesException badResponse(String what, Throwable cause) {
    return new KesException(502, "invalid response from KES server: " + what, cause);
  }

  /** A field of an object, matched as Go does: exact name first, then case-insensitively. */
  public static JsonNode field(JsonNode object, String name) {
    if (object == null || !object.isObject()) {
      return null;
    }
    JsonNode exact = object.get(name);
    if (exact != null) {
      return exact;
    }
    Iterator<Map.Entry<String, JsonNode>> it = object.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** A string field; empty if missing or null. */
  public static String string(JsonNode object, String name) {
    JsonNode n = field(object, name);
    return n == null || n.isNull() ? "" : n.asText();
  }

  /** A boolean field; false if missing. */
  public static boolean bool(JsonNode object, String name) {
    JsonNode n = field(object, name);
    return n != null && n.asBoolean(false);
  }

  /** An integer field; 0 if missing. */
  public static long number(JsonNode object, String name) {
    JsonNode n = field(object, name);
    return n == null ? 0 : n.asLong(0);
  }

  /**
   * A base64 byte field; empty if missing or null.
   *
   * @throws KesException 502 if it is not base64
   */
  public static byte[] bytes(JsonNode object, String name) {
    JsonNode n = field(object, name);
    if (n == null || n.isNull()) {
      return EMPTY;
    }
    try {
      return Base64.getDecoder().decode(n.asText());
    } catch (IllegalArgumentException e) {
      throw badResponse("field '" + name + "' is not base64", null);
    }
  }

  /** A required base64 byte field. */
  public static byte[] requiredBytes(JsonNode object, String name) {
    if (field(object, name) == null) {
      throw badResponse("field '" + name + "' is missing", null);
    }
    return bytes(object, name);
  }

  /**
   * A list of strings from a JSON array, or the keys of a JSON object (KES writes policy patterns
   * as {@code {"pattern":{}}}); empty if missing.
   */
  public static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (node.isArray()) {
      for (JsonNode n : node) {
        out.add(n.asText());
      }
    } else if (node.isObject()) {
      node.fieldNames().forEachRemaining(out::add);
    }
    return out;
  }

  /**
   * A Go {@code time.Time} (RFC 3339, any offset); {@code null} if missing or empty.
   *
   * @throws KesException 502 if it cannot be parsed
   */
  public static Instant time(JsonNode object, String name) {
    String s = string(object, name);
    if (s.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw badResponse("field '" + name + "' is not an RFC 3339 time", null);
    }
  }
}
