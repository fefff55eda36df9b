package dev.kes4j.keystore.gcp;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStoreProvider;
import dev.kes4j.keystore.gcp.internal.Endpoint;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code gcp.secretmanager} key store provider: opens a {@link GcpSecretManagerKeyStore} from
 * the {@code keystore.gcp.secretmanager} section of a KES config. Found by {@link
 * dev.kes4j.api.spi.KeyStores#discover()} through {@code META-INF/services}.
 *
 * <p>Settings (spec §5.3): {@code project_id} (required), {@code endpoint}, {@code scopes}, {@code
 * credentials.{client_email, client_id, private_key_id, private_key}} (all empty → Application
 * Default Credentials, otherwise all four required). kes4j additions, ignored by KES: {@code
 * timeout} and {@code attempt_timeout} as Go durations ({@code 5s}, {@code 500ms}).
 *
 * <p>Stateless and thread-safe.
 */
public final class GcpSecretManagerKeyStoreProvider implements KeyStoreProvider {
  /** The provider id, the YAML path under {@code keystore:}. */
  public static final String ID = "gcp.secretmanager";

  /** Creates the provider (used by {@link java.util.ServiceLoader}). */
  public GcpSecretManagerKeyStoreProvider() {}

  /** Returns {@value #ID}. */
  @Override
  public String id() {
    return ID;
  }

  /**
   * Opens a store; does not contact Secret Manager.
   *
   * @param config the {@code keystore.gcp.secretmanager} section
   * @throws KesConfigException naming the setting if the section is invalid (missing {@code
   *     project_id}, a partial {@code credentials} section — {@code gcp: no client email provided}
   *     and so on —, a malformed endpoint, private key or duration)
   */
  @Override
  public KeyStore open(KeyStoreConfig config) {
    Objects.requireNonNull(config, "config");
    String path = config.path();
    String prefix = path.isEmpty() ? "" : path + ".";
    KeyStoreConfig creds = config.sectionOrEmpty("credentials");
    GcpSecretManagerKeyStore.Builder builder =
        GcpSecretManagerKeyStore.builder()
            .configPath(path)
            .projectId(config.requireString("project_id"))
            .endpoint(config.string("endpoint").orElse(""))
            .scopes(config.strings("scopes").stream().filter(s -> !s.isBlank()).toList())
            .credentials(
                GcpCredentials.fromFields(
                    creds.path(),
                    creds.string("client_email").orElse(""),
                    creds.string("client_id").orElse(""),
                    creds.string("private_key_id").orElse(""),
                    creds.string("private_key").orElse("")));
    duration(config, "timeout", prefix).ifPresent(builder::timeout);
    duration(config, "attempt_timeout", prefix).ifPresent(builder::attemptTimeout);
    return builder.build();
  }

  private static Optional<Duration> duration(KeyStoreConfig config, String key, String prefix) {
    Optional<Duration> d = config.duration(key);
    if (d.isPresent() && d.get().isZero()) {
      throw new KesConfigException(prefix + key + ": must be positive");
    }
    return d;
  }

  /**
   * {@code project_id}, {@code endpoint}, {@code scopes}, {@code credentials.*} and the timeouts.
   */
  @Override
  public Optional<Set<String>> settings() {
    return Optional.of(
        Set.of(
            "project_id",
            "endpoint",
            "scopes",
            "credentials",
            "credentials.client_email",
            "credentials.client_id",
            "credentials.private_key_id",
            "credentials.private_key",
            "timeout",
            "attempt_timeout"));
  }

  /**
   * {@code project 'p', endpoint host:port}, with {@code (emulator, plaintext)} for an {@code
   * http://} endpoint or {@code SECRET_MANAGER_EMULATOR_HOST}.
   */
  @Override
  public String describe(KeyStoreConfig config) {
    String path = config.path().isEmpty() ? "" : config.path() + ".";
    Endpoint e =
        Endpoint.resolve(config.string("endpoint").orElse(""), System.getenv(), path + "endpoint");
    return "project '"
        + config.string("project_id").orElse("")
        + "', endpoint "
        + e.target()
        + (e.emulator() ? " (emulator, plaintext)" : "");
  }

  @Override
  public String toString() {
    return "GcpSecretManagerKeyStoreProvider[" + ID + "]";
  }
}
