package dev.kes4j.policy;

import dev.kes4j.api.Identity;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.Policy;
import dev.kes4j.policy.internal.PatternPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who may do what (spec §2.4, §3): named policies, the identity → policy assignment (at most one
 * policy per identity) and the admin identity, which bypasses every policy. A request is allowed
 * iff its identity is the admin, or its identity's policy allows the request path; an identity
 * without a policy is denied.
 *
 * <pre>{@code
 * PolicySet set = PolicySet.builder()
 *     .admin(Identity.of("disabled"))
 *     .policy("minio", Policies.prefix(List.of("/v1/key/create/*", "/v1/status"), List.of()))
 *     .assign(Identity.of("3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22"), "minio")
 *     .build();
 * Decision d = set.authorize(identity, "/v1/key/create/my-key");
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #authorize} neither blocks nor allocates.
 */
public final class PolicySet {
  private final Identity admin; // null if disabled
  private final Map<String, Policy> policies; // sorted by name
  private final Map<Identity, Entry> assignments;
  private final List<Identity> identities; // sorted

  private PolicySet(
      Identity admin, Map<String, Policy> policies, Map<Identity, Entry> assignments) {
    this.admin = admin;
    this.policies = policies;
    this.assignments = assignments;
    this.identities = List.copyOf(new TreeSet<>(assignments.keySet()));
  }

  /** A builder with the admin disabled, no policies and strict name rules. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides whether {@code identity} may request {@code requestPath}.
   *
   * @param identity the caller
   * @param requestPath the percent-decoded URL path, without query, such as {@code
   *     /v1/key/create/my-key}
   * @return a shared decision; never null
   */
  public Decision authorize(Identity identity, String requestPath) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(requestPath, "requestPath");
    if (admin != null && admin.equals(identity)) {
      return Decision.ADMIN;
    }
    Entry e = assignments.get(identity);
    if (e == null) {
      return Decision.NO_POLICY;
    }
    int d = e.policy.firstDeny(requestPath);
    if (d >= 0) {
      return e.deny[d];
    }
    int a = e.policy.firstAllow(requestPath);
    if (a >= 0) {
      return e.allow[a];
    }
    return e.noAllow;
  }

  /** The policy with this name, or empty. */
  public Optional<Policy> policy(String name) {
    Objects.requireNonNull(name, "name");
    return Optional.ofNullable(policies.get(name));
  }

  /** All policy names, sorted. */
  public List<String> policyNames() {
    return List.copyOf(policies.keySet());
  }

  /** The name of the policy assigned to {@code identity}, or empty (also for the admin). */
  public Optional<String> policyOf(Identity identity) {
    Objects.requireNonNull(identity, "identity");
    Entry e = assignments.get(identity);
    return e == null ? Optional.empty() : Optional.of(e.name);
  }

  /** Every identity assigned to a policy, sorted; the admin is not among them. */
  public List<Identity> identities() {
    return identities;
  }

  /** The identities assigned to the named policy, sorted; empty for an unknown name. */
  public List<Identity> identitiesOf(String policyName) {
    Objects.requireNonNull(policyName, "policyName");
    List<Identity> out = new ArrayList<>();
    for (Identity id : identities) {
      if (assignments.get(id).name.equals(policyName)) {
        out.add(id);
      }
    }
    return List.copyOf(out);
  }

  /** The admin identity, or empty if the admin is disabled. */
  public Optional<Identity> admin() {
    return Optional.ofNullable(admin);
  }

  /** Whether {@code identity} is the (enabled) admin. */
  public boolean isAdmin(Identity identity) {
    Objects.requireNonNull(identity, "identity");
    return admin != null && admin.equals(identity);
  }

  @Override
  public String toString() {
    return "PolicySet[admin="
        + (admin == null ? "<disabled>" : admin.value())
        + ", policies="
        + policies.keySet()
        + ", identities="
        + identities.size()
        + "]";
  }

  /** One assigned identity's policy with its pre-built decisions. */
  private static final class Entry {
    final String name;
    final PatternPolicy policy;
    final Decision[] allow;
    final Decision[] deny;
    final Decision noAllow;

    Entry(String name, PatternPolicy policy, Decision[] allow, Decision[] deny, Decision noAllow) {
      this.name = name;
      this.policy = policy;
      this.allow = allow;
      this.deny = deny;
      this.noAllow = noAllow;
    }
  }

  /**
   * Collects policies, assignments and the admin; {@link #build()} validates everything at once.
   * Not thread-safe; each {@code build()} returns an independent immutable set.
   */
  public static final class Builder {
    private Identity admin;
    private final List<Map.Entry<String, Policy>> policies = new ArrayList<>();
    private final List<Map.Entry<Identity, String>> assignments = new ArrayList<>();
    private NameRules nameRules = NameRules.STRICT;

    private Builder() {}

    /**
     * The admin identity. A value that is not 64 lowercase hex digits (such as {@code disabled} or
     * {@code _}, as KES docs suggest) disables the admin.
     */
    public Builder admin(Identity admin) {
      this.admin = Objects.requireNonNull(admin, "admin");
      return this;
    }

    /** No admin (the default). */
    public Builder adminDisabled() {
      this.admin = null;
      return this;
    }

    /**
     * Adds a named policy.
     *
     * @throws IllegalArgumentException if {@code policy} was not built by {@link Policies}
     */
    public Builder policy(String name, Policy policy) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(policy, "policy");
      if (!(policy instanceof PatternPolicy)) {
        throw new IllegalArgumentException(
            "policy '" + name + "' was not built by dev.kes4j.policy.Policies");
      }
      policies.add(Map.entry(name, policy));
      return this;
    }

    /**
     * Adds a named policy built from patterns.
     *
     * @throws KesConfigException naming the policy and the pattern if a glob pattern is malformed
     */
    public Builder policy(
        String name, PolicyMatching matching, List<String> allow, List<String> deny) {
      Objects.requireNonNull(name, "name");
      Policy p;
      try {
        p = Policies.of(matching, allow, deny);
      } catch (KesConfigException e) {
        throw new KesConfigException("policy '" + name + "': " + e.getMessage(), e);
      }
      return policy(name, p);
    }

    /** Assigns {@code identity} to the named policy. */
    public Builder assign(Identity identity, String policyName) {
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(policyName, "policyName");
      assignments.add(Map.entry(identity, policyName));
      return this;
    }

    /** The rules policy names and identities must follow; {@link NameRules#STRICT} by default. */
    public Builder nameRules(NameRules rules) {
      this.nameRules = Objects.requireNonNull(rules, "rules");
      return this;
    }

    /**
     * Builds the set.
     *
     * @throws KesConfigException if a policy name is defined twice or breaks the name rules; an
     *     identity breaks the name rules, is assigned twice (even to the same policy), is assigned
     *     to a policy that does not exist, or is the admin identity
     */
    public PolicySet build() {
      Map<String, Policy> byName = new TreeMap<>();
      for (Map.Entry<String, Policy> p : policies) {
        if (!nameRules.isValidName(p.getKey())) {
          throw new KesConfigException(
              "policy name '" + p.getKey() + "' is empty, too long or contains invalid characters");
        }
        if (byName.put(p.getKey(), p.getValue()) != null) {
          throw new KesConfigException("policy '" + p.getKey() + "' is defined more than once");
        }
      }
      Map<String, Entry> entries = new HashMap<>();
      Map<Identity, Entry> byIdentity = new LinkedHashMap<>();
      for (Map.Entry<Identity, String> a : assignments) {
        Identity id = a.getKey();
        String name = a.getValue();
        if (!nameRules.isValidName(id.value())) {
          throw new KesConfigException(
              "identity '" + id.value() + "' is empty, too long or contains invalid characters");
        }
        if (admin != null && admin.equals(id)) {
          throw new KesConfigException(
              "identity '"
                  + id.value()
                  + "' is the admin identity and cannot be assigned to policy '"
                  + name
                  + "'");
        }
        Policy p = byName.get(name);
        if (p == null) {
          throw new KesConfigException(
              "identity '"
                  + id.value()
                  + "' is assigned to policy '"
                  + name
                  + "', which does not exist");
        }
        Entry previous = byIdentity.get(id);
        if (previous != null) {
          throw new KesConfigException(
              "identity '"
                  + id.value()
                  + "' is assigned to more than one policy: '"
                  + previous.name
                  + "' and '"
                  + name
                  + "'");
        }
        byIdentity.put(id, entries.computeIfAbsent(name, n -> entry(n, (PatternPolicy) p)));
      }
      Identity enabledAdmin = admin != null && admin.isHash() ? admin : null;
      return new PolicySet(
          enabledAdmin,
          java.util.Collections.unmodifiableMap(new TreeMap<>(byName)),
          new HashMap<>(byIdentity));
    }

    private static Entry entry(String name, PatternPolicy p) {
      Decision[] allow = new Decision[p.allow().size()];
      for (int i = 0; i < allow.length; i++) {
        allow[i] = new Decision(Decision.Reason.ALLOWED, name, p.allow().get(i));
      }
      Decision[] deny = new Decision[p.deny().size()];
      for (int i = 0; i < deny.length; i++) {
        deny[i] = new Decision(Decision.Reason.DENIED_BY_RULE, name, p.deny().get(i));
      }
      return new Entry(
          name, p, allow, deny, new Decision(Decision.Reason.NO_ALLOW_RULE, name, null));
    }
  }
}
