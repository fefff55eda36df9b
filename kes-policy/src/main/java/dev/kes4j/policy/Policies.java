package dev.kes4j.policy;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.Policy;
import dev.kes4j.policy.internal.GlobPolicy;
import dev.kes4j.policy.internal.PatternPolicy;
import dev.kes4j.policy.internal.PolicyComparison;
import dev.kes4j.policy.internal.PrefixPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Factories for KES policies of either generation and a comparison between them.
 *
 * <p>A policy built here allows a path iff no deny pattern matches it and at least one allow
 * pattern does (deny beats allow; no match denies). Policies are immutable, thread-safe values
 * ({@code equals} by matching mode and pattern lists) whose {@link Policy#verify} does not
 * allocate. Nothing here blocks.
 */
public final class Policies {
  private Policies() {}

  /**
   * A policy with the given matching mode.
   *
   * @param matching how patterns match paths
   * @param allow the allow patterns, in configuration order (copied)
   * @param deny the deny patterns, in configuration order (copied)
   * @throws KesConfigException naming the pattern if {@code matching} is {@link
   *     PolicyMatching#GLOB} and a pattern is malformed
   * @throws NullPointerException if an argument or a pattern is null
   */
  public static Policy of(PolicyMatching matching, List<String> allow, List<String> deny) {
    Objects.requireNonNull(matching, "matching");
    Objects.requireNonNull(allow, "allow");
    Objects.requireNonNull(deny, "deny");
    if (matching == PolicyMatching.PREFIX) {
      return new PrefixPolicy(allow, deny);
    }
    try {
      return new GlobPolicy(allow, deny);
    } catch (IllegalArgumentException e) {
      throw new KesConfigException(e.getMessage(), e);
    }
  }

  /**
   * {@code of(PolicyMatching.PREFIX, allow, deny)}: newest KES matching. Never throws for content.
   */
  public static Policy prefix(List<String> allow, List<String> deny) {
    return of(PolicyMatching.PREFIX, allow, deny);
  }

  /**
   * {@code of(PolicyMatching.GLOB, allow, deny)}: KES 0.16 matching.
   *
   * @throws KesConfigException naming the pattern if a pattern is malformed
   */
  public static Policy glob(List<String> allow, List<String> deny) {
    return of(PolicyMatching.GLOB, allow, deny);
  }

  /**
   * Checks a single pattern's syntax for a matching mode: every string is a valid prefix pattern; a
   * glob pattern must follow Go's {@code path.Match} grammar.
   *
   * @throws KesConfigException naming the pattern if it is malformed
   */
  public static void checkPattern(PolicyMatching matching, String pattern) {
    of(matching, List.of(pattern), List.of());
  }

  /**
   * The matching mode of a policy built by this class, or empty for any other {@link Policy}
   * implementation.
   */
  public static Optional<PolicyMatching> matchingOf(Policy policy) {
    Objects.requireNonNull(policy, "policy");
    if (policy instanceof PatternPolicy) {
      return Optional.of(
          ((PatternPolicy) policy).isPrefix() ? PolicyMatching.PREFIX : PolicyMatching.GLOB);
    }
    return Optional.empty();
  }

  /**
   * Whether {@code a} grants nothing that {@code b} does not: every request path {@code a} allows,
   * {@code b} allows too (the set of paths {@code a.verify} accepts is a subset of {@code b}'s).
   * Decided exactly from the patterns, over all possible paths, not by sampling; the policies may
   * use different matching modes. Equal policies, and an empty {@code a}, are always subsets.
   *
   * <p>Typical use: may an identity be moved from policy {@code a} to {@code b} without losing
   * access? ({@code isSubset(a, b)}); is policy {@code b} no broader than {@code a}? ({@code
   * isSubset(b, a)}).
   *
   * @throws IllegalArgumentException if a policy was not built by this class; if a glob pattern
   *     contains a character class that can match {@code /} (such as {@code [^a]}), where Go's
   *     first-fit matching is not a regular language and no exact answer is computed; or if the
   *     policies are too complex to compare (over 200,000 automaton states)
   */
  public static boolean isSubset(Policy a, Policy b) {
    return excessPath(a, b).isEmpty();
  }

  /**
   * A shortest request path that {@code a} allows and {@code b} does not, or empty if {@link
   * #isSubset isSubset(a, b)}. Useful to explain a difference ("a allows /v1/key/delete/x, b does
   * not").
   *
   * @throws IllegalArgumentException as {@link #isSubset}
   */
  public static Optional<String> excessPath(Policy a, Policy b) {
    return PolicyComparison.excessPath(ours(a, "a"), ours(b, "b"));
  }

  private static PatternPolicy ours(Policy p, String name) {
    Objects.requireNonNull(p, name);
    if (!(p instanceof PatternPolicy)) {
      throw new IllegalArgumentException(
          "policy " + name + " was not built by dev.kes4j.policy.Policies");
    }
    return (PatternPolicy) p;
  }
}
