/**
 * KES identities, API keys, policies and name rules.
 *
 * <p>{@code dev.kes4j.policy.internal.pki} holds kes4j's one PEM codec ({@code Pem}) and one
 * certificate minter ({@code CertificateWriter}, {@code Pki}), JDK only: API key certificates are
 * minted here, and the client, the server, the command line (and the class-path examples) read and
 * write their keys and certificates with them (issue #15). It is exported to those modules only.
 */
module dev.kes4j.policy {
  requires transitive dev.kes4j.api;

  exports dev.kes4j.policy;
  // Go path.Match globs, for `kes4j migrate PATTERN`
  exports dev.kes4j.policy.internal to
      dev.kes4j.cli;
  // the shared PEM codec and certificate minter, for kes4j's own modules (some not yet modular)
  exports dev.kes4j.policy.internal.pki to
      dev.kes4j.client,
      dev.kes4j.server,
      dev.kes4j.junit,
      dev.kes4j.cli;
}
