package dev.kes4j.policy;

import dev.kes4j.api.Identity;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.policy.internal.Ed25519Seeds;
import dev.kes4j.policy.internal.pki.CertificateWriter;
import dev.kes4j.policy.internal.pki.Pem;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A KES API key (spec §2.2): {@code kes:v1:} + standard base64 of a type byte {@code 0x00}
 * (Ed25519) and a 32-byte Ed25519 seed. It stands for an Ed25519 key pair; its {@link #identity()}
 * is that of any certificate carrying the public key, and a client authenticates with the {@link
 * #selfSignedCertificate() self-signed certificate} KES clients build from it.
 *
 * <p>An API key is a secret: {@link #toString()} shows only the identity, error messages never
 * quote the key, and {@link #equals} compares in constant time. {@link #encode()} is the only way
 * to get the secret text back. Immutable and thread-safe; only {@link #generate()} may block
 * briefly (system randomness).
 */
public final class ApiKey {
  /** The prefix of the text form. */
  public static final String PREFIX = "kes:v1:";

  private static final int TYPE_ED25519 = 0x00;
  private static final int DECODED_LENGTH = 1 + Ed25519Seeds.SEED_LENGTH;
  private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(90);

  private final byte[] seed;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final Identity identity;

  private ApiKey(byte[] seed) {
    this.seed = seed;
    KeyPair kp = Ed25519Seeds.keyPair(seed);
    this.privateKey = kp.getPrivate();
    this.publicKey = kp.getPublic();
    this.identity = Identity.ofSubjectPublicKeyInfo(publicKey.getEncoded());
  }

  /**
   * Parses the text form. The {@code kes:v1:} prefix is stripped if present, then the rest must be
   * standard base64 of exactly 33 bytes starting with type {@code 0x00}.
   *
   * @throws IllegalArgumentException if the text is not a valid API key; the message never contains
   *     the key
   */
  public static ApiKey parse(String text) {
    Objects.requireNonNull(text, "text");
    String b64 = text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : text;
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      // no cause: the JDK's message quotes a character of the key
      throw new IllegalArgumentException("invalid API key: not '" + PREFIX + "' + base64");
    }
    try {
      if (raw.length != DECODED_LENGTH) {
        throw new IllegalArgumentException(
            "invalid API key: " + raw.length + " bytes decoded, expected " + DECODED_LENGTH);
      }
      if (raw[0] != TYPE_ED25519) {
        throw new IllegalArgumentException(
            "invalid API key: unsupported key type (only 0x00, Ed25519, exists)");
      }
      return new ApiKey(Arrays.copyOfRange(raw, 1, DECODED_LENGTH));
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /**
   * A new random API key, from a strong {@link SecureRandom}.
   *
   * @throws IllegalStateException if the JDK lacks Ed25519
   */
  public static ApiKey generate() {
    byte[] seed = new byte[Ed25519Seeds.SEED_LENGTH];
    new SecureRandom().nextBytes(seed);
    return new ApiKey(seed);
  }

  /**
   * The API key of an Ed25519 private key (as {@code kes identity new} writes one), so that {@code
   * kes:v1:} + base64(0x00 ‖ seed) names the same key pair.
   *
   * @throws IllegalArgumentException if the key is not an Ed25519 private key with its seed
   */
  public static ApiKey fromPrivateKey(PrivateKey key) {
    Objects.requireNonNull(key, "key");
    if (!(key instanceof EdECPrivateKey)) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + key.getAlgorithm());
    }
    EdECPrivateKey ed = (EdECPrivateKey) key;
    if (!NamedParameterSpec.ED25519.getName().equalsIgnoreCase(ed.getParams().getName())) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + ed.getParams().getName());
    }
    Optional<byte[]> seed = ed.getBytes();
    if (seed.isEmpty() || seed.get().length != Ed25519Seeds.SEED_LENGTH) {
      throw new IllegalArgumentException("the Ed25519 private key does not expose its seed");
    }
    return new ApiKey(seed.get());
  }

  /**
   * The API key of a DER PKCS#8 Ed25519 private key.
   *
   * @throws IllegalArgumentException if the bytes are not a PKCS#8 Ed25519 private key
   */
  public static ApiKey fromPkcs8(byte[] der) {
    Objects.requireNonNull(der, "der");
    PrivateKey key;
    try {
      key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a PKCS#8 Ed25519 private key");
    }
    return fromPrivateKey(key);
  }

  /**
   * The API key of a PEM Ed25519 private key (PKCS#8 {@code PRIVATE KEY}, the format of {@code kes
   * identity new}'s key file), read by kes4j's one PEM codec ({@code Pem}).
   *
   * @throws IllegalArgumentException if the text holds no unencrypted private key or it is not an
   *     Ed25519 key
   */
  public static ApiKey fromPem(String pem) {
    Objects.requireNonNull(pem, "pem");
    try {
      return fromPrivateKey(Pem.parsePrivateKey(pem, null, "PEM text"));
    } catch (KesConfigException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /** The identity of this key: lowercase hex SHA-256 of the Ed25519 SubjectPublicKeyInfo. */
  public Identity identity() {
    return identity;
  }

  /** The secret text form {@code kes:v1:<base64>}. Treat the result as a secret. */
  public String encode() {
    byte[] raw = new byte[DECODED_LENGTH];
    raw[0] = TYPE_ED25519;
    System.arraycopy(seed, 0, raw, 1, seed.length);
    try {
      return PREFIX + Base64.getEncoder().encodeToString(raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** The Ed25519 private key (JCA), for signing or for a TLS key manager. A secret. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The Ed25519 public key (JCA). */
  public PublicKey publicKey() {
    return publicKey;
  }

  /**
   * The certificate a KES client presents for this key, valid from now: subject and issuer CN = the
   * identity, KeyUsage digitalSignature (critical), ExtendedKeyUsage clientAuth, basicConstraints
   * cA=false, a random positive 128-bit serial, 90 days validity, self-signed with Ed25519. Each
   * call makes a new certificate (new serial).
   */
  public X509Certificate selfSignedCertificate() {
    return selfSignedCertificate(Instant.now());
  }

  /**
   * Like {@link #selfSignedCertificate()}, valid from {@code notBefore} (truncated to seconds) for
   * 90 days.
   */
  public X509Certificate selfSignedCertificate(Instant notBefore) {
    Objects.requireNonNull(notBefore, "notBefore");
    Instant from = notBefore.truncatedTo(ChronoUnit.SECONDS);
    BigInteger serial;
    SecureRandom random = new SecureRandom();
    do {
      serial = new BigInteger(128, random);
    } while (serial.signum() == 0);
    return CertificateWriter.of(identity.value(), serial, from, from.plus(CERTIFICATE_VALIDITY))
        .extendedKeyUsage(true, false)
        .basicConstraints(false)
        .sign(publicKey, privateKey);
  }

  /** Constant-time comparison of the secret seeds. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKey other && MessageDigest.isEqual(seed, other.seed);
  }

  @Override
  public int hashCode() {
    return identity.hashCode();
  }

  /** {@code ApiKey[identity=<hex>, key=<redacted>]}: never the secret. */
  @Override
  public String toString() {
    return "ApiKey[identity=" + identity.value() + ", key=<redacted>]";
  }
}
