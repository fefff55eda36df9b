package dev.kes4j.core;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * One audited request or operation (spec §9, newest shape). Contains no key material.
 *
 * @param time when the operation completed
 * @param path the request path, as the HTTP API would see it ({@code /v1/key/generate/my-key})
 * @param identity the caller's identity; empty when unknown (in-process calls without {@code as})
 * @param clientAddress the client's IP address; empty when not known (in-process calls)
 * @param status the HTTP status of the outcome (200 on success)
 * @param duration how long the operation took
 */
public record AuditEvent(
    Instant time,
    String path,
    String identity,
    String clientAddress,
    int status,
    Duration duration) {

  private static final DateTimeFormatter RFC3339_NANO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** Validates. */
  public AuditEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(duration, "duration");
  }

  /**
   * This event as KES's audit JSON line (without newline): {@code
   * {"time":"…","request":{"ip":"…","path":"…","identity":"…"},"response":{"code":200,"time":12}}}.
   * {@code ip} and {@code identity} are omitted when empty; {@code response.time} is in
   * milliseconds, as the newest KES sends it.
   */
  public String toJson() {
    StringBuilder sb = new StringBuilder(192);
    sb.append("{\"time\":\"").append(formatTime(time)).append("\",\"request\":{");
    if (!clientAddress.isEmpty()) {
      sb.append("\"ip\":");
      Json.quote(sb, clientAddress).append(',');
    }
    sb.append("\"path\":");
    Json.quote(sb, path);
    if (!identity.isEmpty()) {
      sb.append(",\"identity\":");
      Json.quote(sb, identity);
    }
    sb.append("},\"response\":{\"code\":")
        .append(status)
        .append(",\"time\":")
        .append(duration.toMillis())
        .append("}}");
    return sb.toString();
  }

  /** Formats an instant as Go's RFC 3339 with nanoseconds (trailing zeros trimmed), in UTC. */
  static String formatTime(Instant t) {
    String s = RFC3339_NANO.format(t);
    int dot = s.indexOf('.');
    int end = s.length() - 1; // before 'Z'
    while (end > dot && s.charAt(end - 1) == '0') {
      end--;
    }
    if (end == dot + 1) {
      end = dot; // no fraction left
    }
    return s.substring(0, end) + "Z";
  }

  /** Minimal JSON string quoting for audit lines. */
  static final class Json {
    private Json() {}

    static StringBuilder quote(StringBuilder sb, String s) {
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
  }
}
