package dev.kes4j.core;

import dev.kes4j.api.CiphertextFormat;
import dev.kes4j.api.Identity;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.spi.GoDuration;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.core.internal.ConfigNode;
import dev.kes4j.core.internal.Suggest;
import dev.kes4j.crypto.KeyBlobFormat;
import dev.kes4j.policy.Policies;
import dev.kes4j.policy.PolicyMatching;
import dev.kes4j.policy.PolicySet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

// Over 600 lines: both KES config schemas (0.16 and current) with their per-field errors naming
// the YAML path and line; the YAML node walking lives in internal.ConfigNode.
/**
 * A KES server configuration file, in either schema KES ever used (spec §7): the current one
 * ({@code admin:}, §7.1) and the 0.16 one ({@code root:}, §7.2). A config written for Go KES parses
 * unchanged; kes4j's own settings live in an optional {@code kes4j:} section that Go KES ignores:
 *
 * <pre>
 * kes4j:
 *   policy_matching: prefix | glob        # default: glob for 0.16 configs, prefix otherwise
 *   ciphertext_format: json | msgpack | binary   # default json (every KES version decrypts it)
 *   key_format: protobuf | legacy_json    # default protobuf; legacy_json for stores shared with KES ≤ 0.18
 *   lenient_names: false                  # accept key names KES 0.16 allowed (e.g. with '.')
 *   errors: legacy | current              # HTTP error strings; default legacy (spec §1.2)
 *   heap_objects: 1m | off                # how often /v1/metrics may count heap objects (a heap walk)
 *   strict: false                         # unknown settings are errors instead of warnings
 * </pre>
 *
 * <p>{@code ${VAR}} substitution applies to a whole scalar of that form, everywhere except in
 * policy allow/deny patterns; a missing variable is an error naming it and its line. Every error is
 * a {@link KesConfigException} naming the YAML path and line. Immutable and thread-safe; secrets
 * (TLS password, key store credentials) never appear in {@code toString()}.
 */
public final class KesConfig {

  /** Which KES config schema a file uses. */
  public enum Schema {
    /** KES ≥ 0.18: {@code admin: identity:}, prefix policy matching. */
    CURRENT,
    /** KES 0.16/0.17: {@code root:}, glob policy matching. */
    V0_16
  }

  /** Which error strings the HTTP API sends for the two messages that changed in KES 0.18. */
  public enum ErrorMessages {
    /** {@code key does already exist} / {@code prohibited by policy}: every client understands. */
    LEGACY,
    /** {@code key already exists} / {@code not authorized: insufficient permissions}. */
    CURRENT
  }

  /**
   * The {@code tls:} section.
   *
   * @param keyFile PEM private key path (may be encrypted); empty if not configured
   * @param certFile PEM certificate (chain) path; empty if not configured
   * @param password password of an encrypted key; empty if none. Never printed.
   * @param verifyClientCertificates {@code auth: on}: verify client chains against system roots
   *     plus {@code ca}; otherwise any client certificate is accepted and only identified
   * @param caPath extra trusted CA file or directory; empty if none
   * @param proxyIdentities identities of TLS proxies (parsed, not used, as in KES)
   * @param proxyCertHeader header a proxy forwards the client certificate in
   */
  public record Tls(
      String keyFile,
      String certFile,
      String password,
      boolean verifyClientCertificates,
      String caPath,
      List<String> proxyIdentities,
      String proxyCertHeader) {
    /** Validates and copies. */
    public Tls {
      Objects.requireNonNull(keyFile, "keyFile");
      Objects.requireNonNull(certFile, "certFile");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(caPath, "caPath");
      proxyIdentities = List.copyOf(proxyIdentities);
      Objects.requireNonNull(proxyCertHeader, "proxyCertHeader");
    }

    @Override
    public String toString() {
      return "Tls[key="
          + keyFile
          + ", cert="
          + certFile
          + ", password="
          + (password.isEmpty() ? "<none>" : "<redacted>")
          + ", auth="
          + (verifyClientCertificates ? "on" : "off")
          + ", ca="
          + caPath
          + "]";
    }
  }

  /**
   * A per-route override from the {@code api:} section.
   *
   * @param skipAuth identify callers but never reject them on this route
   * @param timeout the route's timeout; {@link Duration#ZERO} keeps the route's default
   */
  public record ApiRoute(boolean skipAuth, Duration timeout) {
    /** Validates. */
    public ApiRoute {
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  /**
   * A policy from the {@code policy:} section.
   *
   * @param allow allow patterns
   * @param deny deny patterns
   * @param identities identities assigned to the policy
   */
  public record PolicyDefinition(List<String> allow, List<String> deny, List<String> identities) {
    /** Copies. */
    public PolicyDefinition {
      allow = List.copyOf(allow);
      deny = List.copyOf(deny);
      identities = List.copyOf(identities);
    }
  }

  /**
   * Parse options.
   *
   * @param env looks up {@code ${VAR}} references; returns null when a variable is missing
   * @param strict unknown settings are errors rather than warnings
   */
  public record Options(UnaryOperator<String> env, boolean strict) {
    /** Validates. */
    public Options {
      Objects.requireNonNull(env, "env");
    }

    /** The process environment, lenient about unknown settings. */
    public static Options defaults() {
      return new Options(System::getenv, false);
    }
  }

  private static final Set<String> TOP_CURRENT =
      Set.of(
          "version",
          "address",
          "admin",
          "tls",
          "api",
          "policy",
          "cache",
          "log",
          "keys",
          "keystore",
          "kes4j");
  private static final Set<String> TOP_V016 =
      Set.of("address", "root", "tls", "policy", "cache", "log", "keys", "keystore", "kes4j");

  private final Schema schema;
  private final String address;
  private final String adminIdentity;
  private final Tls tls;
  private final Map<String, ApiRoute> api;
  private final Map<String, PolicyDefinition> policies;
  private final PolicyMatching policyMatching;
  private final CacheConfig cache;
  private final String errorLog;
  private final String auditLog;
  private final List<String> keys;
  private final KeyStoreConfig keyStore;
  private final CiphertextFormat ciphertextFormat;
  private final KeyBlobFormat keyFormat;
  private final boolean lenientNames;
  private final Duration heapObjectsEvery;
  private final ErrorMessages errorMessages;
  private final List<String> warnings;
  // for KeyStoreSettings: the keystore section with its lines, and whether unknown keys are errors
  private final ConfigNode keystoreNode;
  private final boolean strict;

  private KesConfig(Builder b) {
    this.schema = b.schema;
    this.address = b.address;
    this.adminIdentity = b.adminIdentity;
    this.tls = b.tls;
    this.api = Collections.unmodifiableMap(new LinkedHashMap<>(b.api));
    this.policies = Collections.unmodifiableMap(new LinkedHashMap<>(b.policies));
    this.policyMatching = b.policyMatching;
    this.cache = b.cache;
    this.errorLog = b.errorLog;
    this.auditLog = b.auditLog;
    this.keys = List.copyOf(b.keys);
    this.keyStore = b.keyStore;
    this.ciphertextFormat = b.ciphertextFormat;
    this.keyFormat = b.keyFormat;
    this.lenientNames = b.lenientNames;
    this.heapObjectsEvery = b.heapObjectsEvery;
    this.errorMessages = b.errorMessages;
    this.warnings = List.copyOf(b.warnings);
    this.keystoreNode = b.keystoreNode;
    this.strict = b.strict;
  }

  /**
   * Reads and parses a config file with {@link Options#defaults()}.
   *
   * @throws KesConfigException if the file cannot be read or is invalid
   */
  public static KesConfig load(Path file) {
    return load(file, Options.defaults());
  }

  /**
   * Reads and parses a config file.
   *
   * @throws KesConfigException if the file cannot be read or is invalid
   */
  public static KesConfig load(Path file, Options options) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), options);
    } catch (IOException e) {
      throw new KesConfigException("cannot read config file '" + file + "': " + e.getMessage(), e);
    }
  }

  /**
   * Parses config text with {@link Options#defaults()}.
   *
   * @throws KesConfigException if the text is invalid, naming the YAML path and line
   */
  public static KesConfig parse(String yaml) {
    return parse(yaml, Options.defaults());
  }

  /**
   * Parses config text.
   *
   * @throws KesConfigException if the text is invalid, naming the YAML path and line
   */
  public static KesConfig parse(String yaml, Options options) {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(options, "options");
    ConfigNode root = ConfigNode.parse(yaml, options.env());
    if (!root.isNull() && !root.isMapping()) {
      throw root.error("a KES config must be a YAML mapping");
    }
    Builder b = new Builder();
    boolean v016 = root.get("root").isPresent();
    if (v016 && root.get("admin").isPresent()) {
      throw root.error("both 'root' (KES 0.16) and 'admin' (KES ≥ 0.18) are set: use one schema");
    }
    b.schema = v016 ? Schema.V0_16 : Schema.CURRENT;
    ConfigNode ext = root.child("kes4j");
    boolean strict = options.strict() || bool(ext.child("strict"), false);
    b.strict = strict;
    ext.checkKnown(
        Set.of(
            "policy_matching",
            "ciphertext_format",
            "key_format",
            "lenient_names",
            "errors",
            "heap_objects",
            "strict"),
        true,
        b.warnings);
    root.checkKnown(v016 ? TOP_V016 : TOP_CURRENT, strict, b.warnings);

    if (!v016) {
      String version = root.child("version").text();
      if (!version.isEmpty() && !version.equals("v1")) {
        throw root.child("version").error("unsupported config version '" + version + "'");
      }
    }
    b.address = nonEmpty(root.child("address").text(), "0.0.0.0:7373");

    // admin / root identity
    ConfigNode admin = v016 ? root.child("root") : root.child("admin").child("identity");
    if (!v016) {
      root.child("admin").checkKnown(Set.of("identity"), strict, b.warnings);
    }
    b.adminIdentity = admin.text().trim();
    if (b.adminIdentity.isEmpty()) {
      throw admin.error(
          v016
              ? "no root identity has been specified"
              : "invalid admin identity: no admin identity");
    }
    checkIdentityValue(admin, b.adminIdentity, v016);

    parseTls(root.child("tls"), v016, strict, b);
    if (!v016) {
      parseApi(root.child("api"), strict, b);
    }
    parsePolicies(root.child("policy"), v016, strict, b);
    parseCache(root.child("cache"), v016, strict, b);
    ConfigNode log = root.child("log");
    log.checkKnown(Set.of("error", "audit"), strict, b.warnings);
    b.errorLog = logLevel(log.child("error"), v016 ? "on" : "INFO");
    b.auditLog = logLevel(log.child("audit"), v016 ? "off" : "INFO");
    parseKeys(root.child("keys"), b);

    ConfigNode keystore = root.child("keystore");
    b.keystoreNode = keystore;
    if (keystore.isNull()) {
      if (!v016) {
        throw keystore.error("no keystore specified");
      }
    } else {
      Object plain = keystore.toPlain();
      if (!(plain instanceof Map<?, ?> map)) {
        throw keystore.error("expected a mapping");
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> m = (Map<String, ?>) map;
      b.keyStore = KeyStoreConfig.of("keystore", m);
    }

    b.policyMatching = v016 ? PolicyMatching.GLOB : PolicyMatching.PREFIX;
    ConfigNode matching = ext.child("policy_matching");
    if (!matching.isNull()) {
      b.policyMatching = enumValue(matching, PolicyMatching.class);
    }
    ConfigNode format = ext.child("ciphertext_format");
    if (!format.isNull()) {
      b.ciphertextFormat = enumValue(format, CiphertextFormat.class);
    }
    ConfigNode keyFormat = ext.child("key_format");
    if (!keyFormat.isNull()) {
      b.keyFormat = enumValue(keyFormat, KeyBlobFormat.class);
    }
    b.lenientNames = bool(ext.child("lenient_names"), false);
    ConfigNode errors = ext.child("errors");
    if (!errors.isNull()) {
      b.errorMessages = enumValue(errors, ErrorMessages.class);
    }
    ConfigNode heapObjects = ext.child("heap_objects");
    if (!heapObjects.isNull()) {
      boolean off = heapObjects.text().trim().equalsIgnoreCase("off");
      b.heapObjectsEvery = off ? Duration.ZERO : duration(heapObjects, Duration.ZERO);
    }
    return new KesConfig(b);
  }

  private static void parseTls(ConfigNode tls, boolean v016, boolean strict, Builder b) {
    tls.checkKnown(
        v016
            ? Set.of("key", "cert", "proxy")
            : Set.of("key", "cert", "password", "auth", "ca", "proxy"),
        strict,
        b.warnings);
    ConfigNode proxy = tls.child("proxy");
    proxy.checkKnown(Set.of("identities", "header"), strict, b.warnings);
    List<String> proxies = new ArrayList<>();
    for (ConfigNode id : proxy.child("identities").items()) {
      String value = id.text().trim();
      if (!value.isEmpty()) {
        proxies.add(value);
      }
    }
    String header =
        nonEmpty(proxy.child("header").child("cert").text().trim(), "X-Tls-Client-Cert");
    String auth = tls.child("auth").text().trim().toLowerCase(Locale.ROOT);
    if (!auth.isEmpty() && !auth.equals("on") && !auth.equals("off")) {
      throw tls.child("auth").error("invalid value '" + auth + "': expected 'on' or 'off'");
    }
    b.tls =
        new Tls(
            tls.child("key").text().trim(),
            tls.child("cert").text().trim(),
            tls.child("password").text(),
            auth.equals("on"),
            tls.child("ca").text().trim(),
            proxies,
            header);
  }

  private static void parseApi(ConfigNode api, boolean strict, Builder b) {
    for (Map.Entry<String, ConfigNode> e : api.mapping().entrySet()) {
      ConfigNode route = e.getValue();
      route.checkKnown(Set.of("skip_auth", "timeout"), strict, b.warnings);
      if (!e.getKey().startsWith("/")) {
        throw route.error("API paths must start with '/'");
      }
      Duration timeout = duration(route.child("timeout"), Duration.ZERO);
      b.api.put(e.getKey(), new ApiRoute(bool(route.child("skip_auth"), false), timeout));
    }
  }

  private static void parsePolicies(ConfigNode policy, boolean v016, boolean strict, Builder b) {
    Map<String, String> assigned = new HashMap<>();
    for (Map.Entry<String, ConfigNode> e : policy.mapping().entrySet()) {
      ConfigNode p = e.getValue();
      p.checkKnown(
          v016
              ? Set.of("allow", "deny", "paths", "identities")
              : Set.of("allow", "deny", "identities"),
          strict,
          b.warnings);
      List<String> allow = patterns(p.child("allow"));
      if (v016) {
        allow.addAll(patterns(p.child("paths"))); // KES 0.14 layout, migrated by 0.16
      }
      List<String> deny = patterns(p.child("deny"));
      List<String> identities = new ArrayList<>();
      for (ConfigNode id : p.child("identities").items()) {
        String value = id.text().trim();
        if (value.isEmpty()) {
          b.warnings.add(id.path() + " (line " + id.line() + "): empty identity ignored");
          continue;
        }
        if (value.equals(b.adminIdentity)) {
          throw id.error("the admin identity cannot be assigned to policy '" + e.getKey() + "'");
        }
        String previous = assigned.putIfAbsent(value, e.getKey());
        if (previous != null) {
          throw id.error(
              "identity '"
                  + value
                  + "' is already assigned to policy '"
                  + previous
                  + "' (one policy per identity)");
        }
        identities.add(value);
      }
      if (allow.isEmpty()) {
        b.warnings.add(
            p.path()
                + " (line "
                + p.line()
                + "): policy '"
                + e.getKey()
                + "' has no allow rules: it allows nothing");
      }
      b.policies.put(e.getKey(), new PolicyDefinition(allow, deny, identities));
    }
  }

  /**
   * A value that disables the admin by accident: a near miss of {@code disabled} ({@code disable},
   * {@code disbaled}) or of an identity (hex of almost the right length). Any other non-hex value
   * disables the admin, as in KES.
   */
  private static void checkIdentityValue(ConfigNode node, String value, boolean v016) {
    if (value.equals("disabled") || (v016 && value.equals("_")) || Identity.of(value).isHash()) {
      return;
    }
    Optional<String> meant = Suggest.nearest(value, Set.of("disabled"));
    if (meant.isPresent()) {
      throw node.errorAt("invalid value '" + value + "' — did you mean 'disabled'?");
    }
    if (value.length() >= 56 && value.length() <= 72 && value.matches("[0-9a-fA-F]+")) {
      throw node.errorAt(
          "'"
              + value
              + "' is not an identity: expected 64 lowercase hex characters (got "
              + value.length()
              + "), or 'disabled'");
    }
  }

  /** The keystore section's settings checked against what the providers declare (see Kes). */
  List<String> checkKeyStoreSettings(KeyStores stores) {
    return dev.kes4j.core.internal.KeyStoreSettings.check(keystoreNode, stores, strict);
  }

  private static List<String> patterns(ConfigNode list) {
    List<String> out = new ArrayList<>();
    for (ConfigNode item : list.items()) {
      String pattern = item.raw(); // spec §7: policy patterns are never substituted
      if (!pattern.isEmpty()) {
        out.add(pattern);
      }
    }
    return out;
  }

  private static void parseCache(ConfigNode cache, boolean v016, boolean strict, Builder b) {
    cache.checkKnown(Set.of("expiry"), strict, b.warnings);
    ConfigNode expiry = cache.child("expiry");
    expiry.checkKnown(
        v016 ? Set.of("any", "unused") : Set.of("any", "unused", "offline"), strict, b.warnings);
    CacheConfig defaults = v016 ? CacheConfig.none() : CacheConfig.kesDefaults();
    b.cache =
        new CacheConfig(
            duration(expiry.child("any"), defaults.any()),
            duration(expiry.child("unused"), defaults.unused()),
            duration(expiry.child("offline"), defaults.offline()));
  }

  private static void parseKeys(ConfigNode keys, Builder b) {
    Set<String> seen = new LinkedHashSet<>();
    for (ConfigNode item : keys.items()) {
      ConfigNode nameNode = item.isMapping() ? item.child("name") : item;
      String name = nameNode.text().trim();
      if (name.isEmpty()) {
        throw nameNode.error("key name is empty");
      }
      if (!seen.add(name)) {
        throw nameNode.error("key '" + name + "' is listed more than once");
      }
    }
    b.keys.addAll(seen);
  }

  private static String logLevel(ConfigNode node, String fallback) {
    String v = node.text().trim();
    if (v.isEmpty()) {
      return fallback;
    }
    String upper = v.toUpperCase(Locale.ROOT);
    if (upper.equals("ON")
        || upper.equals("OFF")
        || upper.matches("(DEBUG|INFO|WARN|ERROR)([+-]\\d+)?")) {
      return v;
    }
    throw node.error("invalid log level '" + v + "': expected on, off, DEBUG, INFO, WARN or ERROR");
  }

  private static Duration duration(ConfigNode node, Duration fallback) {
    String v = node.text().trim();
    if (v.isEmpty()) {
      return fallback;
    }
    Duration d;
    try {
      d = GoDuration.parse(v);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
    if (d.isNegative()) {
      throw node.error("duration must not be negative: " + v);
    }
    return d;
  }

  private static boolean bool(ConfigNode node, boolean fallback) {
    String v = node.text().trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "":
        return fallback;
      case "true":
      case "on":
      case "yes":
        return true;
      case "false":
      case "off":
      case "no":
        return false;
      default:
        throw node.error("expected true or false, got '" + v + "'");
    }
  }

  private static <E extends Enum<E>> E enumValue(ConfigNode node, Class<E> type) {
    String v = node.text().trim();
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v)) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw node.error("invalid value '" + v + "': expected one of " + String.join(", ", allowed));
  }

  private static String nonEmpty(String v, String fallback) {
    return v.isEmpty() ? fallback : v;
  }

  /** Which schema the file uses. */
  public Schema schema() {
    return schema;
  }

  /** The listen address, {@code 0.0.0.0:7373} by default. */
  public String address() {
    return address;
  }

  /**
   * The admin ({@code root} in 0.16) identity as written; a value that is not 64 hex characters
   * (such as {@code disabled} or {@code _}) disables the admin.
   */
  public String adminIdentity() {
    return adminIdentity;
  }

  /** The {@code tls:} section (fields empty when absent). */
  public Tls tls() {
    return tls;
  }

  /** Per-route overrides from {@code api:}, keyed by route path. */
  public Map<String, ApiRoute> api() {
    return api;
  }

  /** The policies, in file order. */
  public Map<String, PolicyDefinition> policies() {
    return policies;
  }

  /** How policy patterns match: glob for 0.16 configs, prefix otherwise, unless overridden. */
  public PolicyMatching policyMatching() {
    return policyMatching;
  }

  /**
   * The policy set this config defines: its policies (matched per {@link #policyMatching()}),
   * identity assignments and admin identity.
   *
   * @throws KesConfigException if a policy name or pattern is invalid (glob syntax errors included)
   */
  public PolicySet policySet() {
    PolicySet.Builder b = PolicySet.builder().admin(Identity.of(adminIdentity));
    policies.forEach(
        (name, p) -> {
          b.policy(name, Policies.of(policyMatching, p.allow(), p.deny()));
          for (String id : p.identities()) {
            b.assign(Identity.of(id), name);
          }
        });
    return b.build();
  }

  /** Cache expiry settings. */
  public CacheConfig cache() {
    return cache;
  }

  /** The {@code log.error} level as written, or the schema's default. */
  public String errorLog() {
    return errorLog;
  }

  /** The {@code log.audit} level as written, or the schema's default. */
  public String auditLog() {
    return auditLog;
  }

  /** Keys to create at startup when absent, in file order, without duplicates. */
  public List<String> keys() {
    return keys;
  }

  /** The {@code keystore:} section; empty for a 0.16 config without one (in-memory store). */
  public Optional<KeyStoreConfig> keyStore() {
    return Optional.ofNullable(keyStore);
  }

  /** The ciphertext format written by encrypt/generate. */
  public CiphertextFormat ciphertextFormat() {
    return ciphertextFormat;
  }

  /** The stored-key format written by create/import. */
  public KeyBlobFormat keyFormat() {
    return keyFormat;
  }

  /** Whether key names KES 0.16 allowed (such as {@code my.key}) are accepted. */
  public boolean lenientNames() {
    return lenientNames;
  }

  /** Which error strings the HTTP API sends. */
  public ErrorMessages errorMessages() {
    return errorMessages;
  }

  /**
   * How often {@code /v1/metrics} may count heap objects ({@code kes4j: heap_objects}; {@code off}
   * is {@link Duration#ZERO}), or empty when the config does not say.
   */
  public Optional<Duration> heapObjectsEvery() {
    return Optional.ofNullable(heapObjectsEvery);
  }

  /** Warnings found while parsing, such as unknown settings (each names path and line). */
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public String toString() {
    return "KesConfig[schema="
        + schema
        + ", address="
        + address
        + ", policies="
        + policies.keySet()
        + ", keystore="
        + (keyStore == null ? "<in-memory>" : keyStore.keys())
        + "]";
  }

  private static final class Builder {
    Schema schema;
    String address;
    String adminIdentity;
    Tls tls;
    final Map<String, ApiRoute> api = new LinkedHashMap<>();
    final Map<String, PolicyDefinition> policies = new LinkedHashMap<>();
    PolicyMatching policyMatching;
    CacheConfig cache;
    String errorLog;
    String auditLog;
    final List<String> keys = new ArrayList<>();
    KeyStoreConfig keyStore;
    CiphertextFormat ciphertextFormat = CiphertextFormat.JSON;
    KeyBlobFormat keyFormat = KeyBlobFormat.PROTOBUF;
    boolean lenientNames;
    ErrorMessages errorMessages = ErrorMessages.LEGACY;
    Duration heapObjectsEvery;
    final List<String> warnings = new ArrayList<>();
    ConfigNode keystoreNode;
    boolean strict;
  }
}
