package dev.kes4j.crypto.internal;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA-256 under one fixed key, cheap to call from many threads: a keyed prototype is cloned
 * once per thread (PERF-NOTES finding 2: no {@code Mac.getInstance} or key schedule per call).
 *
 * <p>Thread-safe. The JCA {@link Mac} objects hold the key's pads internally and cannot be wiped;
 * they become unreachable with this object (and with the threads that used it).
 */
public final class KeyedMac {
  private static final String ALGORITHM = "HmacSHA256";

  /** HMAC-SHA-256 output length. */
  public static final int LENGTH = 32;

  private final Mac prototype;
  private final ThreadLocal<Mac> perThread;

  /**
   * Keys a new HMAC-SHA-256.
   *
   * @param key the HMAC key (copied by the JCA)
   */
  public KeyedMac(byte[] key) {
    this.prototype = newMac(key);
    this.perThread = ThreadLocal.withInitial(() -> copy(key));
  }

  private Mac copy(byte[] key) {
    synchronized (prototype) {
      try {
        return (Mac) prototype.clone();
      } catch (CloneNotSupportedException e) {
        return newMac(key);
      }
    }
  }

  private static Mac newMac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /**
   * Computes the MAC of {@code in[off..off+len)} into {@code out[outOff..outOff+32)}.
   *
   * @throws IllegalStateException never in practice (the JCA reports a short buffer)
   */
  public void mac(byte[] in, int off, int len, byte[] out, int outOff) {
    Mac mac = perThread.get();
    mac.update(in, off, len);
    try {
      mac.doFinal(out, outOff); // also resets to the keyed initial state
    } catch (ShortBufferException e) {
      mac.reset();
      throw new IllegalStateException("output buffer too short", e);
    }
  }

  /** Computes the MAC of {@code message}; returns 32 bytes. */
  public byte[] mac(byte[] message) {
    byte[] out = new byte[LENGTH];
    mac(message, 0, message.length, out, 0);
    return out;
  }
}
