package dev.kes4j.api;

/**
 * A key name, policy name, identity or listing pattern breaks KES's naming rules (HTTP 400, spec
 * §6). The message quotes the offending value, as KES does; names are not secrets.
 */
public final class InvalidNameException extends KesException {
  private static final long serialVersionUID = 1L;

  private InvalidNameException(String message) {
    super(400, message);
  }

  /** {@code key name '<name>' is empty, too long or contains invalid characters}. */
  public static InvalidNameException keyName(String name) {
    return new InvalidNameException(
        "key name '" + name + "' is empty, too long or contains invalid characters");
  }

  /** {@code policy name '<name>' is empty, too long or contains invalid characters}. */
  public static InvalidNameException policyName(String name) {
    return new InvalidNameException(
        "policy name '" + name + "' is empty, too long or contains invalid characters");
  }

  /** {@code identity '<identity>' is empty, too long or contains invalid characters}. */
  public static InvalidNameException identity(String identity) {
    return new InvalidNameException(
        "identity '" + identity + "' is empty, too long or contains invalid characters");
  }

  /** {@code listing pattern '<pattern>' is empty, too long or is invalid}. */
  public static InvalidNameException listPattern(String pattern) {
    return new InvalidNameException(
        "listing pattern '" + pattern + "' is empty, too long or is invalid");
  }
}
