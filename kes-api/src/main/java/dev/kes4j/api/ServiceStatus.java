package dev.kes4j.api;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link KeyService#status()} reports.
 *
 * @param version the server or library version
 * @param uptime how long the service has been running
 * @param keyStoreReachable whether the last key store probe succeeded
 * @param keyStoreLatency the latency of the last successful probe; {@link Duration#ZERO} if unknown
 */
public record ServiceStatus(
    String version, Duration uptime, boolean keyStoreReachable, Duration keyStoreLatency) {
  /** Validates. */
  public ServiceStatus {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(uptime, "uptime");
    Objects.requireNonNull(keyStoreLatency, "keyStoreLatency");
  }
}
