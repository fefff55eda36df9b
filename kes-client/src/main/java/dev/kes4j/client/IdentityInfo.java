package dev.kes4j.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a KES server says about the caller's own identity ({@code /v1/identity/self/describe}). Both
 * response shapes are understood: kms-go's (top-level {@code policy} name and {@code allow}/{@code
 * deny}) and KES 2023's ({@code policy_name} and a nested {@code policy} with arrays).
 *
 * @param identity the caller's identity (lowercase hex)
 * @param admin whether it is the server's admin identity
 * @param policy the name of the policy assigned to it; empty for the admin
 * @param allow the policy's allow patterns; empty for the admin
 * @param deny the policy's deny patterns; empty for the admin
 * @param createdAt when the identity was set up, or null if the server did not say
 */
public record IdentityInfo(
    String identity,
    boolean admin,
    String policy,
    List<String> allow,
    List<String> deny,
    Instant createdAt) {
  /** Validates and copies. */
  public IdentityInfo {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(policy, "policy");
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
  }
}
