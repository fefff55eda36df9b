package dev.kes4j.cli.internal;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.client.KesClient;
import dev.kes4j.client.internal.Env;
import dev.kes4j.policy.ApiKey;
import dev.kes4j.policy.internal.pki.Pem;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The connection flags every client command shares, with KES's environment variables (spec §10) as
 * defaults: a flag wins over its variable. Not thread-safe (one per command invocation).
 */
public final class ClientOptions {
  /** MinIO's variable for the KES server's CA file; also read here. */
  public static final String CA_VARIABLE = "MINIO_KMS_KES_CAPATH";

  /** MinIO's variables for the client key and certificate; read after KES's own. */
  static final String MINIO_KEY_FILE = "MINIO_KMS_KES_KEY_FILE";

  static final String MINIO_CERT_FILE = "MINIO_KMS_KES_CERT_FILE";

  private static boolean present(java.util.Map<String, String> env, String name) {
    String v = env.get(name);
    return v != null && !v.isBlank();
  }

  @Option(
      names = {"-s", "--server"},
      paramLabel = "URL",
      split = ",",
      description =
          "KES server(s), comma-separated (default: $MINIO_KES_SERVER, $KES_SERVER,"
              + " $MINIO_KMS_KES_ENDPOINT, else 127.0.0.1:7373).")
  List<String> servers = new ArrayList<>();

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description = "API key kes:v1:... (default: $MINIO_KES_API_KEY, $KES_API_KEY).")
  String apiKey;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "Client private key, PEM (default: $MINIO_KES_KEY_FILE, $KES_CLIENT_KEY).")
  Path keyFile;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description = "Client certificate, PEM (default: $MINIO_KES_CERT_FILE, $KES_CLIENT_CERT).")
  Path certFile;

  @Option(
      names = "--ca",
      paramLabel = "FILE",
      description =
          "CA certificate(s) that issued the server certificate, PEM (default: $"
              + CA_VARIABLE
              + ", else the system roots).")
  Path caFile;

  @Option(
      names = {"-k", "--insecure"},
      description = "Do not verify the server certificate (tests only).")
  boolean insecure;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "20s",
      description = "Per-request timeout, a Go duration (default ${DEFAULT-VALUE}).")
  String timeout;

  /** What the flags and variables resolve to, for commands that speak TLS themselves. */
  public record Settings(
      List<String> endpoints,
      PrivateKey key,
      List<X509Certificate> chain,
      String credentialSource,
      List<X509Certificate> cas,
      String caSource,
      boolean insecure,
      Duration timeout) {}

  /**
   * Resolves flags and variables.
   *
   * @throws IllegalArgumentException (exit 2) if there are no or conflicting credentials
   * @throws KesConfigException if a file cannot be read
   */
  public Settings resolve(Map<String, String> env) {
    List<String> endpoints = new ArrayList<>();
    for (String s : servers) {
      endpoints.addAll(Env.endpoints(s));
    }
    if (endpoints.isEmpty()) {
      endpoints.addAll(endpointsFromEnv(env));
    }
    if ((keyFile == null) != (certFile == null)) {
      throw new IllegalArgumentException("--key and --cert go together");
    }
    if (apiKey != null && keyFile != null) {
      throw new IllegalArgumentException("use either --api-key or --key/--cert");
    }
    PrivateKey k;
    List<X509Certificate> chain;
    String source;
    if (apiKey != null) {
      ApiKey parsed = parseApiKey(apiKey);
      k = parsed.privateKey();
      chain = List.of(parsed.selfSignedCertificate());
      source = "API key (--api-key)";
    } else if (keyFile != null) {
      k = Pem.readPrivateKey(keyFile, null);
      chain = Pem.readCertificates(certFile);
      source = "certificate " + certFile + " (--cert)";
    } else {
      Env e;
      try {
        e = Env.resolve(env);
      } catch (KesConfigException x) {
        throw new IllegalArgumentException(x.getMessage());
      }
      if (e.apiKey() != null) {
        ApiKey parsed = parseApiKey(e.apiKey());
        k = parsed.privateKey();
        chain = List.of(parsed.selfSignedCertificate());
        source = "API key ($" + e.apiKeyVariable() + ")";
      } else if (e.keyFile() != null) {
        k = Pem.readPrivateKey(Path.of(e.keyFile()), null);
        chain = Pem.readCertificates(Path.of(e.certFile()));
        source = "certificate " + e.certFile() + " ($" + e.certFileVariable() + ")";
      } else if (present(env, MINIO_KEY_FILE) && present(env, MINIO_CERT_FILE)) {
        // MinIO's own variables, as 'kes4j server --dev' prints them
        k = Pem.readPrivateKey(Path.of(env.get(MINIO_KEY_FILE).trim()), null);
        chain = Pem.readCertificates(Path.of(env.get(MINIO_CERT_FILE).trim()));
        source = "certificate " + env.get(MINIO_CERT_FILE).trim() + " ($" + MINIO_CERT_FILE + ")";
      } else {
        throw new IllegalArgumentException(
            "no client credentials: use --api-key, or --key and --cert, or set "
                + Env.API_KEY.get(1)
                + ", or "
                + Env.KEY_FILE.get(1)
                + " and "
                + Env.CERT_FILE.get(1));
      }
    }
    List<X509Certificate> cas = List.of();
    String caSource = "system roots";
    Path ca = caFile;
    if (ca == null && env.get(CA_VARIABLE) != null && !env.get(CA_VARIABLE).isBlank()) {
      ca = Path.of(env.get(CA_VARIABLE).trim());
      caSource = ca + " ($" + CA_VARIABLE + ")";
    } else if (ca != null) {
      caSource = ca + " (--ca)";
    }
    if (ca != null) {
      cas = Pem.readCertificates(ca);
    }
    Duration t = dev.kes4j.cli.Kes4j.parseDuration(timeout);
    return new Settings(List.copyOf(endpoints), k, chain, source, cas, caSource, insecure, t);
  }

  /** The endpoints of the server variables, or the default. */
  static List<String> endpointsFromEnv(Map<String, String> env) {
    for (String name : Env.SERVER) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        return Env.endpoints(v);
      }
    }
    return List.of("https://" + Env.DEFAULT_SERVER);
  }

  private static ApiKey parseApiKey(String text) {
    try {
      return ApiKey.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid API key"); // never quotes the key
    }
  }

  /**
   * A client for the resolved settings.
   *
   * @throws IllegalArgumentException (exit 2) if there are no or conflicting credentials
   * @throws KesConfigException if a file cannot be read or an endpoint is invalid
   */
  public KesClient client(Map<String, String> env) {
    return client(resolve(env));
  }

  /** A client for these settings. */
  public static KesClient client(Settings s) {
    KesClient.Builder b =
        KesClient.builder()
            .endpoints(s.endpoints())
            .clientCertificate(s.key(), s.chain())
            .insecure(s.insecure())
            .timeout(s.timeout());
    if (!s.cas().isEmpty()) {
      b.caCertificates(s.cas());
    }
    return b.build();
  }
}
