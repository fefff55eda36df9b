package dev.kes4j.sse;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The DARE 2.0 package layout, as specified by minio/sio (DARE.md describes 1.0; 2.0 is defined by
 * sio's implementation and golden vectors, which our tests replay):
 *
 * <pre>
 * package  = header (16) ‖ ciphertext (1..65536) ‖ tag (16)
 * header   = 0x20 ‖ cipher suite (1) ‖ uint16_le(payload length − 1) ‖ random (12)
 *            random[0] bit 7 (0x80) is set in the final package and clear in all others
 * nonce    = header[4..16] with its last four bytes XOR uint32_le(sequence number)
 * AEAD     = seal(key, nonce, plaintext, aad = header[0..4])
 * </pre>
 *
 * Every package but the final one carries exactly 64 KiB; the random value (without the final bit)
 * and the cipher suite are the same in all packages of a stream; sequence numbers start at 0. An
 * empty plaintext is an empty stream (no package). Package-private.
 */
final class DareFormat {
  static final byte VERSION = 0x20;
  static final int HEADER = 16;
  static final int TAG = 16;
  static final int MAX_PAYLOAD = 1 << 16;
  static final int MAX_PACKAGE = HEADER + MAX_PAYLOAD + TAG;
  static final int NONCE = 12;
  static final int KEY = 32;
  static final long MAX_PACKAGES = 1L << 32;

  private DareFormat() {}

  static boolean isFinal(byte[] header) {
    return (header[4] & 0x80) != 0;
  }

  static int payloadLength(byte[] header) {
    return ((header[2] & 0xff) | (header[3] & 0xff) << 8) + 1;
  }

  static void writeHeader(byte[] buf, CipherSuite suite, int length, byte[] random, boolean last) {
    buf[0] = VERSION;
    buf[1] = (byte) suite.id();
    int l = length - 1;
    buf[2] = (byte) l;
    buf[3] = (byte) (l >>> 8);
    System.arraycopy(random, 0, buf, 4, NONCE);
    if (last) {
      buf[4] |= (byte) 0x80;
    } else {
      buf[4] &= 0x7f;
    }
  }

  /** The AEAD nonce of the package whose header starts at {@code buf[0]}. */
  static byte[] nonce(byte[] buf, long sequence) {
    byte[] nonce = new byte[NONCE];
    System.arraycopy(buf, 4, nonce, 0, NONCE);
    nonce[8] ^= (byte) sequence;
    nonce[9] ^= (byte) (sequence >>> 8);
    nonce[10] ^= (byte) (sequence >>> 16);
    nonce[11] ^= (byte) (sequence >>> 24);
    return nonce;
  }

  static Cipher newCipher(CipherSuite suite) {
    try {
      return Cipher.getInstance(suite.transformation());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(suite.transformation() + " is not available", e);
    }
  }

  static SecretKeySpec keySpec(CipherSuite suite, byte[] key) {
    return new SecretKeySpec(key, suite.keyAlgorithm());
  }

  /** Initialises {@code cipher} for one package and passes the header's first 4 bytes as AAD. */
  static void init(
      Cipher cipher, CipherSuite suite, int mode, SecretKeySpec key, byte[] buf, long sequence)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    byte[] nonce = nonce(buf, sequence);
    AlgorithmParameterSpec spec =
        suite == CipherSuite.AES_256_GCM
            ? new GCMParameterSpec(8 * TAG, nonce)
            : new IvParameterSpec(nonce);
    cipher.init(mode, key, spec);
    cipher.updateAAD(buf, 0, 4);
  }

  static void checkKey(byte[] key) {
    if (key == null) {
      throw new NullPointerException("key");
    }
    if (key.length != KEY) {
      throw new IllegalArgumentException("a DARE key must be " + KEY + " bytes");
    }
  }
}
