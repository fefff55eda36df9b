package dev.kes4j.server.internal;

import dev.kes4j.api.Identity;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.core.AuditSink;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.policy.Policies;
import dev.kes4j.policy.PolicySet;
import dev.kes4j.server.KesServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code kes4j server --config FILE}: an engine, API and HTTPS front from a KES config, with KES's
 * server flags as overrides. Audit events go to stdout when {@code log.audit} is on/INFO/DEBUG.
 */
public final class ConfigServer implements AutoCloseable {
  /**
   * Command-line overrides of the config (all optional).
   *
   * @param address {@code --addr}
   * @param root {@code --root} (KES 0.16): replaces the admin identity
   * @param keyFile {@code --key} (KES 0.16): the TLS private key
   * @param certFile {@code --cert} (KES 0.16): the TLS certificate
   * @param auth {@code --auth on|off}: verify client certificates or not
   * @param tlsProvider {@code --tls-provider}
   */
  public record Overrides(
      Optional<String> address,
      Optional<String> root,
      Optional<String> keyFile,
      Optional<String> certFile,
      Optional<Boolean> auth,
      KesServer.TlsProvider tlsProvider) {
    /** No overrides. */
    public static Overrides none() {
      return new Overrides(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          KesServer.TlsProvider.JDK);
    }
  }

  private final Kes kes;
  private final KesServer server;
  private final AsyncLines auditOut;

  private ConfigServer(Kes kes, KesServer server, AsyncLines auditOut) {
    this.kes = kes;
    this.server = server;
    this.auditOut = auditOut;
  }

  /**
   * Starts serving a config.
   *
   * @param baseDir relative TLS paths are resolved against it (the working directory, as KES)
   * @param stdout where audit lines go
   * @throws KesConfigException for any configuration, certificate or listen problem
   */
  public static ConfigServer start(
      KesConfig config, Overrides o, Path baseDir, KeyStores stores, PrintStream stdout) {
    KesConfig.Tls t = config.tls();
    KesConfig.Tls tls =
        new KesConfig.Tls(
            o.keyFile().orElse(t.keyFile()),
            o.certFile().orElse(t.certFile()),
            t.password(),
            o.auth().orElse(t.verifyClientCertificates()),
            t.caPath(),
            t.proxyIdentities(),
            t.proxyCertHeader());
    // load TLS material before touching the key store: bad files are the most common mistake
    KesServer.Builder front = null;
    Kes kes =
        Kes.fromConfig(
            config,
            stores,
            b -> {
              b.auditSink(AuditSink.NONE); // the HTTP layer audits each request once
              o.root().ifPresent(root -> b.policies(policiesWithAdmin(config, root)));
            });
    AsyncLines audit = null;
    try {
      KesHttpApi.Builder ab =
          KesHttpApi.builder(kes)
              .errorMessages(config.errorMessages())
              .apiOverrides(config.api())
              .lenientNames(config.lenientNames())
              .legacyListing(config.schema() == KesConfig.Schema.V0_16);
      if (auditToStdout(config.auditLog())) {
        audit = new AsyncLines(stdout, "kes4j-audit-stdout");
        AsyncLines out = audit;
        ab.auditSink(e -> out.add(e.toJson()));
      }
      KesHttpApi api = ab.build();
      front =
          KesServer.builder(api)
              .address(o.address().orElse(config.address()))
              .tlsProvider(o.tlsProvider())
              .tls(tls, baseDir);
      KesServer server = front.start();
      return new ConfigServer(kes, server, audit);
    } catch (RuntimeException e) {
      kes.close();
      if (audit != null) {
        audit.close();
      }
      throw e;
    }
  }

  static boolean auditToStdout(String level) {
    String l = level.trim().toUpperCase(Locale.ROOT);
    return l.equals("ON") || l.startsWith("INFO") || l.startsWith("DEBUG");
  }

  private static PolicySet policiesWithAdmin(KesConfig config, String root) {
    PolicySet.Builder b = PolicySet.builder().admin(Identity.of(root));
    config
        .policies()
        .forEach(
            (name, p) -> {
              b.policy(name, Policies.of(config.policyMatching(), p.allow(), p.deny()));
              for (String id : p.identities()) {
                if (!id.equals(root)) {
                  b.assign(Identity.of(id), name);
                }
              }
            });
    return b.build();
  }

  /** The running front. */
  public KesServer server() {
    return server;
  }

  /** The engine. */
  public Kes kes() {
    return kes;
  }

  /** Stops the server, the engine and the audit writer. */
  @Override
  public void close() {
    server.close();
    kes.close();
    if (auditOut != null) {
      auditOut.close();
    }
  }
}
