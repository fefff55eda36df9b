package dev.kes4j.examples.walkthrough;

import dev.kes4j.api.ApiPath;
import dev.kes4j.api.KesException;
import dev.kes4j.api.ServiceStatus;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.core.AuditSink;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.gcp.fake.FakeSecretManager;
import dev.kes4j.server.KesServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MinIO's guide "KES with Google Cloud Secret Manager", end to end, with the Secret Manager fake in
 * place of Google's service and kes4j in place of KES:
 *
 * <ol>
 *   <li>start the fake Secret Manager on a loopback port (the guide's GCP project);
 *   <li>{@code kes identity new --ip 127.0.0.1 --dns localhost --key server.key --cert server.cert
 *       localhost}: the server's TLS identity;
 *   <li>{@code kes identity new --key app.key --cert app.cert app}: the application's (MinIO's)
 *       identity, exported as {@code MINIO_KES_IDENTITY};
 *   <li>write the guide's {@code server-config.yml} (KES 0.16 schema, {@link #config}), with the
 *       fake's endpoint added to the {@code keystore.gcp.secretmanager} section;
 *   <li>{@code kes server --config server-config.yml}: here {@link KesConfig#load}, {@link
 *       Kes#fromConfig}, {@link KesHttpApi#fromConfig} and {@link KesServer} ({@link #start});
 *   <li>as {@code app} over mutual TLS, like the guide's {@code curl --key app.key --cert app.cert
 *       --cacert server.cert}: create {@code my-minio-key}, generate a data key, decrypt it ({@link
 *       #asApp});
 *   <li>check the fake: one secret per key, its id the key name, the key in version 1.
 * </ol>
 *
 * <p>Run it with {@code java -cp ... dev.kes4j.examples.walkthrough.MinioGcpWalkthrough [DIR]}; it
 * prints each step. {@code kes-examples/scripts/minio-gcp-walkthrough.sh} does the same with the
 * {@code kes4j} command line and {@code curl}.
 *
 * <p>Thread-safe; every method blocks on the network or files. {@link #close()} stops the server,
 * the engine and the fake.
 */
public final class MinioGcpWalkthrough implements AutoCloseable {
  /** The key the guide creates. */
  public static final String KEY = "my-minio-key";

  /** The name of the environment variable the guide's config refers to. */
  public static final String IDENTITY_VARIABLE = "MINIO_KES_IDENTITY";

  private static final Duration KEY_STORE_WAIT = Duration.ofSeconds(60);

  private final Path dir;
  private final PrintStream log;
  private final FakeSecretManager fake;
  private final TlsIdentity serverIdentity;
  private final TlsIdentity app;
  private final Path configFile;
  private final String address;
  private Kes kes;
  private KesServer server;
  private HttpClient appClient;

  private MinioGcpWalkthrough(Path dir, PrintStream log, String address) {
    this.dir = dir;
    this.log = log;
    this.address = address;
    this.configFile = dir.resolve("server-config.yml");
    step("1. Start the (fake) GCP Secret Manager");
    this.fake = new FakeSecretManager().start();
    log.println(
        "   project " + fake.projectId() + " (" + fake.projectNumber() + ") at " + fake.endpoint());
    try {
      step(
          "2. kes identity new --ip 127.0.0.1 --dns localhost"
              + " --key server.key --cert server.cert localhost");
      this.serverIdentity =
          TlsIdentity.create("localhost", List.of("127.0.0.1"), List.of("localhost"));
      serverIdentity.writePem(dir.resolve("server.key"), dir.resolve("server.cert"));
      log.println("   " + serverIdentity);

      step("3. kes identity new --key app.key --cert app.cert app");
      this.app = TlsIdentity.create("app", List.of(), List.of());
      app.writePem(dir.resolve("app.key"), dir.resolve("app.cert"));
      log.println("   export " + IDENTITY_VARIABLE + "=" + app.identity().value());

      step("4. Write " + configFile.getFileName() + " (the guide's, KES 0.16 schema)");
      Files.writeString(
          configFile, config(address, fake.projectId(), fake.endpoint()), StandardCharsets.UTF_8);
      log.print(indent(Files.readString(configFile, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      fake.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      fake.close();
      throw e;
    }
  }

  /**
   * Runs steps 1–4: starts the fake, makes the identities and writes the config into {@code dir}.
   * Call {@link #start()} next.
   *
   * @param dir an existing directory for the key, certificate and config files
   * @param log where each step is printed
   * @param address the server's listen address; the guide's is {@code 0.0.0.0:7373}, {@code
   *     127.0.0.1:0} picks a free port
   * @throws UncheckedIOException if a file cannot be written
   */
  public static MinioGcpWalkthrough prepare(Path dir, PrintStream log, String address) {
    return new MinioGcpWalkthrough(
        Objects.requireNonNull(dir, "dir"),
        Objects.requireNonNull(log, "log"),
        Objects.requireNonNull(address, "address"));
  }

  /**
   * The guide's server config (KES 0.16 schema), verbatim apart from the key store section, which
   * points at the fake: {@code project_id} is the fake's project, {@code endpoint} the fake's
   * {@code http://127.0.0.1:<port>} (plaintext, as for an emulator; no credentials are used, so the
   * guide's {@code credentials} are left empty).
   */
  public static String config(String address, String projectId, String endpoint) {
    return "address: "
        + address
        + "\n"
        + "root: disabled  # We disable the root identity since we don't need it in this guide\n"
        + "\n"
        + "tls:\n"
        + "  key : ./server.key\n"
        + "  cert: ./server.cert\n"
        + "\n"
        + "policy:\n"
        + "  minio:\n"
        + "    allow:\n"
        + "    - /v1/key/create/*\n"
        + "    - /v1/key/generate/*\n"
        + "    - /v1/key/decrypt/*\n"
        + "    identities:\n"
        + "    - ${"
        + IDENTITY_VARIABLE
        + "}\n"
        + "\n"
        + "cache:\n"
        + "  expiry:\n"
        + "    any: 5m0s\n"
        + "    unused: 20s\n"
        + "\n"
        + "log:\n"
        + "  error: on\n"
        + "  audit: off\n"
        + "\n"
        + "keystore:\n"
        + "  gcp:\n"
        + "    secretmanager:\n"
        + "      project_id: "
        + projectId
        + "\n"
        + "      endpoint: "
        + endpoint
        + "\n"
        + "      credentials:\n"
        + "        client_email: \"\"\n"
        + "        client_id: \"\"\n"
        + "        private_key_id: \"\"\n"
        + "        private_key: \"\"\n";
  }

  /**
   * Step 5, {@code kes server --config server-config.yml} with {@code MINIO_KES_IDENTITY} set:
   * loads the config, builds the engine on the GCP key store, the HTTP API and the HTTPS server.
   * Relative TLS paths are resolved against the directory (KES: the working directory).
   *
   * @throws dev.kes4j.api.KesConfigException if the config, a file or the address is bad
   * @throws KesException 502 if the key store does not answer within a minute
   * @throws IllegalStateException if the server runs already
   */
  public synchronized KesServer start() {
    if (server != null) {
      throw new IllegalStateException("the server runs already");
    }
    step("5. kes server --config " + configFile.getFileName());
    String identity = app.identity().value();
    KesConfig config =
        KesConfig.load(
            configFile,
            new KesConfig.Options(
                name -> name.equals(IDENTITY_VARIABLE) ? identity : System.getenv(name), false));
    for (String w : config.warnings()) {
      log.println("   warning: " + w);
    }
    // no audit sink in the engine: the HTTP layer records one event per request
    Kes engine = Kes.fromConfig(config, KeyStores.discover(), b -> b.auditSink(AuditSink.NONE));
    try {
      awaitKeyStore(engine);
      server =
          KesServer.builder(KesHttpApi.fromConfig(engine, config))
              .address(address)
              .tls(config.tls(), dir)
              .start();
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    kes = engine;
    appClient =
        HttpClient.newBuilder()
            .sslContext(app.clientContext(List.of(serverIdentity.certificate())))
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    log.println("   listening on " + endpoint() + ", keystore " + config.keyStore().orElseThrow());
    return server;
  }

  /**
   * Like the newest KES, checks that the key store answers before serving; this also opens the gRPC
   * channel, so that the first request does not pay for it (on a cold, busy JVM that can take
   * longer than a request's deadline).
   */
  private void awaitKeyStore(Kes engine) {
    long deadline = System.nanoTime() + KEY_STORE_WAIT.toNanos();
    while (true) {
      ServiceStatus s = engine.status();
      if (s.keyStoreReachable()) {
        log.println("   key store reachable (" + s.keyStoreLatency().toMillis() + " ms)");
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new KesException(502, "key store is not reachable");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KesException(502, "interrupted while waiting for the key store");
      }
    }
  }

  /**
   * Stops the server and its engine (the keys stay in the fake); {@link #start()} may be called
   * again, like restarting KES. Idempotent.
   */
  public synchronized void stop() {
    if (server != null) {
      server.close();
      kes.close();
      server = null;
      kes = null;
    }
  }

  /**
   * One request as {@code app}, over mutual TLS, trusting exactly the server's self-signed
   * certificate: {@code curl --key app.key --cert app.cert --cacert server.cert -X METHOD
   * https://127.0.0.1:PORT/PATH [-d BODY]}. Prints the request and the answer's status.
   *
   * @param body the JSON body, or null for none
   * @throws IllegalStateException if the server is not running
   * @throws UncheckedIOException if the request fails on the network
   */
  public HttpResponse<String> asApp(String method, String path, String body) {
    HttpClient client;
    String base;
    synchronized (this) {
      if (server == null) {
        throw new IllegalStateException("the server is not running");
      }
      client = appClient;
      base = endpoint();
    }
    log.println(
        "   $ curl --key app.key --cert app.cert --cacert server.cert -X "
            + method
            + " "
            + base
            + path
            + (body == null ? "" : " -d '" + body + "'"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      // the answer as curl shows it, but without the plaintext data key: secrets are not logged
      log.println(
          "   "
              + r.statusCode()
              + " "
              + PLAINTEXT.matcher(r.body().strip()).replaceAll("\"plaintext\":\"<not shown>\""));
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The server's base URL, {@code https://127.0.0.1:<port>}. */
  public synchronized String endpoint() {
    if (server == null) {
      throw new IllegalStateException("the server is not running");
    }
    return "https://127.0.0.1:" + server.address().getPort();
  }

  /** The fake Secret Manager. */
  public FakeSecretManager fake() {
    return fake;
  }

  /** The application's identity (MinIO's). */
  public TlsIdentity app() {
    return app;
  }

  /** The server's TLS identity. */
  public TlsIdentity serverIdentity() {
    return serverIdentity;
  }

  /** The config file written in step 4. */
  public Path configFile() {
    return configFile;
  }

  /** Prints a step heading. */
  public void step(String title) {
    log.println();
    log.println("== " + title);
  }

  /** Stops the server and the engine, then the fake. Idempotent. */
  @Override
  public synchronized void close() {
    stop();
    fake.close();
  }

  private static String indent(String text) {
    return ("   " + text.replace("\n", "\n   ")).stripTrailing() + "\n";
  }

  private static final Pattern PLAINTEXT = Pattern.compile("\"plaintext\":\"[^\"]*\"");
  private static final Pattern FIELD = Pattern.compile("\"(plaintext|ciphertext)\":\"([^\"]*)\"");

  /** A base64 field of a KES JSON answer ({@code plaintext} or {@code ciphertext}). */
  public static String field(String json, String name) {
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(2);
      }
    }
    throw new IllegalArgumentException("no " + name + " in the answer");
  }

  /**
   * Runs the whole walkthrough, printing every step.
   *
   * @param args optionally the directory for the files (default: a new temporary directory)
   * @throws Exception if a step fails
   */
  public static void main(String[] args) throws Exception {
    Path dir =
        args.length > 0
            ? Files.createDirectories(Path.of(args[0]))
            : Files.createTempDirectory("kes4j-minio-gcp-");
    PrintStream out = System.out;
    try (MinioGcpWalkthrough w = prepare(dir, out, "127.0.0.1:0")) {
      w.start();
      w.step("6. Create " + KEY + " as app");
      require(w.asApp("POST", ApiPath.KEY_CREATE.of(KEY), null).statusCode() == 200, "create");

      w.step("7. Generate a data key (as MinIO does for an object)");
      String context =
          Base64.getEncoder()
              .encodeToString("{\"bucket\":\"bucket/object\"}".getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> generated =
          w.asApp("POST", ApiPath.KEY_GENERATE.of(KEY), "{\"context\":\"" + context + "\"}");
      require(generated.statusCode() == 200, "generate");

      w.step("8. Decrypt the sealed data key");
      HttpResponse<String> decrypted =
          w.asApp(
              "POST",
              ApiPath.KEY_DECRYPT.of(KEY),
              "{\"ciphertext\":\""
                  + field(generated.body(), "ciphertext")
                  + "\",\"context\":\""
                  + context
                  + "\"}");
      require(
          decrypted.statusCode() == 200
              && field(decrypted.body(), "plaintext").equals(field(generated.body(), "plaintext")),
          "decrypt");

      w.step("9. The policy allows nothing else: deleting the key is denied");
      require(w.asApp("DELETE", ApiPath.KEY_DELETE.of(KEY), null).statusCode() == 403, "delete");

      w.step("10. The key in Secret Manager");
      out.println("   secrets: " + w.fake().secretIds());
      out.println(
          "   "
              + KEY
              + ": "
              + w.fake().versionCount(KEY)
              + " version(s), version 1 holds "
              + w.fake().payload(KEY, 1).map(p -> p.length).orElse(0)
              + " bytes");
      require(w.fake().versionCount(KEY) == 1, "secret layout");
    }
    out.println("\nDone; files in " + dir);
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what + " failed");
    }
  }
}
