package dev.kes4j.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A policy as a KES server reports it ({@code /v1/policy/describe/} or {@code /v1/policy/read/}).
 *
 * @param name the policy name
 * @param allow the allow patterns, sorted; empty from {@link KesClient#describePolicy}
 * @param deny the deny patterns, sorted; empty from {@link KesClient#describePolicy}
 * @param createdAt when the policy was defined, or null if the server did not say
 * @param createdBy the identity that defined it; empty if unknown
 */
public record PolicyInfo(
    String name, List<String> allow, List<String> deny, Instant createdAt, String createdBy) {
  /** Validates and copies. */
  public PolicyInfo {
    Objects.requireNonNull(name, "name");
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
    Objects.requireNonNull(createdBy, "createdBy");
  }
}
