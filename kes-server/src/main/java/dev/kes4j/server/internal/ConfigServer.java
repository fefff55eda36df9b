package dev.kes4j.server.internal;

import dev.kes4j.api.Identity;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.core.AuditSink;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.policy.Policies;
import dev.kes4j.policy.PolicySet;
import dev.kes4j.server.KesServer;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kes4j server --config FILE}: an engine, API and HTTPS front from a KES config, with KES's
 * server flags as overrides. Audit events go to stdout when {@code log.audit} is on/INFO/DEBUG.
 */
public final class ConfigServer implements AutoCloseable {
  /**
   * How often the reference server's {@code /v1/metrics} counts heap objects unless {@code kes4j:
   * heap_objects} says otherwise: its heap is small (the launcher bounds it at 256 MiB), so a count
   * pauses it for milliseconds (docs/performance.md).
   */
  public static final Duration HEAP_OBJECTS_EVERY = Duration.ofMinutes(1);

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
  private final KesConfig config;
  private final Overrides overrides;
  private final String keyStore;

  private ConfigServer(
      Kes kes,
      KesServer server,
      AsyncLines auditOut,
      KesConfig config,
      Overrides overrides,
      String keyStore) {
    this.kes = kes;
    this.server = server;
    this.auditOut = auditOut;
    this.config = config;
    this.overrides = overrides;
    this.keyStore = keyStore;
  }

  /**
   * Starts serving a config. Local settings are checked before the key store is touched: the TLS
   * files are read (key, password, certificate, CA), then the store is opened (which contacts no
   * built-in store), then the address is bound, and only then are the config's {@code keys:}
   * created, before the first connection is accepted. A bad TLS file, a wrong password or a taken
   * address thus leaves the store as it was.
   *
   * @param baseDir relative TLS paths are resolved against it (the working directory, as KES)
   * @param stdout where audit lines go
   * @throws KesConfigException for any configuration, certificate or listen problem
   * @throws dev.kes4j.api.KesException if the store fails while creating the config's keys; the
   *     message names the key and the reason
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
    TlsFiles tlsFiles = TlsFiles.read(tls, baseDir); // bad files: the most common mistake
    KeyStoreConfig section =
        config.keyStore().orElseGet(() -> KeyStoreConfig.of("keystore", Map.of("mem", Map.of())));
    String keyStore = stores.describe(section);
    Kes kes =
        Kes.openConfig(
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
              .legacyListing(config.schema() == KesConfig.Schema.V0_16)
              .heapObjectsEvery(config.heapObjectsEvery().orElse(HEAP_OBJECTS_EVERY));
      if (auditToStdout(config.auditLog())) {
        audit = new AsyncLines(stdout, "kes4j-audit-stdout");
        AsyncLines out = audit;
        ab.auditSink(e -> out.add(e.toJson()));
      }
      KesHttpApi api = ab.build();
      // bound, not yet accepting: the keys exist before the first client is served
      KesServer server =
          KesServer.builder(api)
              .address(o.address().orElse(config.address()))
              .tlsProvider(o.tlsProvider())
              .certificate(tlsFiles.key(), tlsFiles.chain())
              .clientAuth(tlsFiles.clientAuth(), tlsFiles.cas())
              .start(() -> kes.ensureKeys(config.keys()));
      return new ConfigServer(kes, server, audit, config, o, keyStore);
    } catch (RuntimeException e) {
      kes.close();
      if (audit != null) {
        audit.close();
      }
      throw e;
    }
  }

  /**
   * The startup banner: version, endpoint, admin, TLS, the key store and where it keeps keys (for
   * GCP the project and endpoint, for fs the directory, for mem "in memory"), startup time.
   */
  public String banner(Duration startup) {
    String admin = overrides.root().orElse(config.adminIdentity());
    Identity a = Identity.of(admin);
    boolean verify = overrides.auth().orElse(config.tls().verifyClientCertificates());
    StringBuilder sb = new StringBuilder(512);
    sb.append("kes4j ").append(Kes.version()).append('\n');
    sb.append("Endpoint   https://").append(hostPort(server.address())).append('\n');
    sb.append("Admin      ").append(a.isHash() ? a.value() : "<disabled>").append('\n');
    sb.append("TLS        ")
        .append(server.tlsProvider())
        .append(
            verify
                ? ", client certificates verified"
                : ", client certificates identified (auth off)")
        .append('\n');
    sb.append("Keystore   ").append(keyStore).append('\n');
    sb.append(String.format(Locale.ROOT, "Ready in   %.2f s%n", startup.toMillis() / 1e3));
    return sb.toString();
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    if (a.getAddress() != null && a.getAddress().isAnyLocalAddress()) {
      host = "0.0.0.0";
    }
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
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
