package dev.kes4j.core.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the known word an unknown one is a near miss of, for "did you mean …?" in config errors:
 * equal ignoring case, {@code _} and {@code -} ({@code projectid} → {@code project_id}), or within
 * a Damerau-Levenshtein (optimal string alignment) distance of 1 for words of up to 4 characters
 * and 2 for longer ones ({@code adress} → {@code address}, {@code alow} → {@code allow}). Stateless
 * and thread-safe.
 */
public final class Suggest {
  private Suggest() {}

  /**
   * The known word {@code word} is a near miss of, the closest first (ties: the alphabetically
   * first); empty if none is near or {@code word} itself is known.
   */
  public static Optional<String> nearest(String word, Collection<String> known) {
    if (known.contains(word)) {
      return Optional.empty();
    }
    String w = fold(word);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : new java.util.TreeSet<>(known)) { // sorted: ties resolve the same every run
      String f = fold(k);
      int d = f.equals(w) ? 0 : distance(w, f);
      int limit = Math.min(w.length(), f.length()) <= 4 ? 1 : 2;
      if (d <= limit && d < bestDistance && !f.isEmpty()) {
        best = k;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Lower case without {@code _}, {@code -} and spaces. */
  static String fold(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c != '_' && c != '-' && c != ' ') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
  static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 2) {
      return 3; // more than any limit, without the table
    }
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }
}
