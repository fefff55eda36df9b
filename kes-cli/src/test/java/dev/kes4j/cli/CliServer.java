package dev.kes4j.cli;

import dev.kes4j.api.Identity;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.ApiKey;
import dev.kes4j.policy.internal.pki.Pem;
import dev.kes4j.policy.internal.pki.Pki;
import dev.kes4j.server.KesServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * A real kes4j server on 127.0.0.1:0 with a CA-issued server certificate, an admin API key and
 * client identities written to PEM files: {@code app} (policy {@code app}: keys, status, API table,
 * logs of nothing), {@code limited} (generate only; {@code /v1/status} denied by a rule), {@code
 * nobody} (no policy) and {@code caonly} (a CA certificate, which KES never accepts).
 */
final class CliServer implements AutoCloseable {
  final Path dir;
  final Pki.Issued ca;
  final Pki.Issued otherCa;
  final ApiKey admin = ApiKey.generate();
  final Pki.Issued app = client("app", false);
  final Pki.Issued limited = client("limited", false);
  final Pki.Issued nobody = client("nobody", true);
  final Pki.Issued caOnly;
  final Pki.Issued serverCert;
  final Kes kes;
  final KesHttpApi api;
  final KesServer server;

  CliServer(Path dir, KesServer.ClientAuth auth) {
    this.dir = dir;
    ca = Pki.issue(key(true), "cli test CA", Pki.Usage.CA, List.of(), List.of(), days(), null);
    otherCa = Pki.issue(key(true), "other CA", Pki.Usage.CA, List.of(), List.of(), days(), null);
    caOnly = Pki.issue(key(true), "openssl-like", Pki.Usage.CA, List.of(), List.of(), days(), null);
    serverCert =
        Pki.issue(
            key(true),
            "localhost",
            Pki.Usage.SERVER,
            List.of("localhost"),
            List.of("127.0.0.1"),
            days(),
            ca);
    write("ca", ca);
    write("other-ca", otherCa);
    write("app", app);
    write("limited", limited);
    write("nobody", nobody);
    write("caonly", caOnly);
    String yaml =
        "admin:\n  identity: "
            + admin.identity().value()
            + "\npolicy:\n"
            + "  app:\n    allow:\n    - /v1/key/*\n    - /v1/status\n    - /v1/api\n"
            + "    - /v1/policy/*\n    - /v1/log/error\n"
            + "    identities:\n    - "
            + id(app)
            + "\n  limited:\n    allow:\n    - /v1/key/generate/*\n    - /v1/api\n"
            + "    deny:\n    - /v1/status\n"
            + "    identities:\n    - "
            + id(limited)
            + "\nkeystore:\n  mem: {}\n";
    KesConfig cfg = KesConfig.parse(yaml);
    kes = Kes.builder().keyStore(new MemKeyStore()).policies(cfg.policySet()).build();
    api = KesHttpApi.fromConfig(kes, cfg);
    server =
        KesServer.builder(api)
            .address("127.0.0.1:0")
            .certificate(serverCert.privateKey(), List.of(serverCert.certificate()))
            .clientAuth(auth, List.of(ca.certificate()))
            .systemRoots(false)
            .start();
  }

  private static Duration days() {
    return Duration.ofDays(2);
  }

  private static java.security.KeyPair key(boolean ecdsa) {
    return Pki.keyPair(ecdsa ? Pki.Algorithm.ECDSA_P256 : Pki.Algorithm.ED25519);
  }

  private Pki.Issued client(String cn, boolean ed25519) {
    return Pki.issue(
        key(!ed25519), cn, Pki.Usage.CLIENT, List.of(), List.of(), Duration.ofDays(2), null);
  }

  /** A client certificate issued by this server's CA (for tls.auth on). */
  Pki.Issued issuedByCa(String cn) {
    Pki.Issued i =
        Pki.issue(key(true), cn, Pki.Usage.CLIENT, List.of(), List.of(), Duration.ofDays(2), ca);
    write(cn, i);
    return i;
  }

  static String id(Pki.Issued i) {
    return Identity.of(i.certificate()).value();
  }

  void write(String name, Pki.Issued i) {
    try {
      Files.writeString(dir.resolve(name + ".cert"), Pem.encode(i.certificate()));
      Files.writeString(dir.resolve(name + ".key"), Pem.encode(i.privateKey()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "https://127.0.0.1:" + server.address().getPort();
  }

  /** Environment for the admin API key, trusting the CA through MINIO_KMS_KES_CAPATH. */
  Map<String, String> adminEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("KES_SERVER", url());
    env.put("KES_API_KEY", admin.encode());
    env.put("MINIO_KMS_KES_CAPATH", dir.resolve("ca.cert").toString());
    return env;
  }

  /** Key managers presenting this server's certificate, for test servers that stand in for it. */
  KeyManager[] serverKeyManagers() throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(null, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ks.setKeyEntry(
        "server",
        serverCert.privateKey(),
        "pw".toCharArray(),
        new Certificate[] {serverCert.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    kmf.init(ks, "pw".toCharArray());
    return kmf.getKeyManagers();
  }

  /** Environment for a certificate identity written by {@link #write}. */
  Map<String, String> certEnv(String name) {
    Map<String, String> env = new HashMap<>();
    env.put("MINIO_KES_SERVER", url());
    env.put("KES_CLIENT_KEY", dir.resolve(name + ".key").toString());
    env.put("KES_CLIENT_CERT", dir.resolve(name + ".cert").toString());
    env.put("MINIO_KMS_KES_CAPATH", dir.resolve("ca.cert").toString());
    return env;
  }

  record Result(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  static Result run(Map<String, String> env, String... args) {
    return run(env, new ByteArrayInputStream(new byte[0]), args);
  }

  static Result run(Map<String, String> env, InputStream in, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Kes4j.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            in,
            env,
            args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Like {@link #run(Map, String...)} with standard output taken for an interactive terminal. */
  static Result runOnTerminal(Map<String, String> env, String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    dev.kes4j.cli.internal.Io io =
        new dev.kes4j.cli.internal.Io(
            new java.io.PrintWriter(out, true),
            new java.io.PrintWriter(err, true),
            new ByteArrayInputStream(new byte[0]),
            env,
            true);
    int code = Kes4j.commandLine(io, args).execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Override
  public void close() {
    server.close();
    kes.close();
  }
}
