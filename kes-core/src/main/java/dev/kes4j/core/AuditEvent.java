package dev.kes4j.core;

import dev.kes4j.api.internal.GoTime;
import dev.kes4j.api.internal.KesJson;
import java.time.Duration;
import java.time.Instant;
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
    sb.append("{\"time\":\"").append(GoTime.format(time)).append("\",\"request\":{");
    if (!clientAddress.isEmpty()) {
      sb.append("\"ip\":");
      KesJson.quote(sb, clientAddress).append(',');
    }
    sb.append("\"path\":");
    KesJson.quote(sb, path);
    if (!identity.isEmpty()) {
      sb.append(",\"identity\":");
      KesJson.quote(sb, identity);
    }
    sb.append("},\"response\":{\"code\":")
        .append(status)
        .append(",\"time\":")
        .append(duration.toMillis())
        .append("}}");
    return sb.toString();
  }
}
