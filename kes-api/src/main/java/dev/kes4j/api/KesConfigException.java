package dev.kes4j.api;

/**
 * A configuration is invalid; raised at startup, never for a request. The message names the
 * offending YAML path (and line where known) and never contains a secret value.
 */
public final class KesConfigException extends KesException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a message naming the offending setting. */
  public KesConfigException(String message) {
    super(500, message);
  }

  /** Creates the error with a message naming the offending setting and a cause. */
  public KesConfigException(String message, Throwable cause) {
    super(500, message, cause);
  }
}
