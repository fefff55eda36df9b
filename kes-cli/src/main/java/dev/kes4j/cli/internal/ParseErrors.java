package dev.kes4j.cli.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Reports command-line mistakes (exit 2): picocli's message, then a suggestion only when a visible
 * command or option is a near miss of what was typed (no "Did you mean: kes4j doctor?" for {@code
 * tool}), else where to find the usage. Stateless and thread-safe.
 */
public final class ParseErrors implements CommandLine.IParameterExceptionHandler {
  /** The handler. */
  public ParseErrors() {}

  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    List<String> near = new ArrayList<>();
    String message = ErrorWords.clean(ex.getMessage());
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String typed = u.getUnmatched().get(0);
      if (typed.startsWith("-")) {
        message = "unknown option '" + typed + "'";
      } else if (!cl.getSubcommands().isEmpty()
          && cl.getCommandSpec().positionalParameters().isEmpty()) {
        message = "unknown command '" + typed + "'";
      }
      for (String s : u.getSuggestions()) {
        if (visible(cl, s) && near(typed, s)) {
          near.add(s);
        }
      }
    }
    err.println("kes4j: error: " + message);
    String name = cl.getCommandSpec().qualifiedName();
    if (!near.isEmpty()) {
      err.println(
          "Did you mean: "
              + String.join(" or ", near.stream().map(s -> name + " " + s).toList())
              + "?");
    }
    err.println("See '" + name + " --help'.");
    err.flush();
    return Exit.USAGE;
  }

  private static boolean visible(CommandLine cl, String suggestion) {
    CommandLine sub = cl.getSubcommands().get(suggestion);
    if (sub != null) {
      return !sub.getCommandSpec().usageMessage().hidden();
    }
    CommandLine.Model.OptionSpec o = cl.getCommandSpec().findOption(suggestion);
    return o == null || !o.hidden();
  }

  /** Whether {@code b} is what someone typing {@code a} probably meant. */
  static boolean near(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    if (x.length() >= 3 && (y.startsWith(x) || x.startsWith(y))) {
      return true;
    }
    return distance(x, y) <= Math.max(1, Math.min(x.length(), y.length()) / 3);
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
