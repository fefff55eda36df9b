package dev.kes4j.policy.internal;

import java.util.List;

/**
 * Newest KES matching (spec §3): a pattern ending in {@code *} matches every path that starts with
 * the pattern minus that star (crossing {@code /}); any other pattern matches only itself; any
 * other {@code *}, {@code ?} or {@code [} is a literal; the empty pattern matches nothing.
 */
public final class PrefixPolicy extends PatternPolicy {
  private final String[] allowText;
  private final boolean[] allowPrefix;
  private final String[] denyText;
  private final boolean[] denyPrefix;

  /** A prefix policy over the given patterns (no validation needed: every string is a pattern). */
  public PrefixPolicy(List<String> allow, List<String> deny) {
    super(allow, deny);
    allowText = new String[allow().size()];
    allowPrefix = new boolean[allowText.length];
    prepare(allow(), allowText, allowPrefix);
    denyText = new String[deny().size()];
    denyPrefix = new boolean[denyText.length];
    prepare(deny(), denyText, denyPrefix);
  }

  private static void prepare(List<String> patterns, String[] text, boolean[] prefix) {
    for (int i = 0; i < text.length; i++) {
      String p = patterns.get(i);
      if (!p.isEmpty() && p.charAt(p.length() - 1) == '*') {
        text[i] = p.substring(0, p.length() - 1);
        prefix[i] = true;
      } else {
        text[i] = p; // empty: matched by equality only, and never (see matches)
      }
    }
  }

  /** Whether a single prefix-mode pattern matches a path. */
  public static boolean matches(String pattern, String path) {
    if (pattern.isEmpty()) {
      return false;
    }
    if (pattern.charAt(pattern.length() - 1) == '*') {
      return path.regionMatches(0, pattern, 0, pattern.length() - 1);
    }
    return path.equals(pattern);
  }

  private static boolean matches(String text, boolean prefix, String path) {
    if (prefix) {
      return path.startsWith(text);
    }
    return !text.isEmpty() && path.equals(text);
  }

  @Override
  public boolean isPrefix() {
    return true;
  }

  @Override
  protected boolean allowMatches(int index, String path) {
    return matches(allowText[index], allowPrefix[index], path);
  }

  @Override
  protected boolean denyMatches(int index, String path) {
    return matches(denyText[index], denyPrefix[index], path);
  }
}
