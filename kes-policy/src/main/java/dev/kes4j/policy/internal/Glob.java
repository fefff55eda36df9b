package dev.kes4j.policy.internal;

/**
 * A compiled Go {@code path.Match} pattern (KES 0.16 policies, spec §3).
 *
 * <p>Syntax: {@code *} matches any run of non-{@code /} characters, {@code ?} one non-{@code /}
 * character, {@code [...]} / {@code [^...]} a character class of single characters and {@code
 * lo-hi} ranges, {@code \c} the character {@code c}; the whole name must match. Classes are exactly
 * as Go has them: they may match {@code /}, {@code ]} and {@code -} must be escaped inside them, a
 * class must be non-empty, and a range with {@code lo > hi} is legal but empty.
 *
 * <p>Matching follows Go's algorithm, not a regular-expression reading: the pattern is cut into
 * chunks at each run of stars and each chunk after a star takes the <em>first</em> position where
 * it matches (only the last chunk looks further, for a match that ends the name). The two readings
 * agree unless a class that can match {@code /} follows a star; there Go may say no where a regex
 * would say yes (for {@code *[^x]*c} against {@code ab/c}), and so do we. One deliberate
 * difference: we step over code points where Go steps over UTF-8 bytes, which only matters for
 * non-ASCII names against {@code ?} or a negated class after a star.
 *
 * <p>Immutable and thread-safe; {@link #matches} does not allocate.
 */
public final class Glob {
  /** Op code: {@code ?}. Literal ops are the code point itself (>= 0). */
  static final int ANY = -1;

  /** Op codes {@code <= CLASS_BASE} denote class number {@code CLASS_BASE - op}. */
  static final int CLASS_BASE = -2;

  private final String pattern;
  private final boolean[] star; // per chunk: preceded by one or more stars
  private final int[][] ops; // per chunk: single-character operations
  private final int[][] classRanges; // per class: lo0, hi0, lo1, hi1, ...
  private final boolean[] classNegated;
  private final boolean slashClass; // some class can match '/'

  private Glob(
      String pattern,
      boolean[] star,
      int[][] ops,
      int[][] classRanges,
      boolean[] classNegated,
      boolean slashClass) {
    this.pattern = pattern;
    this.star = star;
    this.ops = ops;
    this.classRanges = classRanges;
    this.classNegated = classNegated;
    this.slashClass = slashClass;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException with Go's text {@code syntax error in pattern} if the pattern
   *     is malformed (unterminated or empty class, unescaped {@code -} or {@code ]} in a class, a
   *     trailing {@code \})
   */
  public static Glob compile(String pattern) {
    return new Parser(pattern).parse();
  }

  /** The pattern as written. */
  public String pattern() {
    return pattern;
  }

  /** Whether some character class of this pattern can match {@code /}. */
  public boolean hasSlashMatchingClass() {
    return slashClass;
  }

  int chunkCount() {
    return ops.length;
  }

  boolean star(int chunk) {
    return star[chunk];
  }

  int[] ops(int chunk) {
    return ops[chunk];
  }

  int classCount() {
    return classRanges.length;
  }

  int[] classRanges(int cls) {
    return classRanges[cls];
  }

  boolean classNegated(int cls) {
    return classNegated[cls];
  }

  /** Whether a single-character op accepts code point {@code c}. */
  boolean accepts(int op, int c) {
    if (op >= 0) {
      return op == c;
    }
    if (op == ANY) {
      return c != '/';
    }
    int cls = CLASS_BASE - op;
    int[] r = classRanges[cls];
    boolean in = false;
    for (int i = 0; i < r.length; i += 2) {
      if (r[i] <= c && c <= r[i + 1]) {
        in = true;
        break;
      }
    }
    return in != classNegated[cls];
  }

  /** Whether the whole of {@code name} matches, with Go's {@code path.Match} algorithm. */
  public boolean matches(String name) {
    int len = name.length();
    int pos = 0;
    int chunks = ops.length;
    for (int c = 0; c < chunks; c++) {
      boolean last = c == chunks - 1;
      int[] chunk = ops[c];
      if (star[c] && chunk.length == 0) {
        // trailing star: the rest must not contain '/'
        return name.indexOf('/', pos) < 0;
      }
      int t = matchChunk(chunk, name, pos);
      if (t >= 0 && (t == len || !last)) {
        pos = t;
        continue;
      }
      if (!star[c]) {
        return false;
      }
      boolean found = false;
      for (int i = pos; i < len && name.charAt(i) != '/'; ) {
        i += Character.charCount(name.codePointAt(i));
        t = matchChunk(chunk, name, i);
        if (t >= 0) {
          if (last && t < len) {
            continue;
          }
          pos = t;
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return pos == len;
  }

  /** Matches a chunk at {@code pos}; returns the end index or -1. */
  private int matchChunk(int[] chunk, String s, int pos) {
    int len = s.length();
    for (int op : chunk) {
      if (pos >= len) {
        return -1;
      }
      int c = s.codePointAt(pos);
      if (!accepts(op, c)) {
        return -1;
      }
      pos += Character.charCount(c);
    }
    return pos;
  }

  @Override
  public String toString() {
    return pattern;
  }

  /** One pass over the pattern with Go's grammar; every error is Go's ErrBadPattern. */
  private static final class Parser {
    private final String p;
    private int i;
    private final java.util.List<Boolean> stars = new java.util.ArrayList<>();
    private final java.util.List<int[]> chunks = new java.util.ArrayList<>();
    private final java.util.List<int[]> classes = new java.util.ArrayList<>();
    private final java.util.List<Boolean> negations = new java.util.ArrayList<>();
    private boolean slashClass;

    Parser(String p) {
      this.p = p;
    }

    Glob parse() {
      int n = p.length();
      while (i < n) {
        // like Go's scanChunk: a run of stars, then single-character ops up to the next star
        boolean star = false;
        while (i < n && p.charAt(i) == '*') {
          star = true;
          i++;
        }
        IntList current = new IntList();
        while (i < n && p.charAt(i) != '*') {
          int c = p.codePointAt(i);
          if (c == '?') {
            current.add(ANY);
            i++;
          } else if (c == '[') {
            i++;
            current.add(CLASS_BASE - parseClass());
          } else if (c == '\\') {
            i++;
            if (i >= n) {
              throw bad();
            }
            int e = p.codePointAt(i);
            current.add(e);
            i += Character.charCount(e);
          } else {
            current.add(c);
            i += Character.charCount(c);
          }
        }
        stars.add(star);
        chunks.add(current.toArray());
      }
      boolean[] s = new boolean[stars.size()];
      for (int k = 0; k < s.length; k++) {
        s[k] = stars.get(k);
      }
      boolean[] neg = new boolean[negations.size()];
      for (int k = 0; k < neg.length; k++) {
        neg[k] = negations.get(k);
      }
      return new Glob(
          p, s, chunks.toArray(new int[0][]), classes.toArray(new int[0][]), neg, slashClass);
    }

    /** Parses a class after its '['; returns its number. */
    private int parseClass() {
      boolean negated = false;
      if (i < p.length() && p.charAt(i) == '^') {
        negated = true;
        i++;
      }
      IntList ranges = new IntList();
      int count = 0;
      boolean slash = false;
      while (true) {
        if (i < p.length() && p.charAt(i) == ']' && count > 0) {
          i++;
          break;
        }
        int lo = classChar();
        int hi = lo;
        if (p.charAt(i) == '-') { // classChar guarantees i < length
          i++;
          hi = classChar();
        }
        ranges.add(lo);
        ranges.add(hi);
        if (lo <= '/' && '/' <= hi) {
          slash = true;
        }
        count++;
      }
      classes.add(ranges.toArray());
      negations.add(negated);
      if (slash != negated) {
        slashClass = true;
      }
      return classes.size() - 1;
    }

    /** Go's getEsc: a possibly escaped class character, which must be followed by more pattern. */
    private int classChar() {
      int n = p.length();
      if (i >= n || p.charAt(i) == '-' || p.charAt(i) == ']') {
        throw bad();
      }
      if (p.charAt(i) == '\\') {
        i++;
        if (i >= n) {
          throw bad();
        }
      }
      int c = p.codePointAt(i);
      i += Character.charCount(c);
      if (i >= n) {
        throw bad();
      }
      return c;
    }

    private static IllegalArgumentException bad() {
      return new IllegalArgumentException("syntax error in pattern");
    }
  }

  private static final class IntList {
    int[] a = new int[8];
    int size;

    void add(int v) {
      if (size == a.length) {
        a = java.util.Arrays.copyOf(a, size * 2);
      }
      a[size++] = v;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(a, size);
    }
  }
}
