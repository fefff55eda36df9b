package dev.kes4j.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code describe} reveals about a key; never key material.
 *
 * @param name the key name
 * @param algorithm the master key's algorithm
 * @param createdAt when the key was created; {@link Instant#EPOCH}-like Go zero time ({@code
 *     0001-01-01T00:00:00Z}) for keys written by KES versions that did not record it
 * @param createdBy the identity that created the key, or the empty string when unknown
 */
public record KeyInfo(String name, KeyAlgorithm algorithm, Instant createdAt, String createdBy) {
  /** Go's zero {@code time.Time}, which KES reports for keys without a creation time. */
  public static final Instant UNKNOWN_TIME = Instant.parse("0001-01-01T00:00:00Z");

  /** Validates. */
  public KeyInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(createdBy, "createdBy");
  }

  /** The creator, if the key records one. */
  public Optional<String> creator() {
    return createdBy.isEmpty() ? Optional.empty() : Optional.of(createdBy);
  }
}
