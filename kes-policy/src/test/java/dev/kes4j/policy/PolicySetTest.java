package dev.kes4j.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.Identity;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.Policy;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicySetTest {
  static final Identity ADMIN =
      Identity.of("3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22");
  static final Identity MINIO =
      Identity.of("ea9826089311fe44d7590408ede9150f7c637b6cab0a91ee6fe1aa5d9fb366f6");
  static final Identity READER =
      Identity.of("0426fa9a04bc2756b92fbe8a97e1a1e07b53ecf04ed33da22c33e5c9faeb8cbb");
  static final Identity STRANGER =
      Identity.of("ab785e3b95d80d72cc9c27cb9fde886a0bf9068a69d40e3bd08a54e68c3f2bf7");

  static PolicySet set() {
    return PolicySet.builder()
        .admin(ADMIN)
        .policy(
            "minio",
            Policies.prefix(
                List.of("/v1/key/create/*", "/v1/key/generate/*", "/v1/key/delete/*", "/v1/status"),
                List.of("/v1/key/delete/*")))
        .policy("reader", PolicyMatching.GLOB, List.of("/v1/key/list/*"), List.of())
        .policy("unused", Policies.prefix(List.of(), List.of()))
        .assign(MINIO, "minio")
        .assign(READER, "reader")
        .build();
  }

  @Nested
  class Authorize {
    final PolicySet set = set();

    @Test
    void adminBypassesPolicies() {
      Decision d = set.authorize(ADMIN, "/v1/anything/at/all");
      assertThat(d.allowed()).isTrue();
      assertThat(d.reason()).isEqualTo(Decision.Reason.ADMIN);
      assertThat(d.policyName()).isEmpty();
      assertThat(d.rule()).isEmpty();
      assertThat(set.isAdmin(ADMIN)).isTrue();
      assertThat(set.isAdmin(MINIO)).isFalse();
      assertThat(set.admin()).contains(ADMIN);
    }

    @Test
    void allowedByRule() {
      Decision d = set.authorize(MINIO, "/v1/key/create/my-key");
      assertThat(d.allowed()).isTrue();
      assertThat(d.reason()).isEqualTo(Decision.Reason.ALLOWED);
      assertThat(d.policyName()).contains("minio");
      assertThat(d.rule()).contains("/v1/key/create/*");
    }

    @Test
    void denyBeatsAllow() {
      Decision d = set.authorize(MINIO, "/v1/key/delete/k1");
      assertThat(d.allowed()).isFalse();
      assertThat(d.reason()).isEqualTo(Decision.Reason.DENIED_BY_RULE);
      assertThat(d.rule()).contains("/v1/key/delete/*");
      assertThat(d.explain(MINIO, "/v1/key/delete/k1"))
          .isEqualTo(
              "identity ea982608… policy 'minio': denied by deny rule '/v1/key/delete/*'"
                  + " for /v1/key/delete/k1");
    }

    @Test
    void noAllowRule() {
      Decision d = set.authorize(MINIO, "/v1/key/decrypt/k");
      assertThat(d.allowed()).isFalse();
      assertThat(d.reason()).isEqualTo(Decision.Reason.NO_ALLOW_RULE);
      assertThat(d.policyName()).contains("minio");
      assertThat(d.rule()).isEmpty();
      assertThat(d.explain()).isEqualTo("policy 'minio': denied, no allow rule matches");
    }

    @Test
    void unassignedIdentityIsDenied() {
      Decision d = set.authorize(STRANGER, "/v1/status");
      assertThat(d.allowed()).isFalse();
      assertThat(d.reason()).isEqualTo(Decision.Reason.NO_POLICY);
      assertThat(d.explain(STRANGER, "/v1/status"))
          .isEqualTo("identity ab785e3b… has no policy: denied for /v1/status");
    }

    @Test
    void eachPolicyUsesItsOwnMatching() {
      assertThat(set.authorize(READER, "/v1/key/list/abc").allowed()).isTrue();
      assertThat(set.authorize(READER, "/v1/key/list/a/b").allowed()).isFalse();
    }

    @Test
    void decisionsArePrebuiltAndShared() {
      assertThat(set.authorize(MINIO, "/v1/key/create/a"))
          .isSameAs(set.authorize(MINIO, "/v1/key/create/b"));
      assertThat(set.authorize(ADMIN, "/a")).isSameAs(set.authorize(ADMIN, "/b"));
      assertThat(set.authorize(STRANGER, "/a")).isSameAs(set.authorize(STRANGER, "/b"));
    }

    @Test
    void explainEscapesControlCharacters() {
      Decision d = set.authorize(MINIO, "/v1/x\n/v1/status");
      assertThat(d.explain(MINIO, "/v1/x\n/v1/status")).contains("/v1/x\\u000a/v1/status");
      assertThat(Decision.class).isFinal();
      assertThat(set.authorize(ADMIN, "/").explain(Identity.of("disabled"), "/"))
          .isEqualTo("identity disabled is the admin: allowed for /");
      assertThat(set.authorize(MINIO, "/v1/status").toString())
          .isEqualTo("policy 'minio': allowed by allow rule '/v1/status'");
    }
  }

  @Nested
  class Queries {
    final PolicySet set = set();

    @Test
    void lookups() {
      assertThat(set.policyNames()).containsExactly("minio", "reader", "unused");
      assertThat(set.policy("minio")).isPresent();
      assertThat(set.policy("minio").get().deny()).containsExactly("/v1/key/delete/*");
      assertThat(set.policy("nope")).isEmpty();
      assertThat(set.policyOf(MINIO)).contains("minio");
      assertThat(set.policyOf(ADMIN)).isEmpty();
      assertThat(set.policyOf(STRANGER)).isEmpty();
      assertThat(set.identities()).containsExactly(READER, MINIO);
      assertThat(set.identitiesOf("minio")).containsExactly(MINIO);
      assertThat(set.identitiesOf("unused")).isEmpty();
      assertThat(set.toString()).contains("minio").contains(ADMIN.value());
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "disabled",
          "_",
          "DISABLED",
          "3ECFCDF38FCBE141AE26A1030F81E96B753365A46760AE6B578698A97C59FD22"
        })
    void nonHashAdminDisablesTheAdmin(String value) {
      PolicySet s = PolicySet.builder().admin(Identity.of(value)).build();
      assertThat(s.admin()).isEmpty();
      assertThat(s.isAdmin(Identity.of(value))).isFalse();
      assertThat(s.authorize(Identity.of(value), "/v1/status").reason())
          .isEqualTo(Decision.Reason.NO_POLICY);
      assertThat(s.toString()).contains("<disabled>");
    }

    @Test
    void defaultHasNoAdmin() {
      assertThat(PolicySet.builder().build().admin()).isEmpty();
      assertThat(PolicySet.builder().admin(ADMIN).adminDisabled().build().admin()).isEmpty();
    }
  }

  @Nested
  class BuildErrors {
    final Policy p = Policies.prefix(List.of("/v1/status"), List.of());

    @Test
    void identityAssignedTwice() {
      assertThatThrownBy(
              () ->
                  PolicySet.builder()
                      .policy("a", p)
                      .policy("b", p)
                      .assign(MINIO, "a")
                      .assign(MINIO, "b")
                      .build())
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining(MINIO.value())
          .hasMessageContaining("more than one policy");
      assertThatThrownBy(
              () ->
                  PolicySet.builder().policy("a", p).assign(MINIO, "a").assign(MINIO, "a").build())
          .isInstanceOf(KesConfigException.class);
    }

    @Test
    void adminCannotBeAssigned() {
      assertThatThrownBy(
              () -> PolicySet.builder().admin(ADMIN).policy("a", p).assign(ADMIN, "a").build())
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("admin");
      assertThatThrownBy(
              () ->
                  PolicySet.builder()
                      .admin(Identity.of("disabled"))
                      .policy("a", p)
                      .assign(Identity.of("disabled"), "a")
                      .build())
          .isInstanceOf(KesConfigException.class);
    }

    @Test
    void unknownPolicy() {
      assertThatThrownBy(() -> PolicySet.builder().assign(MINIO, "nope").build())
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("'nope'");
    }

    @Test
    void duplicatePolicyName() {
      assertThatThrownBy(() -> PolicySet.builder().policy("a", p).policy("a", p).build())
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("'a'");
    }

    @Test
    void invalidNamesUnderStrictRules() {
      assertThatThrownBy(() -> PolicySet.builder().policy("my.policy", p).build())
          .isInstanceOf(KesConfigException.class)
          .hasMessage("policy name 'my.policy' is empty, too long or contains invalid characters");
      assertThatThrownBy(
              () -> PolicySet.builder().policy("a", p).assign(Identity.of("a.b"), "a").build())
          .isInstanceOf(KesConfigException.class)
          .hasMessage("identity 'a.b' is empty, too long or contains invalid characters");
      PolicySet lenient =
          PolicySet.builder()
              .nameRules(NameRules.LENIENT)
              .policy("my.policy", p)
              .assign(Identity.of("a.b"), "my.policy")
              .build();
      assertThat(lenient.authorize(Identity.of("a.b"), "/v1/status").allowed()).isTrue();
    }

    @Test
    void badGlobNamesPolicyAndPattern() {
      assertThatThrownBy(
              () ->
                  PolicySet.builder()
                      .policy("g", PolicyMatching.GLOB, List.of("/v1/[a-]"), List.of()))
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("policy 'g'")
          .hasMessageContaining("'/v1/[a-]'");
    }

    @Test
    void foreignPolicyRejected() {
      Policy foreign =
          new Policy() {
            @Override
            public List<String> allow() {
              return List.of();
            }

            @Override
            public List<String> deny() {
              return List.of();
            }

            @Override
            public boolean verify(String path) {
              return true;
            }
          };
      assertThatThrownBy(() -> PolicySet.builder().policy("f", foreign))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
