package dev.kes4j.client.internal;

import dev.kes4j.api.KesException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses a key listing in either form a KES server may answer with (spec §1.4–§1.6): one JSON
 * object {@code {"names":[..],"continue_at":".."}} (KES ≥ 0.23), or ndjson lines {@code
 * {"name":".."}} (KES 0.19–0.22, kes4j's legacy listing) / {@code {"Name":".."}} (KES 0.16, sent
 * without a Content-Type), possibly with an {@code {"error":".."}} line. Stateless.
 *
 * @param names the names in the order received
 * @param continueAt the server's continuation name; empty if none
 * @param ndjson whether the server answered in the legacy line form (which lists every page)
 */
public record Listing(List<String> names, String continueAt, boolean ndjson) {
  /** Validates and copies. */
  public Listing {
    names = List.copyOf(names);
  }

  /**
   * Parses a listing body.
   *
   * @throws KesException 502 if it is neither form, or with the server's message for an ndjson
   *     {@code error} line
   */
  public static Listing parse(String contentType, byte[] body) {
    String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    String text = new String(body, StandardCharsets.UTF_8);
    if (!ct.startsWith("application/x-ndjson")) {
      Object node = Json.tryParse(text);
      if (Json.isObject(node) && Json.field(node, "names") != null) {
        return new Listing(
            Json.strings(Json.field(node, "names")), Json.string(node, "continue_at"), false);
      }
      if (Json.isArray(node)) {
        return new Listing(Json.strings(node), "", true); // KES 0.16 policy listing: a bare array
      }
    }
    List<String> names = new ArrayList<>();
    for (String line : text.split("\n")) {
      String l = line.trim();
      if (l.isEmpty()) {
        continue;
      }
      Object n = Json.tryParse(l);
      if (!Json.isObject(n)) {
        throw Json.badResponse("listing line is not a JSON object", null);
      }
      String error = Json.string(n, "error");
      if (!error.isEmpty()) {
        throw new KesException(502, error);
      }
      Object name = Json.field(n, "name");
      if (Json.isNull(name)) {
        throw Json.badResponse("listing line without a name", null);
      }
      names.add(Json.text(name));
    }
    return new Listing(names, "", true);
  }
}
