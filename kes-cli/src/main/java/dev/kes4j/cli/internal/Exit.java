package dev.kes4j.cli.internal;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.NotAuthorizedException;

/**
 * The exit codes of {@code kes4j}, which scripts may rely on, and how an error maps to one.
 * Stateless.
 */
public final class Exit {
  /** Success. */
  public static final int OK = 0;

  /** The server or the operation failed (key exists, decryption failed, key store down …). */
  public static final int ERROR = 1;

  /** Bad command line: unknown flags, missing arguments or credentials, malformed values. */
  public static final int USAGE = 2;

  /** The key, policy or identity does not exist (HTTP 404). */
  public static final int NOT_FOUND = 3;

  /** The identity may not do this (HTTP 403), or the server refused the client certificate. */
  public static final int NOT_AUTHORIZED = 4;

  /** No server could be reached: DNS, TCP, TLS (such as an untrusted server certificate). */
  public static final int UNREACHABLE = 5;

  /** The help text that documents the codes. */
  public static final String HELP =
      "Exit codes: 0 ok, 1 server or operation error, 2 usage error, 3 not found,"
          + " 4 not authorized, 5 server unreachable (DNS, TCP, TLS).";

  private Exit() {}

  /** The exit code for an error a command let escape. */
  public static int of(Throwable e) {
    if (e instanceof IllegalArgumentException) {
      return USAGE;
    }
    if (e instanceof KesConfigException) {
      return ERROR; // a file or setting that cannot be used: not a command-line mistake
    }
    if (e instanceof NotAuthorizedException) {
      return NOT_AUTHORIZED;
    }
    if (e instanceof KesException k) {
      String m = String.valueOf(k.getMessage());
      if (k.status() == 404) {
        return NOT_FOUND;
      }
      if (k.status() == 403) {
        return NOT_AUTHORIZED;
      }
      if ((k.status() == 503 || k.status() == 504)
          && (m.startsWith("cannot connect to KES server")
              || m.startsWith("request to KES server")
              || (m.startsWith("KES server ") && m.contains("did not answer")))) {
        return UNREACHABLE;
      }
      return ERROR;
    }
    return ERROR;
  }

  /**
   * The one-line message for an error (never a stack trace, a Java class name or a secret): the
   * cause in words, see {@link ErrorWords}.
   */
  public static String message(Throwable e) {
    return ErrorWords.message(e);
  }
}
