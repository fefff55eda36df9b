package dev.kes4j.api;

import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * A freshly generated data key: the plaintext to encrypt data with, and the same key sealed under a
 * master key, to store next to the data.
 *
 * <p>The plaintext is copied in and out, never printed, and zeroed by {@link #destroy()}. Not
 * thread-safe for concurrent {@code destroy} and reads; otherwise immutable.
 */
public final class DataKey implements Destroyable {
  private final byte[] plaintext;
  private final byte[] ciphertext;
  private volatile boolean destroyed;

  /**
   * Creates a data key from copies of both arrays.
   *
   * @param plaintext the plaintext key
   * @param ciphertext the sealed key
   */
  public DataKey(byte[] plaintext, byte[] ciphertext) {
    this.plaintext = Objects.requireNonNull(plaintext, "plaintext").clone();
    this.ciphertext = Objects.requireNonNull(ciphertext, "ciphertext").clone();
  }

  /**
   * A copy of the plaintext key.
   *
   * @throws IllegalStateException if the key was destroyed
   */
  public byte[] plaintext() {
    if (destroyed) {
      throw new IllegalStateException("data key was destroyed");
    }
    return plaintext.clone();
  }

  /** A copy of the sealed key; still available after {@link #destroy()}. */
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** Zeroes the plaintext. Idempotent. */
  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(plaintext, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "DataKey[plaintext=<redacted>, ciphertext=" + ciphertext.length + " bytes]";
  }
}
