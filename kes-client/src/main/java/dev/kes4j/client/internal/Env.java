package dev.kes4j.client.internal;

import dev.kes4j.api.KesConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The client settings of the environment — the one resolver that {@code KesClient.fromEnvironment}
 * and every {@code kes4j} client command use (spec §10 plus MinIO's variables). In each list the
 * first non-empty variable wins:
 *
 * <ul>
 *   <li>server: {@code MINIO_KES_SERVER} > {@code KES_SERVER} > {@code MINIO_KMS_KES_ENDPOINT} >
 *       {@code 127.0.0.1:7373};
 *   <li>credentials, KES's own variables first: API key {@code MINIO_KES_API_KEY} > {@code
 *       KES_API_KEY}; key file {@code MINIO_KES_KEY_FILE} > {@code KES_CLIENT_KEY} > {@code
 *       MINIO_KES_CLIENT_KEY}; certificate file {@code MINIO_KES_CERT_FILE} > {@code
 *       KES_CLIENT_CERT} > {@code MINIO_KES_CLIENT_CERT}. Only when none of these is set, MinIO's:
 *       {@code MINIO_KMS_KES_API_KEY}, or {@code MINIO_KMS_KES_KEY_FILE} and {@code
 *       MINIO_KMS_KES_CERT_FILE} (what {@code kes4j server --dev} prints), so that a MinIO
 *       environment with a KES admin key added is not a conflict;
 *   <li>CA certificates: {@code MINIO_KMS_KES_CAPATH} (a PEM file or a directory of them), else the
 *       system roots.
 * </ul>
 *
 * @param endpoints the server endpoints, each with {@code https://} added when it has no scheme
 * @param apiKey the API key, or null; a secret, never printed
 * @param apiKeyVariable the variable the API key came from, or null
 * @param keyFile the client key file, or null
 * @param keyFileVariable the variable the key file came from, or null
 * @param certFile the client certificate file, or null
 * @param certFileVariable the variable the certificate file came from, or null
 * @param caPath the CA file or directory, or null for the system roots
 */
public record Env(
    List<String> endpoints,
    String apiKey,
    String apiKeyVariable,
    String keyFile,
    String keyFileVariable,
    String certFile,
    String certFileVariable,
    String caPath) {

  /** The server variables, in precedence order. */
  public static final List<String> SERVER =
      List.of("MINIO_KES_SERVER", "KES_SERVER", "MINIO_KMS_KES_ENDPOINT");

  /** KES's API key variables, in precedence order. */
  public static final List<String> API_KEY = List.of("MINIO_KES_API_KEY", "KES_API_KEY");

  /** KES's key file variables, in precedence order. */
  public static final List<String> KEY_FILE =
      List.of("MINIO_KES_KEY_FILE", "KES_CLIENT_KEY", "MINIO_KES_CLIENT_KEY");

  /** KES's certificate file variables, in precedence order. */
  public static final List<String> CERT_FILE =
      List.of("MINIO_KES_CERT_FILE", "KES_CLIENT_CERT", "MINIO_KES_CLIENT_CERT");

  /** MinIO's API key variable, read when none of KES's credential variables is set. */
  public static final String MINIO_API_KEY = "MINIO_KMS_KES_API_KEY";

  /** MinIO's key file variable, read when none of KES's credential variables is set. */
  public static final String MINIO_KEY_FILE = "MINIO_KMS_KES_KEY_FILE";

  /** MinIO's certificate file variable, read when none of KES's credential variables is set. */
  public static final String MINIO_CERT_FILE = "MINIO_KMS_KES_CERT_FILE";

  /** MinIO's variable for the CA certificate(s) of the KES server. */
  public static final String CA_PATH = "MINIO_KMS_KES_CAPATH";

  /** What to do about a server certificate the client does not trust (client and CLI say it so). */
  public static final String UNTRUSTED_HINT =
      "set "
          + CA_PATH
          + " to the CA certificate file that issued it (kes4j: --ca FILE;"
          + " KesClient.Builder.caCertificates), or for tests only skip verification (kes4j -k)";

  /** The endpoint when no variable names one. */
  public static final String DEFAULT_SERVER = "127.0.0.1:7373";

  /** Validates and copies. */
  public Env {
    endpoints = List.copyOf(endpoints);
  }

  /**
   * Reads the variables from {@code env}.
   *
   * @throws KesConfigException if an API key and a key or certificate file are both set, or only
   *     one of key and certificate file is set (naming the variables)
   */
  public static Env resolve(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String[] server = first(env, SERVER);
    String[] apiKey = first(env, API_KEY);
    String[] key = first(env, KEY_FILE);
    String[] cert = first(env, CERT_FILE);
    String keyHint = KEY_FILE.get(1);
    String certHint = CERT_FILE.get(1);
    if (apiKey == null && key == null && cert == null) {
      apiKey = first(env, List.of(MINIO_API_KEY));
      key = first(env, List.of(MINIO_KEY_FILE));
      cert = first(env, List.of(MINIO_CERT_FILE));
      keyHint = MINIO_KEY_FILE;
      certHint = MINIO_CERT_FILE;
    }
    if (apiKey != null && (key != null || cert != null)) {
      throw new KesConfigException(
          "an API key ("
              + apiKey[0]
              + ") and a client key or certificate file ("
              + (key != null ? key[0] : cert[0])
              + ") are mutually exclusive: set either the API key or the key and certificate files");
    }
    if (key != null && cert == null) {
      throw new KesConfigException(
          "client key file set (" + key[0] + ") but no certificate file (" + certHint + ")");
    }
    if (cert != null && key == null) {
      throw new KesConfigException(
          "client certificate file set ("
              + cert[0]
              + ") but no private key file ("
              + keyHint
              + ")");
    }
    String[] ca = first(env, List.of(CA_PATH));
    return new Env(
        endpoints(server == null ? DEFAULT_SERVER : server[1]),
        apiKey == null ? null : apiKey[1],
        apiKey == null ? null : apiKey[0],
        key == null ? null : key[1],
        key == null ? null : key[0],
        cert == null ? null : cert[1],
        cert == null ? null : cert[0],
        ca == null ? null : ca[1]);
  }

  /** Whether any client credential is configured. */
  public boolean hasCredentials() {
    return apiKey != null || keyFile != null;
  }

  /** The error for "no credentials", naming the variables (and {@code flags}, if not empty). */
  public static KesConfigException noCredentials(String flags) {
    return new KesConfigException(
        "no client credentials: "
            + (flags.isEmpty() ? "" : "use " + flags + ", or ")
            + "set "
            + API_KEY.get(1)
            + ", or "
            + KEY_FILE.get(1)
            + " and "
            + CERT_FILE.get(1)
            + " (or MinIO's "
            + MINIO_API_KEY
            + ", or "
            + MINIO_KEY_FILE
            + " and "
            + MINIO_CERT_FILE
            + ")");
  }

  /**
   * Splits a comma-separated endpoint list, trims it, drops empty items and adds {@code https://}
   * to items without a scheme.
   */
  public static List<String> endpoints(String list) {
    List<String> out = new ArrayList<>();
    for (String part : list.split(",")) {
      String e = part.trim();
      if (e.isEmpty()) {
        continue;
      }
      out.add(e.contains("://") ? e : "https://" + e);
    }
    return out;
  }

  private static String[] first(Map<String, String> env, List<String> names) {
    for (String n : names) {
      String v = env.get(n);
      if (v != null && !v.trim().isEmpty()) {
        return new String[] {n, v.trim()};
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "Env[endpoints="
        + endpoints
        + ", apiKey="
        + (apiKey == null ? "none" : "<redacted> from " + apiKeyVariable)
        + ", keyFile="
        + keyFile
        + ", certFile="
        + certFile
        + ", ca="
        + (caPath == null ? "system roots" : caPath)
        + "]";
  }
}
