package dev.kes4j.keystore.gcp.internal;

/**
 * The cause attached to a store error: what the Secret Manager client reported, as text, without
 * exposing a gRPC or gax type above the store (STYLE §3). The original stack trace is kept for
 * logs. Never contains key material: status descriptions of Secret Manager name resources only.
 */
public final class RpcFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RpcFailure(String message, StackTraceElement[] stack) {
    super(message, null, false, true);
    setStackTrace(stack);
  }
}
