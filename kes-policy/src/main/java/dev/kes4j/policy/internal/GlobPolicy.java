package dev.kes4j.policy.internal;

import java.util.List;

/**
 * KES 0.16 matching (spec §3): every pattern is a Go {@code path.Match} glob over the whole path
 * (see {@link Glob}); empty patterns are skipped, as 0.16.1 drops them at load.
 */
public final class GlobPolicy extends PatternPolicy {
  private final Glob[] allowGlobs;
  private final Glob[] denyGlobs;

  /**
   * Compiles every pattern.
   *
   * @throws IllegalArgumentException naming the first malformed pattern
   */
  public GlobPolicy(List<String> allow, List<String> deny) {
    super(allow, deny);
    allowGlobs = compile(allow());
    denyGlobs = compile(deny());
  }

  private static Glob[] compile(List<String> patterns) {
    Glob[] globs = new Glob[patterns.size()];
    for (int i = 0; i < globs.length; i++) {
      String p = patterns.get(i);
      if (p.isEmpty()) {
        continue; // null: never matches
      }
      try {
        globs[i] = Glob.compile(p);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid policy pattern '" + p + "': " + e.getMessage(), e);
      }
    }
    return globs;
  }

  /** The compiled allow patterns; null where the pattern is empty. */
  Glob[] allowGlobs() {
    return allowGlobs.clone();
  }

  /** The compiled deny patterns; null where the pattern is empty. */
  Glob[] denyGlobs() {
    return denyGlobs.clone();
  }

  @Override
  public boolean isPrefix() {
    return false;
  }

  @Override
  protected boolean allowMatches(int index, String path) {
    Glob g = allowGlobs[index];
    return g != null && g.matches(path);
  }

  @Override
  protected boolean denyMatches(int index, String path) {
    Glob g = denyGlobs[index];
    return g != null && g.matches(path);
  }
}
