package dev.kes4j.keystore.gcp;

import com.google.auth.Credentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.keystore.gcp.internal.LazyApplicationDefaultCredentials;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link GcpSecretManagerKeyStore} authenticates to Secret Manager: either Google Application
 * Default Credentials or a service account given by the four fields of a KES config's {@code
 * credentials} section (spec §5.3).
 *
 * <p>Service-account credentials sign their own JWTs (self-signed JWT with scopes), so no OAuth
 * token server is contacted. Application Default Credentials are looked up on the first call, not
 * when the store is built. In emulator mode credentials are not used at all.
 *
 * <p>Immutable and thread-safe. The private key is never printed: {@link #toString()} shows the
 * client email and key id only.
 */
public final class GcpCredentials {
  private static final GcpCredentials APPLICATION_DEFAULT =
      new GcpCredentials(null, null, null, null);
  private static final URI TOKEN_URI = URI.create("https://oauth2.googleapis.com/token");

  private final String clientEmail;
  private final String clientId;
  private final String privateKeyId;
  private final PrivateKey privateKey;

  private GcpCredentials(
      String clientEmail, String clientId, String privateKeyId, PrivateKey privateKey) {
    this.clientEmail = clientEmail;
    this.clientId = clientId;
    this.privateKeyId = privateKeyId;
    this.privateKey = privateKey;
  }

  /** Google Application Default Credentials ({@code GOOGLE_APPLICATION_CREDENTIALS}, GCE/GKE). */
  public static GcpCredentials applicationDefault() {
    return APPLICATION_DEFAULT;
  }

  /**
   * Service-account credentials from the four KES fields. In {@code privateKey} the two-character
   * sequence {@code \n} is read as a newline, as KES does for single-quoted YAML.
   *
   * @param clientEmail the service account's email
   * @param clientId the service account's numeric client id
   * @param privateKeyId the id of the key
   * @param privateKey the PKCS#8 PEM private key ({@code -----BEGIN PRIVATE KEY-----})
   * @throws KesConfigException if a field is null or empty ({@code gcp: no client email provided}
   *     and so on, naming the field) or the key is not a PKCS#8 PEM RSA key; the message never
   *     contains the key
   */
  public static GcpCredentials serviceAccount(
      String clientEmail, String clientId, String privateKeyId, String privateKey) {
    return fromFields("credentials", clientEmail, clientId, privateKeyId, privateKey);
  }

  /**
   * The KES rule: all four fields empty → Application Default Credentials; otherwise all four must
   * be set. {@code path} is the YAML path of the credentials section, used in errors.
   */
  static GcpCredentials fromFields(
      String path, String clientEmail, String clientId, String privateKeyId, String privateKey) {
    String email = nullToEmpty(clientEmail);
    String id = nullToEmpty(clientId);
    String keyId = nullToEmpty(privateKeyId);
    String key = nullToEmpty(privateKey);
    if (email.isEmpty() && id.isEmpty() && keyId.isEmpty() && key.isEmpty()) {
      return APPLICATION_DEFAULT;
    }
    String prefix = path.isEmpty() ? "" : path + ".";
    if (email.isEmpty()) {
      throw new KesConfigException(prefix + "client_email: gcp: no client email provided");
    }
    if (id.isEmpty()) {
      throw new KesConfigException(prefix + "client_id: gcp: no client ID provided");
    }
    if (keyId.isEmpty()) {
      throw new KesConfigException(prefix + "private_key_id: gcp: no private key ID provided");
    }
    if (key.isEmpty()) {
      throw new KesConfigException(prefix + "private_key: gcp: no private key provided");
    }
    return new GcpCredentials(email, id, keyId, parsePkcs8(key, prefix + "private_key"));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s.trim();
  }

  private static PrivateKey parsePkcs8(String pem, String setting) {
    String text = pem.replace("\\n", "\n");
    int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new KesConfigException(
          setting + ": gcp: invalid private key (expected a PKCS#8 PEM 'BEGIN PRIVATE KEY' block)");
    }
    String body = text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end);
    try {
      byte[] der = Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // no cause: its text could quote key bytes
      throw new KesConfigException(setting + ": gcp: invalid private key (not a PKCS#8 RSA key)");
    }
  }

  /** Whether these are Application Default Credentials. */
  public boolean isApplicationDefault() {
    return privateKey == null;
  }

  /** The service account's email; empty for Application Default Credentials. */
  public Optional<String> clientEmail() {
    return Optional.ofNullable(clientEmail);
  }

  /** The google-auth credentials for {@code projectId} and {@code scopes}. */
  Credentials toGoogleCredentials(String projectId, List<String> scopes) {
    if (isApplicationDefault()) {
      return new LazyApplicationDefaultCredentials(scopes);
    }
    return ServiceAccountCredentials.newBuilder()
        .setClientEmail(clientEmail)
        .setClientId(clientId)
        .setPrivateKeyId(privateKeyId)
        .setPrivateKey(privateKey)
        .setProjectId(projectId)
        .setScopes(scopes)
        .setTokenServerUri(TOKEN_URI)
        .setUseJwtAccessWithScope(true)
        .build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GcpCredentials c
        && Objects.equals(clientEmail, c.clientEmail)
        && Objects.equals(clientId, c.clientId)
        && Objects.equals(privateKeyId, c.privateKeyId)
        && Objects.equals(privateKey, c.privateKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(clientEmail, clientId, privateKeyId);
  }

  @Override
  public String toString() {
    return isApplicationDefault()
        ? "GcpCredentials[application default]"
        : "GcpCredentials[clientEmail="
            + clientEmail
            + ", privateKeyId="
            + privateKeyId
            + ", privateKey=<redacted>]";
  }
}
