package dev.kes4j.http;

import static dev.kes4j.http.Responses.appendNames;
import static dev.kes4j.http.Responses.json;

import dev.kes4j.api.Identity;
import dev.kes4j.api.KesException;
import dev.kes4j.api.Policy;
import dev.kes4j.api.internal.GoTime;
import dev.kes4j.api.internal.KesJson;
import dev.kes4j.core.Kes;
import dev.kes4j.http.Endpoint.Call;
import dev.kes4j.policy.NameRules;
import dev.kes4j.policy.PolicySet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code /v1/policy/...} and {@code /v1/identity/...} routes: read-only views of the engine's
 * policy set. Policies and identities date from the engine's start and were created by its admin
 * (as KES reports them for config-defined policies). Thread-safe; never blocks.
 */
final class PolicyHandlers {
  private final Kes kes;
  private final NameRules names;

  PolicyHandlers(Kes kes, NameRules names) {
    this.kes = kes;
    this.names = names;
  }

  private String createdAt() {
    return KesJson.quote(GoTime.format(kes.startTime()));
  }

  private Optional<String> adminValue() {
    return kes.policies().admin().map(Identity::value);
  }

  private Policy policyOrThrow(String name) {
    names.checkPolicyName(name);
    return kes.policies()
        .policy(name)
        .orElseThrow(() -> new KesException(404, "policy does not exist"));
  }

  ApiResponse describePolicy(Call call) {
    String name = call.resource();
    policyOrThrow(name);
    StringBuilder sb = new StringBuilder(160);
    sb.append("{\"name\":")
        .append(KesJson.quote(name))
        .append(",\"created_at\":")
        .append(createdAt());
    adminValue().ifPresent(a -> sb.append(",\"created_by\":").append(KesJson.quote(a)));
    return json(sb.append('}'));
  }

  ApiResponse readPolicy(Call call) {
    String name = call.resource();
    Policy p = policyOrThrow(name);
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"name\":").append(KesJson.quote(name));
    appendPatterns(sb, p);
    sb.append(",\"created_at\":").append(createdAt());
    adminValue().ifPresent(a -> sb.append(",\"created_by\":").append(KesJson.quote(a)));
    return json(sb.append('}'));
  }

  private static void appendPatterns(StringBuilder sb, Policy p) {
    appendPatternObject(sb, "allow", p.allow());
    appendPatternObject(sb, "deny", p.deny());
  }

  private static void appendPatternObject(StringBuilder sb, String field, List<String> patterns) {
    if (patterns.isEmpty()) {
      return; // omitempty
    }
    sb.append(",\"").append(field).append("\":{");
    // Go marshals map keys sorted
    List<String> sorted = new ArrayList<>(new TreeSet<>(patterns));
    for (int i = 0; i < sorted.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      KesJson.quote(sb, sorted.get(i)).append(":{}");
    }
    sb.append('}');
  }

  private String listPrefix(String pattern) {
    if (!pattern.isEmpty()) {
      names.checkListPattern(pattern);
    }
    return pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
  }

  ApiResponse listPolicies(Call call) {
    String prefix = listPrefix(call.resource());
    List<String> out = new ArrayList<>();
    for (String n : kes.policies().policyNames()) {
      if (n.startsWith(prefix)) {
        out.add(n);
      }
    }
    Collections.sort(out);
    StringBuilder sb = new StringBuilder("{\"names\":[");
    appendNames(sb, out);
    return json(sb.append("],\"continue_at\":\"\"}"));
  }

  ApiResponse describeIdentity(Call call) {
    String value = call.resource();
    names.checkIdentity(value);
    Identity identity = Identity.of(value);
    PolicySet set = kes.policies();
    StringBuilder sb = new StringBuilder(200).append('{');
    if (set.isAdmin(identity)) {
      sb.append("\"admin\":true,\"created_at\":").append(createdAt());
      return json(sb.append('}'));
    }
    String policy =
        set.policyOf(identity).orElseThrow(() -> new KesException(404, "identity does not exist"));
    sb.append("\"policy\":").append(KesJson.quote(policy));
    sb.append(",\"created_at\":").append(createdAt());
    adminValue().ifPresent(a -> sb.append(",\"created_by\":").append(KesJson.quote(a)));
    return json(sb.append('}'));
  }

  ApiResponse listIdentities(Call call) {
    String prefix = listPrefix(call.resource());
    PolicySet set = kes.policies();
    TreeSet<String> all = new TreeSet<>();
    for (Identity i : set.identities()) {
      all.add(i.value());
    }
    set.admin().ifPresent(a -> all.add(a.value()));
    List<String> out = new ArrayList<>();
    for (String v : all) {
      if (v.startsWith(prefix)) {
        out.add(v);
      }
    }
    StringBuilder sb = new StringBuilder("{\"identities\":[");
    appendNames(sb, out);
    return json(sb.append("],\"continue_at\":\"\"}"));
  }

  ApiResponse selfDescribe(Call call) {
    Identity id = call.identity();
    if (id == null) {
      throw new KesException(404, "identity does not exist");
    }
    PolicySet set = kes.policies();
    StringBuilder sb =
        new StringBuilder(256).append("{\"identity\":").append(KesJson.quote(id.value()));
    if (set.isAdmin(id)) {
      sb.append(",\"admin\":true,\"created_at\":").append(createdAt());
      return json(sb.append('}'));
    }
    // spec §1.4: the kms-go shape (Go KES answers 404 here by mistake; not mirrored)
    String name =
        set.policyOf(id).orElseThrow(() -> new KesException(404, "identity does not exist"));
    Policy p = set.policy(name).orElseThrow(() -> new KesException(404, "policy does not exist"));
    sb.append(",\"policy\":").append(KesJson.quote(name));
    sb.append(",\"policy_name\":").append(KesJson.quote(name));
    appendPatterns(sb, p);
    sb.append(",\"created_at\":").append(createdAt());
    adminValue().ifPresent(a -> sb.append(",\"created_by\":").append(KesJson.quote(a)));
    return json(sb.append('}'));
  }
}
