package dev.kes4j.crypto.internal;

/**
 * HChaCha20 (draft-irtf-cfrg-xchacha §2.2): derives a 32-byte subkey from a 32-byte key and a
 * 16-byte input. KES derives the ChaCha20-Poly1305 sealing key this way from the master key and the
 * random IV (spec §4.2). Stateless and thread-safe.
 */
public final class HChaCha20 {
  private HChaCha20() {}

  /**
   * Computes HChaCha20.
   *
   * @param key 32-byte key
   * @param in array holding the 16-byte input at {@code inOff}
   * @param inOff offset of the input
   * @return the 32-byte subkey
   */
  public static byte[] derive(byte[] key, byte[] in, int inOff) {
    if (key.length != 32) {
      throw new IllegalArgumentException("HChaCha20 key must be 32 bytes");
    }
    // "expand 32-byte k"
    int x0 = 0x61707865;
    int x1 = 0x3320646e;
    int x2 = 0x79622d32;
    int x3 = 0x6b206574;
    int x4 = le(key, 0);
    int x5 = le(key, 4);
    int x6 = le(key, 8);
    int x7 = le(key, 12);
    int x8 = le(key, 16);
    int x9 = le(key, 20);
    int x10 = le(key, 24);
    int x11 = le(key, 28);
    int x12 = le(in, inOff);
    int x13 = le(in, inOff + 4);
    int x14 = le(in, inOff + 8);
    int x15 = le(in, inOff + 12);
    for (int i = 0; i < 10; i++) {
      // column round
      x0 += x4;
      x12 = Integer.rotateLeft(x12 ^ x0, 16);
      x8 += x12;
      x4 = Integer.rotateLeft(x4 ^ x8, 12);
      x0 += x4;
      x12 = Integer.rotateLeft(x12 ^ x0, 8);
      x8 += x12;
      x4 = Integer.rotateLeft(x4 ^ x8, 7);

      x1 += x5;
      x13 = Integer.rotateLeft(x13 ^ x1, 16);
      x9 += x13;
      x5 = Integer.rotateLeft(x5 ^ x9, 12);
      x1 += x5;
      x13 = Integer.rotateLeft(x13 ^ x1, 8);
      x9 += x13;
      x5 = Integer.rotateLeft(x5 ^ x9, 7);

      x2 += x6;
      x14 = Integer.rotateLeft(x14 ^ x2, 16);
      x10 += x14;
      x6 = Integer.rotateLeft(x6 ^ x10, 12);
      x2 += x6;
      x14 = Integer.rotateLeft(x14 ^ x2, 8);
      x10 += x14;
      x6 = Integer.rotateLeft(x6 ^ x10, 7);

      x3 += x7;
      x15 = Integer.rotateLeft(x15 ^ x3, 16);
      x11 += x15;
      x7 = Integer.rotateLeft(x7 ^ x11, 12);
      x3 += x7;
      x15 = Integer.rotateLeft(x15 ^ x3, 8);
      x11 += x15;
      x7 = Integer.rotateLeft(x7 ^ x11, 7);

      // diagonal round
      x0 += x5;
      x15 = Integer.rotateLeft(x15 ^ x0, 16);
      x10 += x15;
      x5 = Integer.rotateLeft(x5 ^ x10, 12);
      x0 += x5;
      x15 = Integer.rotateLeft(x15 ^ x0, 8);
      x10 += x15;
      x5 = Integer.rotateLeft(x5 ^ x10, 7);

      x1 += x6;
      x12 = Integer.rotateLeft(x12 ^ x1, 16);
      x11 += x12;
      x6 = Integer.rotateLeft(x6 ^ x11, 12);
      x1 += x6;
      x12 = Integer.rotateLeft(x12 ^ x1, 8);
      x11 += x12;
      x6 = Integer.rotateLeft(x6 ^ x11, 7);

      x2 += x7;
      x13 = Integer.rotateLeft(x13 ^ x2, 16);
      x8 += x13;
      x7 = Integer.rotateLeft(x7 ^ x8, 12);
      x2 += x7;
      x13 = Integer.rotateLeft(x13 ^ x2, 8);
      x8 += x13;
      x7 = Integer.rotateLeft(x7 ^ x8, 7);

      x3 += x4;
      x14 = Integer.rotateLeft(x14 ^ x3, 16);
      x9 += x14;
      x4 = Integer.rotateLeft(x4 ^ x9, 12);
      x3 += x4;
      x14 = Integer.rotateLeft(x14 ^ x3, 8);
      x9 += x14;
      x4 = Integer.rotateLeft(x4 ^ x9, 7);
    }
    // no feed-forward: output words 0..3 and 12..15
    byte[] out = new byte[32];
    put(out, 0, x0);
    put(out, 4, x1);
    put(out, 8, x2);
    put(out, 12, x3);
    put(out, 16, x12);
    put(out, 20, x13);
    put(out, 24, x14);
    put(out, 28, x15);
    return out;
  }

  private static int le(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }

  private static void put(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }
}
