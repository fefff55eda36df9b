package dev.kes4j.client.internal;

import dev.kes4j.api.KesConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The client settings of KES's environment variables (spec §10), first non-empty variable wins:
 * server {@code MINIO_KES_SERVER} > {@code KES_SERVER} > {@code MINIO_KMS_KES_ENDPOINT} > {@code
 * 127.0.0.1:7373}; API key {@code MINIO_KES_API_KEY} > {@code KES_API_KEY} > {@code
 * MINIO_KMS_KES_API_KEY}; key file {@code MINIO_KES_KEY_FILE} > {@code KES_CLIENT_KEY} > {@code
 * MINIO_KES_CLIENT_KEY}; certificate file {@code MINIO_KES_CERT_FILE} > {@code KES_CLIENT_CERT} >
 * {@code MINIO_KES_CLIENT_CERT}.
 *
 * @param endpoints the server endpoints, each with {@code https://} added when it has no scheme
 * @param apiKey the API key, or null; a secret, never printed
 * @param apiKeyVariable the variable the API key came from, or null
 * @param keyFile the client key file, or null
 * @param keyFileVariable the variable the key file came from, or null
 * @param certFile the client certificate file, or null
 * @param certFileVariable the variable the certificate file came from, or null
 */
public record Env(
    List<String> endpoints,
    String apiKey,
    String apiKeyVariable,
    String keyFile,
    String keyFileVariable,
    String certFile,
    String certFileVariable) {

  /** The server variables, in precedence order. */
  public static final List<String> SERVER =
      List.of("MINIO_KES_SERVER", "KES_SERVER", "MINIO_KMS_KES_ENDPOINT");

  /** The API key variables, in precedence order. */
  public static final List<String> API_KEY =
      List.of("MINIO_KES_API_KEY", "KES_API_KEY", "MINIO_KMS_KES_API_KEY");

  /** The key file variables, in precedence order. */
  public static final List<String> KEY_FILE =
      List.of("MINIO_KES_KEY_FILE", "KES_CLIENT_KEY", "MINIO_KES_CLIENT_KEY");

  /** The certificate file variables, in precedence order. */
  public static final List<String> CERT_FILE =
      List.of("MINIO_KES_CERT_FILE", "KES_CLIENT_CERT", "MINIO_KES_CLIENT_CERT");

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
   *     one of key and certificate file is set
   */
  public static Env resolve(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String[] server = first(env, SERVER);
    String[] apiKey = first(env, API_KEY);
    String[] key = first(env, KEY_FILE);
    String[] cert = first(env, CERT_FILE);
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
          "client key file set ("
              + key[0]
              + ") but no certificate file ("
              + CERT_FILE.get(1)
              + ")");
    }
    if (cert != null && key == null) {
      throw new KesConfigException(
          "client certificate file set ("
              + cert[0]
              + ") but no private key file ("
              + KEY_FILE.get(1)
              + ")");
    }
    return new Env(
        endpoints(server == null ? DEFAULT_SERVER : server[1]),
        apiKey == null ? null : apiKey[1],
        apiKey == null ? null : apiKey[0],
        key == null ? null : key[1],
        key == null ? null : key[0],
        cert == null ? null : cert[1],
        cert == null ? null : cert[0]);
  }

  /** Whether any client credential is configured. */
  public boolean hasCredentials() {
    return apiKey != null || keyFile != null;
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
        + "]";
  }
}
