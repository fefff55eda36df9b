package dev.kes4j.crypto;

import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyInfo;
import dev.kes4j.crypto.internal.Aead;
import dev.kes4j.crypto.internal.KeyedMac;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * A stored key (spec §5.2): a {@link MasterKey}, an optional separate HMAC-SHA-256 key (spec §4.4;
 * keys written by KES before 2024 have none), when it was created and by whom.
 *
 * <p>Thread-safe; immutable apart from {@link #destroy()}. The HMAC key is copied in, never printed
 * and zeroed by {@code destroy()}, which also destroys the master key.
 */
public final class KeyVersion implements Destroyable {
  /** Length of an HMAC key in bytes. */
  public static final int HMAC_KEY_LENGTH = 32;

  private final MasterKey masterKey;
  private final byte[] hmacKey; // null if none
  private final KeyedMac hmac; // null if none
  private final Instant createdAt;
  private final String createdBy;
  private volatile boolean destroyed;

  private KeyVersion(MasterKey masterKey, byte[] hmacKey, Instant createdAt, String createdBy) {
    this.masterKey = masterKey;
    this.hmacKey = hmacKey;
    this.hmac = hmacKey == null ? null : new KeyedMac(hmacKey);
    this.createdAt = createdAt;
    this.createdBy = createdBy;
  }

  /**
   * A new key: a fresh random master key of {@code algorithm} and a fresh random HMAC key, as KES's
   * create does. Non-blocking.
   *
   * @param algorithm the master key's algorithm
   * @param createdAt the creation time; {@link KeyInfo#UNKNOWN_TIME} if unknown
   * @param createdBy the creating identity; {@code ""} if unknown
   * @return the new key
   * @throws NullPointerException if an argument is null
   */
  public static KeyVersion generate(KeyAlgorithm algorithm, Instant createdAt, String createdBy) {
    MasterKey key = MasterKey.generate(algorithm);
    byte[] hmacKey = new byte[HMAC_KEY_LENGTH];
    Aead.randomBytes(hmacKey);
    return of(key, hmacKey, createdAt, createdBy, false);
  }

  /**
   * A key from its parts. The master key is used as is (not copied; destroying this version
   * destroys it); the HMAC key is copied.
   *
   * @param key the master key
   * @param hmacKeyOrNull the 32-byte HMAC key, or null for a key without HMAC capability (all keys
   *     imported into, or created by, KES before 2024)
   * @param createdAt the creation time; {@link KeyInfo#UNKNOWN_TIME} if unknown
   * @param createdBy the creating identity; {@code ""} if unknown
   * @return the key
   * @throws IllegalArgumentException if the HMAC key is not 32 bytes
   * @throws NullPointerException if {@code key}, {@code createdAt} or {@code createdBy} is null
   */
  public static KeyVersion of(
      MasterKey key, byte[] hmacKeyOrNull, Instant createdAt, String createdBy) {
    return of(key, hmacKeyOrNull, createdAt, createdBy, true);
  }

  private static KeyVersion of(
      MasterKey key, byte[] hmacKey, Instant createdAt, String createdBy, boolean copy) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(createdBy, "createdBy");
    if (hmacKey != null && hmacKey.length != HMAC_KEY_LENGTH) {
      throw new IllegalArgumentException("HMAC key must be 32 bytes, got " + hmacKey.length);
    }
    return new KeyVersion(
        key, hmacKey == null ? null : copy ? hmacKey.clone() : hmacKey, createdAt, createdBy);
  }

  /**
   * The master key (shared, not a copy).
   *
   * @return the master key
   */
  public MasterKey masterKey() {
    return masterKey;
  }

  /**
   * Whether this key has an HMAC key, i.e. supports {@link #hmac}.
   *
   * @return true if {@link #hmac} works
   */
  public boolean hasHmac() {
    return hmacKey != null;
  }

  /**
   * HMAC-SHA-256 of {@code message} under this key's HMAC key (spec §4.4). Non-blocking.
   *
   * @param message the message to authenticate
   * @return 32 bytes
   * @throws KesException 409 {@code key does not support HMAC} if this key has no HMAC key
   * @throws IllegalStateException if this key was destroyed
   * @throws NullPointerException if {@code message} is null
   */
  public byte[] hmac(byte[] message) {
    Objects.requireNonNull(message, "message");
    if (destroyed) {
      throw new IllegalStateException("key was destroyed");
    }
    if (hmac == null) {
      throw new KesException(409, "key does not support HMAC");
    }
    return hmac.mac(message);
  }

  /** A copy of the HMAC key, or null; for the key-blob codec only. */
  byte[] hmacKey() {
    if (destroyed) {
      throw new IllegalStateException("key was destroyed");
    }
    return hmacKey == null ? null : hmacKey.clone();
  }

  /**
   * When the key was created.
   *
   * @return the time; {@link KeyInfo#UNKNOWN_TIME} if the stored form did not say
   */
  public Instant createdAt() {
    return createdAt;
  }

  /**
   * The identity that created the key.
   *
   * @return the identity; {@code ""} if unknown
   */
  public String createdBy() {
    return createdBy;
  }

  /**
   * What {@code describe} reports about this key under {@code name}.
   *
   * @param name the key's name
   * @return the key's metadata, never key material
   * @throws NullPointerException if {@code name} is null
   */
  public KeyInfo info(String name) {
    return new KeyInfo(name, masterKey.algorithm(), createdAt, createdBy);
  }

  /** Zeroes the HMAC key and destroys the master key. Idempotent. */
  @Override
  public void destroy() {
    destroyed = true;
    if (hmacKey != null) {
      Arrays.fill(hmacKey, (byte) 0);
    }
    masterKey.destroy();
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** Algorithm, key id, HMAC presence and metadata; never key bytes. */
  @Override
  public String toString() {
    return "KeyVersion[algorithm="
        + masterKey.algorithm()
        + ", id="
        + masterKey.id()
        + ", hmac="
        + (hmacKey != null)
        + ", createdAt="
        + createdAt
        + ", createdBy="
        + createdBy
        + "]";
  }
}
