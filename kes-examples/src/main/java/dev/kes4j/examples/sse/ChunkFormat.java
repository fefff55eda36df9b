package dev.kes4j.examples.sse;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Shared pieces of the chunk format described in {@link ObjectCipher}. Package-private. */
final class ChunkFormat {
  static final byte[] MAGIC = {'K', '4', 'J', 'S'};
  static final byte VERSION = 1;
  static final byte CHUNK_SHIFT = 16;
  static final int NONCE_SIZE = 12;
  static final int SEALED_CHUNK = ObjectCipher.CHUNK_SIZE + ObjectCipher.TAG_SIZE;

  private static final SecureRandom RANDOM = new SecureRandom();

  private ChunkFormat() {}

  /** A fresh header with a random base nonce. */
  static byte[] newHeader() {
    byte[] header = new byte[ObjectCipher.HEADER_SIZE];
    System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
    header[4] = VERSION;
    header[5] = CHUNK_SHIFT;
    byte[] base = new byte[NONCE_SIZE];
    RANDOM.nextBytes(base);
    System.arraycopy(base, 0, header, 6, NONCE_SIZE);
    return header;
  }

  /** Whether a header has our magic, version and chunk size. */
  static boolean validHeader(byte[] header) {
    return header.length == ObjectCipher.HEADER_SIZE
        && Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
        && header[4] == VERSION
        && header[5] == CHUNK_SHIFT;
  }

  /** nonce_i = base XOR (0^4 ‖ uint64_be(i)), byte 0 XOR 0x80 if final. */
  static byte[] nonce(byte[] header, long index, boolean last) {
    byte[] nonce = Arrays.copyOfRange(header, 6, 6 + NONCE_SIZE);
    for (int i = 0; i < 8; i++) {
      nonce[NONCE_SIZE - 1 - i] ^= (byte) (index >>> (8 * i));
    }
    if (last) {
      nonce[0] ^= (byte) 0x80;
    }
    return nonce;
  }

  static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is not available", e);
    }
  }

  /** Initialises {@code cipher} for one chunk, with the header as associated data. */
  static void init(
      Cipher cipher, int mode, SecretKeySpec key, byte[] header, long index, boolean last)
      throws GeneralSecurityException {
    cipher.init(
        mode, key, new GCMParameterSpec(8 * ObjectCipher.TAG_SIZE, nonce(header, index, last)));
    cipher.updateAAD(header);
  }
}
