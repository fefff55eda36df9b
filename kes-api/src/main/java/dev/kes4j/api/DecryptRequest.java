package dev.kes4j.api;

import java.util.Objects;

/**
 * One item of a bulk decryption ({@link KeyService#decryptAll}): a ciphertext and the context it
 * was sealed with. Both arrays are copied in and out; immutable and thread-safe.
 */
public final class DecryptRequest {
  private static final byte[] EMPTY = new byte[0];

  private final byte[] ciphertext;
  private final byte[] context;

  private DecryptRequest(byte[] ciphertext, byte[] context) {
    this.ciphertext = ciphertext;
    this.context = context;
  }

  /**
   * A request for {@code ciphertext} sealed with {@code context}.
   *
   * @param context the associated data; null means none (the same as empty)
   */
  public static DecryptRequest of(byte[] ciphertext, byte[] context) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    return new DecryptRequest(ciphertext.clone(), context == null ? EMPTY : context.clone());
  }

  /** A copy of the ciphertext. */
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** A copy of the context; empty if none. */
  public byte[] context() {
    return context.clone();
  }

  @Override
  public String toString() {
    return "DecryptRequest[ciphertext="
        + ciphertext.length
        + " bytes, context="
        + context.length
        + " bytes]";
  }
}
