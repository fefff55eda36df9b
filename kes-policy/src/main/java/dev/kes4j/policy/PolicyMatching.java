package dev.kes4j.policy;

/** How a policy's patterns match request paths (spec §3). */
public enum PolicyMatching {
  /**
   * Newest KES (and kms-go): a pattern ending in {@code *} matches every path that starts with the
   * rest of the pattern (crossing {@code /}); any other pattern matches only itself; every other
   * character is literal; the empty pattern never matches.
   */
  PREFIX,
  /**
   * KES 0.16: Go {@code path.Match} globs over the whole path: {@code *} and {@code ?} stop at
   * {@code /}, {@code [...]} / {@code [^...]} classes with ranges, {@code \} escapes. Malformed
   * patterns are rejected when the policy is built; empty patterns never match.
   */
  GLOB
}
