package dev.kes4j.api;

import java.util.List;

/**
 * A KES policy: allow and deny patterns over request paths (spec §3). A path is allowed iff no deny
 * pattern matches it and at least one allow pattern does. How a pattern matches depends on the
 * implementation (prefix matching as KES today, or glob matching as KES 0.16; see kes-policy).
 *
 * <p>Implementations are immutable and thread-safe, and {@link #verify} does not allocate.
 */
public interface Policy {
  /** The allow patterns, in configuration order. */
  List<String> allow();

  /** The deny patterns, in configuration order. */
  List<String> deny();

  /**
   * Whether this policy allows the percent-decoded request path (query excluded).
   *
   * @param path a request path such as {@code /v1/key/generate/my-key}
   */
  boolean verify(String path);
}
