package dev.kes4j.policy.internal;

import dev.kes4j.api.Policy;
import java.util.List;
import java.util.Objects;

/**
 * Base of our two {@link Policy} implementations: allow and deny pattern lists plus the index of
 * the first pattern that matches a path, so that a policy set can report which rule decided.
 * Immutable and thread-safe; matching does not allocate.
 */
public abstract class PatternPolicy implements Policy {
  private final List<String> allow;
  private final List<String> deny;

  PatternPolicy(List<String> allow, List<String> deny) {
    this.allow = List.copyOf(allow);
    this.deny = List.copyOf(deny);
  }

  /** Whether this policy is a prefix (newest KES) policy rather than a glob (KES 0.16) one. */
  public abstract boolean isPrefix();

  /** Whether allow pattern {@code index} matches {@code path}. */
  protected abstract boolean allowMatches(int index, String path);

  /** Whether deny pattern {@code index} matches {@code path}. */
  protected abstract boolean denyMatches(int index, String path);

  @Override
  public final List<String> allow() {
    return allow;
  }

  @Override
  public final List<String> deny() {
    return deny;
  }

  /** Index of the first deny pattern matching {@code path}, or -1. */
  public final int firstDeny(String path) {
    for (int i = 0, n = deny.size(); i < n; i++) {
      if (denyMatches(i, path)) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the first allow pattern matching {@code path}, or -1. */
  public final int firstAllow(String path) {
    for (int i = 0, n = allow.size(); i < n; i++) {
      if (allowMatches(i, path)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public final boolean verify(String path) {
    Objects.requireNonNull(path, "path");
    return firstDeny(path) < 0 && firstAllow(path) >= 0;
  }

  @Override
  public final boolean equals(Object o) {
    return o instanceof PatternPolicy other
        && other.isPrefix() == isPrefix()
        && other.allow.equals(allow)
        && other.deny.equals(deny);
  }

  @Override
  public final int hashCode() {
    return Objects.hash(isPrefix(), allow, deny);
  }

  @Override
  public final String toString() {
    return "Policy[matching="
        + (isPrefix() ? "PREFIX" : "GLOB")
        + ", allow="
        + allow
        + ", deny="
        + deny
        + "]";
  }
}
