package dev.kes4j.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Output helpers: one-line JSON values and aligned plain-text tables. Stateless. */
public final class Out {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Out() {}

  /** A new JSON object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A new JSON array of strings. */
  public static ArrayNode strings(List<String> values) {
    ArrayNode a = MAPPER.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  /** A new, empty JSON array. */
  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** Writes {@code value} as one line of JSON. */
  public static void json(PrintWriter out, Object value) {
    try {
      out.println(MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }

  /** Parses one JSON line, or null if it is not JSON. */
  public static com.fasterxml.jackson.databind.JsonNode parse(String line) {
    try {
      return MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** An RFC 3339 time, or {@code -} when unknown. */
  public static String time(Instant t) {
    return t == null ? "-" : t.toString();
  }

  /** A short human duration: {@code 3d 4h}, {@code 2h 5m}, {@code 12m 3s}, {@code 45s}. */
  public static String duration(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s >= 86400) {
      return (s / 86400) + "d " + (s % 86400) / 3600 + "h";
    }
    if (s >= 3600) {
      return (s / 3600) + "h " + (s % 3600) / 60 + "m";
    }
    if (s >= 60) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    return s + "s";
  }

  /** A table with a header row; {@link #print} aligns the columns. Not thread-safe. */
  public static final class Table {
    private final List<String[]> rows = new ArrayList<>();

    /** A table with these column headers. */
    public Table(String... header) {
      rows.add(header);
    }

    /** Adds a row (null cells print as {@code -}). */
    public Table row(String... cells) {
      String[] r = new String[cells.length];
      for (int i = 0; i < cells.length; i++) {
        r[i] = cells[i] == null || cells[i].isEmpty() ? "-" : cells[i];
      }
      rows.add(r);
      return this;
    }

    /** Prints the table, columns separated by two spaces, the last column unpadded. */
    public void print(PrintWriter out) {
      int cols = rows.get(0).length;
      int[] width = new int[cols];
      for (String[] r : rows) {
        for (int i = 0; i < cols && i < r.length; i++) {
          width[i] = Math.max(width[i], r[i].length());
        }
      }
      for (String[] r : rows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cols && i < r.length; i++) {
          sb.append(r[i]);
          if (i < cols - 1) {
            sb.append(" ".repeat(width[i] - r[i].length() + 2));
          }
        }
        out.println(sb.toString().stripTrailing());
      }
      out.flush();
    }
  }
}
