package dev.kes4j.policy;

import dev.kes4j.api.Identity;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link PolicySet#authorize}: allowed or not, why, and which policy and rule
 * decided. Decisions are shared, pre-built values (one per policy rule), so authorizing allocates
 * nothing; they do not carry the identity or path — pass them to {@link #explain(Identity, String)}
 * when a log line is wanted. Immutable and thread-safe; compare by {@link #reason()}, {@link
 * #policyName()} and {@link #rule()}, not by reference.
 */
public final class Decision {
  /** Why a request is allowed or denied. */
  public enum Reason {
    /** The identity is the admin, which bypasses every policy. Allowed. */
    ADMIN,
    /** An allow rule of the identity's policy matches and no deny rule does. Allowed. */
    ALLOWED,
    /** A deny rule of the identity's policy matches (deny beats allow). Denied. */
    DENIED_BY_RULE,
    /** The identity's policy has no matching allow rule (and no matching deny rule). Denied. */
    NO_ALLOW_RULE,
    /** The identity is neither the admin nor assigned to a policy. Denied. */
    NO_POLICY
  }

  static final Decision ADMIN = new Decision(Reason.ADMIN, null, null);
  static final Decision NO_POLICY = new Decision(Reason.NO_POLICY, null, null);

  private final Reason reason;
  private final Optional<String> policyName;
  private final Optional<String> rule;

  Decision(Reason reason, String policyName, String rule) {
    this.reason = reason;
    this.policyName = Optional.ofNullable(policyName);
    this.rule = Optional.ofNullable(rule);
  }

  /** Whether the request is allowed ({@link Reason#ADMIN} or {@link Reason#ALLOWED}). */
  public boolean allowed() {
    return reason == Reason.ADMIN || reason == Reason.ALLOWED;
  }

  /** Why. */
  public Reason reason() {
    return reason;
  }

  /**
   * The name of the policy that decided; empty for {@link Reason#ADMIN} and {@link
   * Reason#NO_POLICY}.
   */
  public Optional<String> policyName() {
    return policyName;
  }

  /**
   * The pattern that decided: the allow rule for {@link Reason#ALLOWED}, the deny rule for {@link
   * Reason#DENIED_BY_RULE}; empty otherwise.
   */
  public Optional<String> rule() {
    return rule;
  }

  /**
   * A readable one-liner without identity and path, such as {@code policy 'minio': denied by deny
   * rule '/v1/key/delete/*'}. Built on each call.
   */
  public String explain() {
    switch (reason) {
      case ADMIN:
        return "is the admin: allowed";
      case NO_POLICY:
        return "has no policy: denied";
      case ALLOWED:
        return "policy '" + policyName.get() + "': allowed by allow rule '" + rule.get() + "'";
      case DENIED_BY_RULE:
        return "policy '" + policyName.get() + "': denied by deny rule '" + rule.get() + "'";
      default:
        return "policy '" + policyName.get() + "': denied, no allow rule matches";
    }
  }

  /**
   * A readable one-liner for logs, such as {@code identity 3ecfcdf3… policy 'minio': denied by deny
   * rule '/v1/key/delete/*' for /v1/key/delete/k1}. A 64-hex identity is shortened to its first
   * eight digits; control characters in the path are escaped so that a request cannot forge log
   * lines. Built on each call.
   */
  public String explain(Identity identity, String path) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(path, "path");
    String id = identity.value();
    if (identity.isHash()) {
      id = id.substring(0, 8) + "…";
    }
    return "identity " + escape(id) + " " + explain() + " for " + escape(path);
  }

  private static String escape(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (b == null) {
          b = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        b.append(String.format("\\u%04x", (int) c));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  /** Same as {@link #explain()}. */
  @Override
  public String toString() {
    return explain();
  }
}
