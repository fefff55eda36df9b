/** KES identities, API keys, policies and name rules. */
module dev.kes4j.policy {
  requires transitive dev.kes4j.api;

  exports dev.kes4j.policy;
}
