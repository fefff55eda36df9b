package dev.kes4j.crypto.internal;

import dev.kes4j.api.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AEAD step of KES sealing (spec §4.2) on the JCA, with per-thread {@link Cipher} and {@link
 * SecureRandom} instances (PERF-NOTES findings 2–4). Stateless from the caller's view and
 * thread-safe.
 */
public final class Aead {
  /** Length of the random IV from which the sealing key is derived. */
  public static final int IV_LENGTH = 16;

  /** Length of the AEAD nonce. */
  public static final int NONCE_LENGTH = 12;

  /** Length of the AEAD tag. */
  public static final int TAG_LENGTH = 16;

  /** Length of IV and nonce together: what a seal draws from the random generator. */
  public static final int RANDOM_LENGTH = IV_LENGTH + NONCE_LENGTH;

  /** Bytes a binary ciphertext adds to the plaintext: tag, IV, nonce. */
  public static final int OVERHEAD = TAG_LENGTH + IV_LENGTH + NONCE_LENGTH;

  private static final String AES_GCM = "AES/GCM/NoPadding";
  private static final String CHACHA = "ChaCha20-Poly1305";

  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Aead::newRandom);
  private static final ThreadLocal<PerThread> STATE = ThreadLocal.withInitial(PerThread::new);

  private Aead() {}

  private static SecureRandom newRandom() {
    try {
      // finding 3: a per-thread DRBG scales, the default NativePRNG serialises on one lock
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  /** Fills {@code out} from this thread's CSPRNG in one draw. */
  public static void randomBytes(byte[] out) {
    RANDOM.get().nextBytes(out);
  }

  /**
   * Seals {@code plaintext} with the derived {@code key}, writing ciphertext ‖ tag ({@code
   * plaintext.length + 16} bytes) to {@code out} at {@code outOff}.
   *
   * @param nonce array holding the 12-byte nonce at {@code nonceOff}
   * @param aad associated data, possibly empty
   */
  public static void seal(
      KeyAlgorithm algorithm,
      byte[] key,
      byte[] nonce,
      int nonceOff,
      byte[] plaintext,
      byte[] aad,
      byte[] out,
      int outOff) {
    try {
      Cipher cipher = init(algorithm, Cipher.ENCRYPT_MODE, key, nonce, nonceOff);
      if (aad.length > 0) {
        cipher.updateAAD(aad);
      }
      cipher.doFinal(plaintext, 0, plaintext.length, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  /**
   * Opens ciphertext ‖ tag.
   *
   * @return the plaintext
   * @throws GeneralSecurityException if the ciphertext is not authentic (or too short)
   */
  public static byte[] open(
      KeyAlgorithm algorithm,
      byte[] key,
      byte[] nonce,
      int nonceOff,
      byte[] ct,
      int ctOff,
      int ctLen,
      byte[] aad)
      throws GeneralSecurityException {
    Cipher cipher = init(algorithm, Cipher.DECRYPT_MODE, key, nonce, nonceOff);
    if (aad.length > 0) {
      cipher.updateAAD(aad);
    }
    return cipher.doFinal(ct, ctOff, ctLen);
  }

  /** Per-thread cached ciphers, one per (algorithm, direction) (finding 2). */
  private static final class PerThread {
    final Cipher[] ciphers = new Cipher[4];
    final byte[] lastChaChaNonce = new byte[NONCE_LENGTH];
    boolean chachaUsed;
  }

  private static Cipher init(KeyAlgorithm algorithm, int mode, byte[] key, byte[] nonce, int off)
      throws GeneralSecurityException {
    boolean aes = algorithm == KeyAlgorithm.AES256;
    SecretKeySpec spec = new SecretKeySpec(key, aes ? "AES" : "ChaCha20");
    AlgorithmParameterSpec params =
        aes
            ? new GCMParameterSpec(TAG_LENGTH * 8, nonce, off, NONCE_LENGTH)
            : new IvParameterSpec(nonce, off, NONCE_LENGTH);
    PerThread state = STATE.get();
    int slot = (aes ? 0 : 2) + (mode == Cipher.ENCRYPT_MODE ? 0 : 1);
    Cipher cipher = state.ciphers[slot];
    if (cipher != null) {
      if (slot == 3) {
        // Finding 4: JDK 17's ChaCha20-Poly1305 refuses to be re-initialised with the key and
        // nonce of its previous init, even to decrypt, so opening one ciphertext twice in a row
        // would fail. The sealing key is derived from the IV, so an equal nonce is the only case
        // worth checking: step through a different nonce first (cheaper than an exception).
        if (state.chachaUsed
            && Arrays.equals(
                state.lastChaChaNonce, 0, NONCE_LENGTH, nonce, off, off + NONCE_LENGTH)) {
          byte[] other = Arrays.copyOfRange(nonce, off, off + NONCE_LENGTH);
          other[0] ^= 1;
          cipher.init(mode, spec, new IvParameterSpec(other));
        }
        System.arraycopy(nonce, off, state.lastChaChaNonce, 0, NONCE_LENGTH);
        state.chachaUsed = true;
      }
      try {
        cipher.init(mode, spec, params);
        return cipher;
      } catch (GeneralSecurityException e) {
        // a repeated key and nonce for encryption (astronomically unlikely with random values):
        // a fresh instance accepts it
      }
    }
    cipher = newCipher(aes ? AES_GCM : CHACHA);
    cipher.init(mode, spec, params);
    state.ciphers[slot] = cipher;
    if (slot == 3) {
      System.arraycopy(nonce, off, state.lastChaChaNonce, 0, NONCE_LENGTH);
      state.chachaUsed = true;
    }
    return cipher;
  }

  private static Cipher newCipher(String transformation) {
    try {
      return Cipher.getInstance(transformation);
    } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
      throw new IllegalStateException(transformation + " is not available", e);
    }
  }

  /** Zeroes a derived key. */
  public static void wipe(byte[] key) {
    Arrays.fill(key, (byte) 0);
  }
}
