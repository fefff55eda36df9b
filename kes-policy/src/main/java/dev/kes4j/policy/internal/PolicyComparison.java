package dev.kes4j.policy.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Decides whether every path one policy allows is also allowed by another, exactly, by exploring
 * the product of the patterns' automata (a breadth-first search over sets of pattern positions,
 * with the alphabet cut into the intervals the patterns can tell apart). Prefix patterns are the
 * literal followed by "anything"; glob patterns are their chunks with {@code *} = "anything but
 * {@code /}". Finds a shortest path allowed by the first policy and not by the second, if any.
 */
public final class PolicyComparison {
  /** Upper bound on explored states; realistic policies need a few hundred. */
  static final int MAX_STATES = 200_000;

  private static final int STAR = Integer.MIN_VALUE; // any run of non-'/' (glob '*')
  private static final int STAR_ALL = Integer.MIN_VALUE + 1; // any run (prefix '*')

  private PolicyComparison() {}

  /**
   * A path that {@code a} allows and {@code b} does not, or empty if there is none.
   *
   * @throws IllegalArgumentException if a glob pattern has a character class that can match {@code
   *     /} (Go's first-fit matching is not a regular language there), or the policies are too
   *     complex to compare (more than {@value #MAX_STATES} automaton states)
   */
  public static Optional<String> excessPath(PatternPolicy a, PatternPolicy b) {
    List<Pattern> patterns = new ArrayList<>();
    int aAllow = add(patterns, a, true);
    int aDeny = add(patterns, a, false);
    int bAllow = add(patterns, b, true);
    int bDeny = add(patterns, b, false);
    int[] groupEnd = {aAllow, aAllow + aDeny, aAllow + aDeny + bAllow, patterns.size()};
    assert groupEnd[3] == aAllow + aDeny + bAllow + bDeny;

    int[] offset = new int[patterns.size()];
    int total = 0;
    for (int k = 0; k < patterns.size(); k++) {
      offset[k] = total;
      total += patterns.get(k).ops.length + 1;
    }
    int[] alphabet = alphabet(patterns);

    BitSet start = new BitSet(total);
    for (int k = 0; k < patterns.size(); k++) {
      closure(patterns.get(k), 0, offset[k], start);
    }
    Map<BitSet, long[]> parent = new HashMap<>(); // state -> {parent index, code point}
    List<BitSet> states = new ArrayList<>();
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    parent.put(start, new long[] {-1, -1, 0});
    states.add(start);
    queue.add(0);
    while (!queue.isEmpty()) {
      int idx = queue.poll();
      BitSet s = states.get(idx);
      boolean aAllows =
          anyAccepting(patterns, offset, s, 0, groupEnd[0])
              && !anyAccepting(patterns, offset, s, groupEnd[0], groupEnd[1]);
      boolean bAllows =
          anyAccepting(patterns, offset, s, groupEnd[1], groupEnd[2])
              && !anyAccepting(patterns, offset, s, groupEnd[2], groupEnd[3]);
      if (aAllows && !bAllows) {
        return Optional.of(witness(parent, states, s));
      }
      if (!anyActive(patterns, offset, s, 0, groupEnd[0])) {
        continue; // no allow pattern of a is alive: a allows nothing below here
      }
      for (int c : alphabet) {
        BitSet next = new BitSet(total);
        for (int k = 0; k < patterns.size(); k++) {
          step(patterns.get(k), offset[k], s, c, next);
        }
        if (!parent.containsKey(next)) {
          if (states.size() >= MAX_STATES) {
            throw new IllegalArgumentException("policies are too complex to compare");
          }
          parent.put(next, new long[] {idx, c});
          states.add(next);
          queue.add(states.size() - 1);
        }
      }
    }
    return Optional.empty();
  }

  private static String witness(Map<BitSet, long[]> parent, List<BitSet> states, BitSet s) {
    StringBuilder reversed = new StringBuilder();
    long[] p = parent.get(s);
    while (p[0] >= 0) {
      reversed.append(new StringBuilder().appendCodePoint((int) p[1]).reverse());
      p = parent.get(states.get((int) p[0]));
    }
    return reversed.reverse().toString();
  }

  private static boolean anyAccepting(
      List<Pattern> patterns, int[] offset, BitSet s, int from, int to) {
    for (int k = from; k < to; k++) {
      if (s.get(offset[k] + patterns.get(k).ops.length)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyActive(
      List<Pattern> patterns, int[] offset, BitSet s, int from, int to) {
    for (int k = from; k < to; k++) {
      int next = s.nextSetBit(offset[k]);
      if (next >= 0 && next <= offset[k] + patterns.get(k).ops.length) {
        return true;
      }
    }
    return false;
  }

  private static void closure(Pattern p, int pos, int offset, BitSet into) {
    into.set(offset + pos);
    while (pos < p.ops.length && (p.ops[pos] == STAR || p.ops[pos] == STAR_ALL)) {
      pos++;
      into.set(offset + pos);
    }
  }

  private static void step(Pattern p, int offset, BitSet from, int c, BitSet into) {
    int n = p.ops.length;
    for (int i = from.nextSetBit(offset); i >= 0 && i < offset + n; i = from.nextSetBit(i + 1)) {
      int pos = i - offset;
      int op = p.ops[pos];
      if (op == STAR || op == STAR_ALL) {
        if (op == STAR_ALL || c != '/') {
          closure(p, pos, offset, into);
        }
      } else if (p.accepts(op, c)) {
        closure(p, pos + 1, offset, into);
      }
    }
  }

  /** One representative per interval of code points that no pattern can tell apart. */
  private static int[] alphabet(List<Pattern> patterns) {
    TreeSet<Integer> cuts = new TreeSet<>();
    cuts.add(0);
    cuts.add((int) '/');
    cuts.add('/' + 1);
    for (Pattern p : patterns) {
      for (int op : p.ops) {
        if (op >= 0) {
          cuts.add(op);
          cuts.add(op + 1);
        }
      }
      if (p.glob != null) {
        for (int cls = 0; cls < p.glob.classCount(); cls++) {
          int[] r = p.glob.classRanges(cls);
          for (int j = 0; j < r.length; j += 2) {
            cuts.add(r[j]);
            cuts.add(r[j + 1] + 1);
          }
        }
      }
    }
    cuts.removeIf(c -> c > Character.MAX_CODE_POINT);
    Integer[] starts = cuts.toArray(new Integer[0]);
    int[] reps = new int[starts.length];
    for (int k = 0; k < starts.length; k++) {
      int lo = starts[k];
      int hi = k + 1 < starts.length ? starts[k + 1] : Character.MAX_CODE_POINT + 1;
      reps[k] = lo <= 'x' && 'x' < hi ? 'x' : lo < 0x21 && 0x21 < hi ? 0x21 : lo;
    }
    return reps;
  }

  private static int add(List<Pattern> into, PatternPolicy policy, boolean allow) {
    List<String> texts = allow ? policy.allow() : policy.deny();
    int added = 0;
    if (policy instanceof PrefixPolicy) {
      for (String t : texts) {
        if (t.isEmpty()) {
          continue; // never matches
        }
        boolean prefix = t.charAt(t.length() - 1) == '*';
        String lit = prefix ? t.substring(0, t.length() - 1) : t;
        int[] cps = lit.codePoints().toArray();
        int[] ops = prefix ? java.util.Arrays.copyOf(cps, cps.length + 1) : cps;
        if (prefix) {
          ops[cps.length] = STAR_ALL;
        }
        into.add(new Pattern(ops, null));
        added++;
      }
    } else {
      GlobPolicy g = (GlobPolicy) policy;
      for (Glob glob : allow ? g.allowGlobs() : g.denyGlobs()) {
        if (glob == null) {
          continue;
        }
        if (glob.hasSlashMatchingClass()) {
          throw new IllegalArgumentException(
              "cannot compare glob pattern '"
                  + glob.pattern()
                  + "': a character class that can match '/' makes Go's matching irregular");
        }
        into.add(new Pattern(opsOf(glob), glob));
        added++;
      }
    }
    return added;
  }

  private static int[] opsOf(Glob glob) {
    List<Integer> ops = new ArrayList<>();
    for (int c = 0; c < glob.chunkCount(); c++) {
      if (glob.star(c)) {
        ops.add(STAR);
      }
      for (int op : glob.ops(c)) {
        ops.add(op);
      }
    }
    return ops.stream().mapToInt(Integer::intValue).toArray();
  }

  private static final class Pattern {
    final int[] ops;
    final Glob glob; // null for prefix patterns (literals only)

    Pattern(int[] ops, Glob glob) {
      this.ops = ops;
      this.glob = glob;
    }

    boolean accepts(int op, int c) {
      return glob == null ? op == c : glob.accepts(op, c);
    }
  }
}
