package dev.kes4j.policy;

import dev.kes4j.api.InvalidNameException;
import java.util.Objects;

/**
 * The rules for key names, policy names, identities and listing patterns (spec §6), in two
 * strengths: {@link #STRICT} (newest KES) and {@link #LENIENT} (what KES 0.16 accepted, for reading
 * keys created by old servers). Every string valid under {@code STRICT} is valid under {@code
 * LENIENT}.
 *
 * <p>Checks are a single pass over the characters (no regular expressions), allocate nothing on
 * success, and are thread-safe. Names are not secrets: error messages quote them, as KES does.
 */
public enum NameRules {
  /**
   * Newest KES: non-empty, at most {@value Names#MAX_LENGTH} characters, not exactly {@code _},
   * only {@code 0-9 A-Z a-z _ -}, and {@code -} neither first nor last. Listing patterns: the same
   * alphabet (no rule for {@code -}) plus {@code *} only as the last character, at most {@value
   * Names#MAX_LENGTH} characters, not exactly {@code _}; the empty pattern (all) is valid.
   */
  STRICT {
    @Override
    public boolean isValidName(String name) {
      int n = name.length();
      if (n == 0 || n > Names.MAX_LENGTH || (n == 1 && name.charAt(0) == '_')) {
        return false;
      }
      if (name.charAt(0) == '-' || name.charAt(n - 1) == '-') {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (!alphabet(name.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean isValidListPattern(String pattern) {
      int n = pattern.length();
      if (n > Names.MAX_LENGTH || (n == 1 && pattern.charAt(0) == '_')) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        char c = pattern.charAt(i);
        if (!alphabet(c) && !(c == '*' && i == n - 1)) {
          return false;
        }
      }
      return true;
    }
  },

  /**
   * KES 0.16: a name is any non-empty string without {@code /} (it was the last element of the URL
   * path); a listing pattern is any string without {@code /}, empty included. No length limit.
   */
  LENIENT {
    @Override
    public boolean isValidName(String name) {
      return !name.isEmpty() && name.indexOf('/') < 0;
    }

    @Override
    public boolean isValidListPattern(String pattern) {
      return pattern.indexOf('/') < 0;
    }
  };

  private static boolean alphabet(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-';
  }

  /**
   * Whether {@code name} is a valid key name, policy name or identity under these rules.
   *
   * @throws NullPointerException if {@code name} is null
   */
  public abstract boolean isValidName(String name);

  /**
   * Whether {@code pattern} is a valid key listing pattern under these rules.
   *
   * @throws NullPointerException if {@code pattern} is null
   */
  public abstract boolean isValidListPattern(String pattern);

  /**
   * Returns {@code name} if it is a valid key name.
   *
   * @throws InvalidNameException (400) {@code key name '<name>' is empty, too long or contains
   *     invalid characters}
   */
  public String checkKeyName(String name) {
    if (!isValidName(Objects.requireNonNull(name, "name"))) {
      throw InvalidNameException.keyName(name);
    }
    return name;
  }

  /**
   * Returns {@code name} if it is a valid policy name.
   *
   * @throws InvalidNameException (400) {@code policy name '<name>' is empty, too long or contains
   *     invalid characters}
   */
  public String checkPolicyName(String name) {
    if (!isValidName(Objects.requireNonNull(name, "name"))) {
      throw InvalidNameException.policyName(name);
    }
    return name;
  }

  /**
   * Returns {@code identity} if it is a valid identity string (a 64-hex identity and {@code
   * disabled} both are).
   *
   * @throws InvalidNameException (400) {@code identity '<identity>' is empty, too long or contains
   *     invalid characters}
   */
  public String checkIdentity(String identity) {
    if (!isValidName(Objects.requireNonNull(identity, "identity"))) {
      throw InvalidNameException.identity(identity);
    }
    return identity;
  }

  /**
   * Returns {@code pattern} if it is a valid listing pattern.
   *
   * @throws InvalidNameException (400) {@code listing pattern '<pattern>' is empty, too long or is
   *     invalid}
   */
  public String checkListPattern(String pattern) {
    if (!isValidListPattern(Objects.requireNonNull(pattern, "pattern"))) {
      throw InvalidNameException.listPattern(pattern);
    }
    return pattern;
  }
}
