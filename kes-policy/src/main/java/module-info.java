/** KES identities, API keys, policies and name rules. */
module dev.kes4j.policy {
  requires transitive dev.kes4j.api;

  exports dev.kes4j.policy;
  // Go path.Match globs for `kes4j migrate PATTERN`
  exports dev.kes4j.policy.internal to
      dev.kes4j.cli;
}
