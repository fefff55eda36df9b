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

  /** A plain-text cause naming the RPC, the status code and the root cause. */
  public static RpcFailure describe(String rpc, Throwable e) {
    StringBuilder text = new StringBuilder(rpc).append(": ");
    if (e instanceof ApiException api) {
      text.append(api.getStatusCode().getCode()).append(": ");
    } else {
      text.append(e.getClass().getName()).append(": ");
    }
    text.append(e.getMessage());
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e) {
      text.append(" (").append(root.getClass().getName()).append(": ");
      text.append(root.getMessage()).append(')');
    }
    return new RpcFailure(text.toString(), e.getStackTrace());
  }
}
