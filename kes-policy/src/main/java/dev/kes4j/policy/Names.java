package dev.kes4j.policy;

/**
 * The newest KES name rules (spec §6) as static methods: shorthand for {@link NameRules#STRICT}.
 * Use {@link NameRules#LENIENT} to accept the names KES 0.16 allowed. Thread-safe, allocation-free
 * on success.
 */
public final class Names {
  /** Maximum length of a name or listing pattern under the strict rules. */
  public static final int MAX_LENGTH = 80;

  private Names() {}

  /** {@link NameRules#isValidName} under {@link NameRules#STRICT}. */
  public static boolean isValidName(String name) {
    return NameRules.STRICT.isValidName(name);
  }

  /** {@link NameRules#isValidListPattern} under {@link NameRules#STRICT}. */
  public static boolean isValidListPattern(String pattern) {
    return NameRules.STRICT.isValidListPattern(pattern);
  }

  /**
   * {@link NameRules#checkKeyName} under {@link NameRules#STRICT}.
   *
   * @throws dev.kes4j.api.InvalidNameException (400) if invalid
   */
  public static String checkKeyName(String name) {
    return NameRules.STRICT.checkKeyName(name);
  }

  /**
   * {@link NameRules#checkPolicyName} under {@link NameRules#STRICT}.
   *
   * @throws dev.kes4j.api.InvalidNameException (400) if invalid
   */
  public static String checkPolicyName(String name) {
    return NameRules.STRICT.checkPolicyName(name);
  }

  /**
   * {@link NameRules#checkIdentity} under {@link NameRules#STRICT}.
   *
   * @throws dev.kes4j.api.InvalidNameException (400) if invalid
   */
  public static String checkIdentity(String identity) {
    return NameRules.STRICT.checkIdentity(identity);
  }

  /**
   * {@link NameRules#checkListPattern} under {@link NameRules#STRICT}.
   *
   * @throws dev.kes4j.api.InvalidNameException (400) if invalid
   */
  public static String checkListPattern(String pattern) {
    return NameRules.STRICT.checkListPattern(pattern);
  }
}
