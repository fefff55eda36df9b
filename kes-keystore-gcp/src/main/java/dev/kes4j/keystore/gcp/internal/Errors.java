package dev.kes4j.keystore.gcp.internal;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyStoreUnreachableException;

/** Translates Secret Manager client failures into kes4j errors, once, at the store's edge. */
public final class Errors {
  /** KES's message for a failed create. */
  public static final String CREATE = "failed to create key";

  /** KES's message for a failed read. */
  public static final String READ = "failed to read key";

  /** KES's message for a failed delete. */
  public static final String DELETE = "failed to delete key";

  /** KES's message for a failed listing. */
  public static final String LIST = "failed to list keys";

  private Errors() {}

  /** The gRPC status code of a client failure, or {@code UNKNOWN} for anything else. */
  public static StatusCode.Code code(RuntimeException e) {
    return e instanceof ApiException api ? api.getStatusCode().getCode() : StatusCode.Code.UNKNOWN;
  }

  /** Whether the failure is a status answered by (or on behalf of) the service. */
  public static boolean isServiceAnswer(RuntimeException e) {
    return e instanceof ApiException;
  }

  /**
   * Maps a failure that is not one of the operation's expected outcomes: {@code UNAVAILABLE} →
   * {@link KeyStoreUnreachableException} (502), {@code DEADLINE_EXCEEDED} → unreachable with {@code
   * timedOut} (504), anything else → {@link KesException} 502. The cause is a {@link RpcFailure}.
   *
   * @param rpc the RPC that failed, for the cause text
   * @param message KES's message for the operation
   */
  public static KesException translate(String rpc, String message, RuntimeException e) {
    StatusCode.Code code = code(e);
    RpcFailure cause = describe(rpc, e);
    return switch (code) {
      case DEADLINE_EXCEEDED -> new KeyStoreUnreachableException(true, message, cause);
      case UNAVAILABLE -> new KeyStoreUnreachableException(false, message, cause);
      default -> new KesException(502, message, cause);
    };
  }

  /**
   * A cause in words: what happened, the service's own description (resource names, never key
   * material), then the RPC and status code, e.g. {@code permission denied by the key store:
   * Permission 'secretmanager.secrets.create' denied for resource 'projects/p' (CreateSecret:
   * PERMISSION_DENIED)}. No Java class names.
   */
  public static RpcFailure describe(String rpc, Throwable e) {
    StringBuilder text = new StringBuilder();
    if (e instanceof ApiException api) {
      StatusCode.Code code = api.getStatusCode().getCode();
      text.append(words(code));
      String description = description(api, code);
      if (!description.isEmpty()) {
        text.append(": ").append(description);
      }
      text.append(" (").append(rpc).append(": ").append(code).append(')');
    } else {
      text.append("the Secret Manager client failed: ").append(plain(e));
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      if (root != e) {
        text.append(": ").append(plain(root));
      }
      text.append(" (").append(rpc).append(')');
    }
    return new RpcFailure(text.toString(), e.getStackTrace());
  }

  private static String words(StatusCode.Code code) {
    return switch (code) {
      case PERMISSION_DENIED -> "permission denied by the key store";
      case UNAUTHENTICATED -> "the key store rejected the credentials";
      case NOT_FOUND -> "not found in the key store";
      case UNAVAILABLE -> "the key store is unreachable";
      case DEADLINE_EXCEEDED -> "the key store did not answer in time";
      case RESOURCE_EXHAUSTED -> "the key store's quota is exhausted";
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE ->
          "the key store rejected the request";
      case CANCELLED -> "the call to the key store was cancelled";
      default -> "the key store failed";
    };
  }

  /** The status description: the text after "CODE: " in gax's message. */
  private static String description(ApiException api, StatusCode.Code code) {
    String m = api.getMessage() == null ? "" : api.getMessage();
    String marker = code.name() + ": ";
    int at = m.indexOf(marker);
    return (at >= 0 ? m.substring(at + marker.length()) : stripClassName(m)).trim();
  }

  /** A message without a leading {@code some.package.SomeException: }. */
  private static String plain(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? "no reason given" : stripClassName(m.trim());
  }

  private static String stripClassName(String m) {
    return m.replaceFirst("^([a-z_][\\w$]*\\.)+[A-Z][\\w$]*: ", "");
  }
}
