package dev.kes4j.crypto.internal;

import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.internal.KesJson;
import java.nio.charset.StandardCharsets;

/**
 * The three ciphertext containers of spec §4.3: JSON, msgpack 5-array and binary. Parsing never
 * throws: a container that does not parse completely is treated as binary, exactly like KES's
 * first-byte dispatch. Stateless and thread-safe.
 */
public final class Containers {
  /** JSON {@code aead} name of AES256 sealing. */
  public static final String JSON_AES = "AES-256-GCM-HMAC-SHA-256";

  /** JSON {@code aead} name of ChaCha20 sealing. */
  public static final String JSON_CHACHA = "ChaCha20Poly1305";

  /** msgpack algorithm written for AES256 (v0.19–v0.22 spelling, read by every msgpack reader). */
  public static final String MSGPACK_AES = "AES256-GCM_SHA256";

  /** msgpack algorithm written for ChaCha20 (v0.19–v0.22 spelling). */
  public static final String MSGPACK_CHACHA = "XCHACHA20-POLY1305";

  private Containers() {}

  /**
   * A parsed ciphertext: where ciphertext ‖ tag, IV and nonce are, and the algorithm the container
   * names (null for the binary container, which names none).
   */
  public static final class Parts {
    /** The algorithm the container names, or null: use the key's own. */
    public final KeyAlgorithm algorithm;

    /** Array holding ciphertext ‖ tag. */
    public final byte[] ct;

    /** Offset of ciphertext ‖ tag. */
    public final int ctOff;

    /** Length of ciphertext ‖ tag. */
    public final int ctLen;

    /** Array holding the 16-byte IV. */
    public final byte[] iv;

    /** Offset of the IV. */
    public final int ivOff;

    /** Array holding the 12-byte nonce. */
    public final byte[] nonce;

    /** Offset of the nonce. */
    public final int nonceOff;

    Parts(
        KeyAlgorithm algorithm,
        byte[] ct,
        int ctOff,
        int ctLen,
        byte[] iv,
        int ivOff,
        byte[] nonce,
        int nonceOff) {
      this.algorithm = algorithm;
      this.ct = ct;
      this.ctOff = ctOff;
      this.ctLen = ctLen;
      this.iv = iv;
      this.ivOff = ivOff;
      this.nonce = nonce;
      this.nonceOff = nonceOff;
    }
  }

  /**
   * Splits a ciphertext in any container (spec §4.3 dispatch: {@code 0x95} tries msgpack, {@code
   * 0x7b} tries JSON, anything else or a failed structured parse is binary).
   *
   * @return the parts, or null if not even a binary ciphertext (shorter than 44 bytes)
   */
  public static Parts parse(byte[] in) {
    if (in.length > 0) {
      Parts p = null;
      if ((in[0] & 0xff) == 0x95) {
        p = parseMsgpack(in);
      } else if (in[0] == '{') {
        p = parseJson(in);
      }
      if (p != null) {
        return p;
      }
    }
    if (in.length < Aead.OVERHEAD) {
      return null;
    }
    int ctLen = in.length - Aead.IV_LENGTH - Aead.NONCE_LENGTH;
    return new Parts(null, in, 0, ctLen, in, ctLen, in, ctLen + Aead.IV_LENGTH);
  }

  // ---- JSON (a) ----

  private static Parts parseJson(byte[] in) {
    try {
      Object v = KesJson.parse(in);
      if (!(v instanceof KesJson.Obj)) {
        return null;
      }
      KesJson.Obj o = (KesJson.Obj) v;
      String aead = o.string("aead");
      o.string("id"); // type-checked as Go does, otherwise ignored (spec §4.3)
      byte[] iv = o.bytes("iv");
      byte[] nonce = o.bytes("nonce");
      byte[] ct = o.bytes("bytes");
      KeyAlgorithm algorithm;
      if (aead.isEmpty()) {
        algorithm = null; // names none: use the key's own
      } else if (aead.equals(JSON_AES)) {
        algorithm = KeyAlgorithm.AES256;
      } else if (aead.equals(JSON_CHACHA)) {
        algorithm = KeyAlgorithm.CHACHA20;
      } else {
        return null;
      }
      if (iv.length != Aead.IV_LENGTH
          || nonce.length != Aead.NONCE_LENGTH
          || ct.length < Aead.TAG_LENGTH) {
        return null;
      }
      return new Parts(algorithm, ct, 0, ct.length, iv, 0, nonce, 0);
    } catch (KesJson.DecodeException e) {
      return null;
    }
  }

  /** Writes the JSON container in Go's field order {@code aead,id,iv,nonce,bytes}. */
  public static byte[] json(
      KeyAlgorithm algorithm, String keyId, byte[] random, byte[] sealed, int sealedLen) {
    byte[] iv = java.util.Arrays.copyOfRange(random, 0, Aead.IV_LENGTH);
    byte[] nonce = java.util.Arrays.copyOfRange(random, Aead.IV_LENGTH, Aead.RANDOM_LENGTH);
    byte[] ct = sealed.length == sealedLen ? sealed : java.util.Arrays.copyOf(sealed, sealedLen);
    return new KesJson.ObjectWriter()
        .field("aead", algorithm == KeyAlgorithm.AES256 ? JSON_AES : JSON_CHACHA)
        .field("id", keyId)
        .base64("iv", iv)
        .base64("nonce", nonce)
        .base64("bytes", ct)
        .toBytes();
  }

  // ---- msgpack (b) ----

  private static Parts parseMsgpack(byte[] in) {
    int[] pos = {1};
    String alg = str(in, pos);
    if (alg == null || str(in, pos) == null) {
      return null;
    }
    int ivOff = bin(in, pos);
    if (ivOff < 0 || pos[0] - ivOff != Aead.IV_LENGTH) {
      return null;
    }
    int nonceOff = bin(in, pos);
    if (nonceOff < 0 || pos[0] - nonceOff != Aead.NONCE_LENGTH) {
      return null;
    }
    int ctOff = bin(in, pos);
    if (ctOff < 0 || pos[0] != in.length || pos[0] - ctOff < Aead.TAG_LENGTH) {
      return null;
    }
    KeyAlgorithm algorithm;
    switch (alg) {
      case "":
        algorithm = null;
        break;
      case "AES256":
      case MSGPACK_AES:
        algorithm = KeyAlgorithm.AES256;
        break;
      case "ChaCha20":
      case MSGPACK_CHACHA:
        algorithm = KeyAlgorithm.CHACHA20;
        break;
      default:
        return null;
    }
    return new Parts(algorithm, in, ctOff, in.length - ctOff, in, ivOff, in, nonceOff);
  }

  /** Reads a msgpack str at pos[0]; advances; null if not a str or truncated. */
  private static String str(byte[] in, int[] pos) {
    int p = pos[0];
    if (p >= in.length) {
      return null;
    }
    int b = in[p++] & 0xff;
    long len;
    if ((b & 0xe0) == 0xa0) {
      len = b & 0x1f;
    } else if (b == 0xd9) {
      len = uint(in, p, 1);
      p += 1;
    } else if (b == 0xda) {
      len = uint(in, p, 2);
      p += 2;
    } else if (b == 0xdb) {
      len = uint(in, p, 4);
      p += 4;
    } else {
      return null;
    }
    if (len < 0 || len > in.length - p) {
      return null;
    }
    pos[0] = p + (int) len;
    return new String(in, p, (int) len, StandardCharsets.UTF_8);
  }

  /** Reads a msgpack bin at pos[0]; advances; returns the payload offset or -1. */
  private static int bin(byte[] in, int[] pos) {
    int p = pos[0];
    if (p >= in.length) {
      return -1;
    }
    int b = in[p++] & 0xff;
    int width;
    if (b == 0xc4) {
      width = 1;
    } else if (b == 0xc5) {
      width = 2;
    } else if (b == 0xc6) {
      width = 4;
    } else {
      return -1;
    }
    long len = uint(in, p, width);
    p += width;
    if (len < 0 || len > in.length - p) {
      return -1;
    }
    pos[0] = p + (int) len;
    return p;
  }

  /** Big-endian unsigned integer of {@code n} bytes, or -1 if truncated. */
  private static long uint(byte[] in, int p, int n) {
    if (n > in.length - p) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = v << 8 | (in[p + i] & 0xff);
    }
    return v;
  }

  /** Writes the msgpack 5-array {@code [alg, id, iv, nonce, ct]} with the shortest forms. */
  public static byte[] msgpack(
      KeyAlgorithm algorithm, String keyId, byte[] random, byte[] sealed, int sealedLen) {
    byte[] alg =
        (algorithm == KeyAlgorithm.AES256 ? MSGPACK_AES : MSGPACK_CHACHA)
            .getBytes(StandardCharsets.US_ASCII);
    byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
    int binHeader = sealedLen < 0x100 ? 2 : sealedLen < 0x10000 ? 3 : 5;
    byte[] out =
        new byte
            [1
                + strHeader(alg.length)
                + alg.length
                + strHeader(id.length)
                + id.length
                + 2
                + Aead.IV_LENGTH
                + 2
                + Aead.NONCE_LENGTH
                + binHeader
                + sealedLen];
    int p = 0;
    out[p++] = (byte) 0x95;
    p = putStr(out, p, alg);
    p = putStr(out, p, id);
    out[p++] = (byte) 0xc4;
    out[p++] = (byte) Aead.IV_LENGTH;
    System.arraycopy(random, 0, out, p, Aead.IV_LENGTH);
    p += Aead.IV_LENGTH;
    out[p++] = (byte) 0xc4;
    out[p++] = (byte) Aead.NONCE_LENGTH;
    System.arraycopy(random, Aead.IV_LENGTH, out, p, Aead.NONCE_LENGTH);
    p += Aead.NONCE_LENGTH;
    if (binHeader == 2) {
      out[p++] = (byte) 0xc4;
      out[p++] = (byte) sealedLen;
    } else if (binHeader == 3) {
      out[p++] = (byte) 0xc5;
      out[p++] = (byte) (sealedLen >>> 8);
      out[p++] = (byte) sealedLen;
    } else {
      out[p++] = (byte) 0xc6;
      out[p++] = (byte) (sealedLen >>> 24);
      out[p++] = (byte) (sealedLen >>> 16);
      out[p++] = (byte) (sealedLen >>> 8);
      out[p++] = (byte) sealedLen;
    }
    System.arraycopy(sealed, 0, out, p, sealedLen);
    return out;
  }

  private static int strHeader(int len) {
    return len < 32 ? 1 : 2; // our strings are < 256 bytes
  }

  private static int putStr(byte[] out, int p, byte[] s) {
    if (s.length < 32) {
      out[p++] = (byte) (0xa0 | s.length);
    } else {
      out[p++] = (byte) 0xd9;
      out[p++] = (byte) s.length;
    }
    System.arraycopy(s, 0, out, p, s.length);
    return p + s.length;
  }
}
