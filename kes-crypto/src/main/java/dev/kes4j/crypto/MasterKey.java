package dev.kes4j.crypto;

import dev.kes4j.api.CiphertextFormat;
import dev.kes4j.api.DecryptionException;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.crypto.internal.Aead;
import dev.kes4j.crypto.internal.Containers;
import dev.kes4j.crypto.internal.HChaCha20;
import dev.kes4j.crypto.internal.KeyedMac;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * A KES master ("secret") key: 32 bytes and an algorithm (spec §4.1), sealing and opening data
 * exactly as every KES version does (spec §4.2, §4.3).
 *
 * <p>{@link #seal} writes any of the three ciphertext containers; {@link #open} reads all of them.
 * Unlike the newest Go KES, {@code open} takes the AEAD from the container's algorithm field where
 * the JSON and msgpack containers name one (spec §4.3, §12 item 1: not mirrored), so legacy
 * ChaCha20 ciphertexts stay decryptable under keys stored without an algorithm; the binary
 * container uses this key's own algorithm. The key-id field of those containers is ignored, as the
 * newest KES does.
 *
 * <p>Thread-safe: sealing and opening may run concurrently from any number of threads; each thread
 * keeps its own keyed HMAC and cipher objects (no blocking, no shared locks). The key bytes are
 * copied in, never printed and zeroed by {@link #destroy()}; JCA objects keyed from them cannot be
 * wiped and are released with this object. Destroying a key while other threads use it is not
 * supported.
 */
public final class MasterKey implements Destroyable {
  /** Length of a master key in bytes. */
  public static final int LENGTH = 32;

  private final KeyAlgorithm algorithm;
  private final byte[] key;
  private final String id;
  private final KeyedMac mac; // AES256: HMAC-SHA-256 keyed with the master key; else null
  private volatile boolean destroyed;

  private MasterKey(KeyAlgorithm algorithm, byte[] key) {
    this.algorithm = algorithm;
    this.key = key;
    this.id = keyId(key);
    this.mac = algorithm == KeyAlgorithm.AES256 ? new KeyedMac(key) : null;
  }

  /**
   * Generates a new key of 32 random bytes from a CSPRNG. Does not block (beyond the JDK's one-time
   * seeding of its DRBG).
   *
   * @param algorithm the key's algorithm
   * @return the new key
   * @throws NullPointerException if {@code algorithm} is null
   */
  public static MasterKey generate(KeyAlgorithm algorithm) {
    Objects.requireNonNull(algorithm, "algorithm");
    byte[] key = new byte[LENGTH];
    Aead.randomBytes(key);
    return new MasterKey(algorithm, key);
  }

  /**
   * A key from existing bytes (for example an imported key); the array is copied.
   *
   * @param algorithm the key's algorithm
   * @param key the 32 key bytes
   * @return the key
   * @throws IllegalArgumentException unless {@code key} is exactly 32 bytes
   * @throws NullPointerException if an argument is null
   */
  public static MasterKey of(KeyAlgorithm algorithm, byte[] key) {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(key, "key");
    if (key.length != LENGTH) {
      throw new IllegalArgumentException("master key must be 32 bytes, got " + key.length);
    }
    return new MasterKey(algorithm, key.clone());
  }

  /**
   * The key's algorithm.
   *
   * @return AES256 or CHACHA20
   */
  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * The KES key id (spec §4.1): lowercase hex of the first 16 bytes of SHA-256(key), 32 characters.
   * Public information (it is written into JSON and msgpack ciphertexts); still available after
   * {@link #destroy()}.
   *
   * @return 32 lowercase hex characters
   */
  public String id() {
    return id;
  }

  /**
   * Seals {@code plaintext} bound to {@code context} (spec §4.2): a fresh random 16-byte IV derives
   * the sealing key (AES256: HMAC-SHA-256(key, IV) for AES-256-GCM; CHACHA20: HChaCha20(key, IV)
   * for ChaCha20-Poly1305) and a fresh random 12-byte nonce is the AEAD nonce. Non-blocking.
   *
   * @param plaintext the data to seal, not modified
   * @param context associated data that {@link #open} must be given again; null means empty
   * @param format the container to write: {@link CiphertextFormat#JSON} ({@code
   *     {"aead","id","iv","nonce","bytes"}}, readable by every KES), {@link
   *     CiphertextFormat#MSGPACK} (KES ≥ v0.19.2) or {@link CiphertextFormat#BINARY} ({@code ct ‖
   *     tag ‖ iv ‖ nonce}, KES ≥ 2024-02-29)
   * @return the ciphertext
   * @throws NullPointerException if {@code plaintext} or {@code format} is null
   * @throws IllegalStateException if this key was destroyed
   */
  public byte[] seal(byte[] plaintext, byte[] context, CiphertextFormat format) {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(format, "format");
    byte[] aad = context == null ? EMPTY : context;
    checkNotDestroyed();
    int sealedLen = plaintext.length + Aead.TAG_LENGTH;
    if (format == CiphertextFormat.BINARY) {
      // ct ‖ tag ‖ iv ‖ nonce: IV and nonce are drawn straight into the tail, in one draw
      byte[] out = new byte[sealedLen + Aead.RANDOM_LENGTH];
      byte[] random = new byte[Aead.RANDOM_LENGTH];
      Aead.randomBytes(random);
      byte[] sealingKey = deriveKey(random, 0);
      try {
        Aead.seal(algorithm, sealingKey, random, Aead.IV_LENGTH, plaintext, aad, out, 0);
      } finally {
        Aead.wipe(sealingKey);
      }
      System.arraycopy(random, 0, out, sealedLen, Aead.RANDOM_LENGTH);
      return out;
    }
    byte[] random = new byte[Aead.RANDOM_LENGTH];
    Aead.randomBytes(random);
    byte[] sealed = new byte[sealedLen];
    byte[] sealingKey = deriveKey(random, 0);
    try {
      Aead.seal(algorithm, sealingKey, random, Aead.IV_LENGTH, plaintext, aad, sealed, 0);
    } finally {
      Aead.wipe(sealingKey);
    }
    return format == CiphertextFormat.JSON
        ? Containers.json(algorithm, id, random, sealed, sealedLen)
        : Containers.msgpack(algorithm, id, random, sealed, sealedLen);
  }

  /**
   * Opens a ciphertext in any container (spec §4.3): a first byte {@code 0x95} tries msgpack, a
   * first byte {@code 0x7b} (an opening brace) tries JSON, and anything else, or a structured parse
   * that fails, is opened as binary. Non-blocking.
   *
   * @param ciphertext the ciphertext as {@link #seal} (or any KES version) produced it
   * @param context the associated data given to seal; null means empty
   * @return the plaintext
   * @throws DecryptionException if the ciphertext is malformed, tampered with, sealed under another
   *     key or with another context (always KES's one message, no detail, no cause)
   * @throws NullPointerException if {@code ciphertext} is null
   * @throws IllegalStateException if this key was destroyed
   */
  public byte[] open(byte[] ciphertext, byte[] context) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    byte[] aad = context == null ? EMPTY : context;
    checkNotDestroyed();
    Containers.Parts p = Containers.parse(ciphertext);
    if (p == null) {
      throw new DecryptionException();
    }
    // spec §4.3: honour the container's algorithm (JSON/msgpack); binary uses the key's own
    KeyAlgorithm aeadAlgorithm = p.algorithm != null ? p.algorithm : algorithm;
    byte[] sealingKey = derive(aeadAlgorithm, p.iv, p.ivOff);
    try {
      return Aead.open(aeadAlgorithm, sealingKey, p.nonce, p.nonceOff, p.ct, p.ctOff, p.ctLen, aad);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new DecryptionException();
    } finally {
      Aead.wipe(sealingKey);
    }
  }

  private byte[] deriveKey(byte[] iv, int ivOff) {
    return derive(algorithm, iv, ivOff);
  }

  private byte[] derive(KeyAlgorithm aead, byte[] iv, int ivOff) {
    if (aead == KeyAlgorithm.AES256) {
      byte[] out = new byte[KeyedMac.LENGTH];
      if (mac != null) {
        mac.mac(iv, ivOff, Aead.IV_LENGTH, out, 0);
      } else {
        // a ChaCha20-typed key opening a legacy AES JSON/msgpack ciphertext: rare, key per call
        new KeyedMac(key).mac(iv, ivOff, Aead.IV_LENGTH, out, 0);
      }
      return out;
    }
    return HChaCha20.derive(key, iv, ivOff);
  }

  /** A copy of the key bytes, for the key-blob codec only. */
  byte[] encoded() {
    checkNotDestroyed();
    return key.clone();
  }

  /**
   * Whether {@code other} holds the same key bytes and algorithm; compares in constant time.
   *
   * @param other another key
   * @return true if both keys are the same
   * @throws IllegalStateException if either key was destroyed
   */
  public boolean sameKeyAs(MasterKey other) {
    Objects.requireNonNull(other, "other");
    checkNotDestroyed();
    other.checkNotDestroyed();
    return algorithm == other.algorithm && MessageDigest.isEqual(key, other.key);
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException("master key was destroyed");
    }
  }

  /** Zeroes the key bytes; later seal/open fail with {@link IllegalStateException}. Idempotent. */
  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(key, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** {@code MasterKey[algorithm=AES256, id=<key id>, key=<redacted>]}; never the key bytes. */
  @Override
  public String toString() {
    return "MasterKey[algorithm=" + algorithm + ", id=" + id + ", key=<redacted>]";
  }

  private static final byte[] EMPTY = new byte[0];

  private static String keyId(byte[] key) {
    try {
      byte[] sum = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(sum, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
