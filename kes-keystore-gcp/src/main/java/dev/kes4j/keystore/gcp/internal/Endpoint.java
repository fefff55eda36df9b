package dev.kes4j.keystore.gcp.internal;

import dev.kes4j.api.KesConfigException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the store talks to: a gRPC target {@code host:port} and whether it is a local emulator
 * (plaintext, no credentials). Immutable.
 *
 * <p>Accepted forms (spec §5.3): empty (the public service), {@code host[:port]}, {@code
 * https://host[:port]} (port 443 by default), {@code http://host[:port]} (emulator, port 80 by
 * default). A trailing {@code /} is tolerated; any other path, query or scheme is rejected. When no
 * endpoint is configured, the environment variable {@value #EMULATOR_ENV} ({@code host:port})
 * selects emulator mode, as with Google's other emulators.
 *
 * @param host the host name or IP literal (IPv6 without brackets)
 * @param port the TCP port
 * @param emulator whether to speak plaintext without credentials
 */
public record Endpoint(String host, int port, boolean emulator) {

  /** The public Secret Manager host. */
  public static final String DEFAULT_HOST = "secretmanager.googleapis.com";

  /** The environment variable naming a Secret Manager emulator ({@code host:port}). */
  public static final String EMULATOR_ENV = "SECRET_MANAGER_EMULATOR_HOST";

  /** Validates. */
  public Endpoint {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** The gRPC target {@code host:port} (IPv6 literals in brackets). */
  public String target() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Resolves the endpoint from the configured value and the environment.
   *
   * @param configured the configured endpoint; null or empty for the default
   * @param env the process environment (only {@value #EMULATOR_ENV} is read)
   * @param settingPath the YAML path of the endpoint setting, for error messages
   * @throws KesConfigException naming {@code settingPath} if the value is malformed
   */
  public static Endpoint resolve(String configured, Map<String, String> env, String settingPath) {
    String value = configured == null ? "" : configured.trim();
    if (value.isEmpty()) {
      String emulator = env.getOrDefault(EMULATOR_ENV, "").trim();
      if (!emulator.isEmpty()) {
        return parseAuthority(stripScheme(emulator, "http://"), 80, true, EMULATOR_ENV);
      }
      return new Endpoint(DEFAULT_HOST, 443, false);
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://")) {
      return parseAuthority(stripScheme(value, "http://"), 80, true, settingPath);
    }
    if (lower.startsWith("https://")) {
      return parseAuthority(stripScheme(value, "https://"), 443, false, settingPath);
    }
    if (value.contains("://")) {
      throw new KesConfigException(
          settingPath + ": unsupported endpoint scheme (use host[:port], https:// or http://)");
    }
    return parseAuthority(value, 443, false, settingPath);
  }

  private static String stripScheme(String value, String scheme) {
    return value.regionMatches(true, 0, scheme, 0, scheme.length())
        ? value.substring(scheme.length())
        : value;
  }

  private static Endpoint parseAuthority(
      String authority, int defaultPort, boolean emulator, String settingPath) {
    String a = authority.endsWith("/") ? authority.substring(0, authority.length() - 1) : authority;
    if (a.isEmpty() || a.contains("/") || a.contains("?") || a.contains("#") || a.contains("@")) {
      throw new KesConfigException(settingPath + ": invalid endpoint (expected host[:port])");
    }
    String host;
    String portText = null;
    if (a.startsWith("[")) {
      int close = a.indexOf(']');
      if (close < 0) {
        throw new KesConfigException(settingPath + ": invalid endpoint (unclosed IPv6 literal)");
      }
      host = a.substring(1, close);
      String rest = a.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new KesConfigException(settingPath + ": invalid endpoint (expected host[:port])");
        }
        portText = rest.substring(1);
      }
    } else {
      int colon = a.lastIndexOf(':');
      if (colon >= 0 && a.indexOf(':') != colon) {
        throw new KesConfigException(
            settingPath + ": invalid endpoint (put an IPv6 address in brackets)");
      }
      host = colon < 0 ? a : a.substring(0, colon);
      portText = colon < 0 ? null : a.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new KesConfigException(settingPath + ": invalid endpoint (no host)");
    }
    int port = defaultPort;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535 || !portText.chars().allMatch(Character::isDigit)) {
        throw new KesConfigException(settingPath + ": invalid endpoint port");
      }
    }
    return new Endpoint(host, port, emulator);
  }
}
