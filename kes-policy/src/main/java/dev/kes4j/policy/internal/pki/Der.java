package dev.kes4j.policy.internal.pki;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tiny DER writer (the universal types an X.509 v3 certificate needs) and reader ({@link Tlv}:
 * the elements of private keys and PBES2 parameters). Static methods and immutable values:
 * thread-safe.
 */
public final class Der {
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter GENERALIZED_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private Der() {}

  /** A TLV with a one-byte tag. */
  public static byte[] tlv(int tag, byte[] content) {
    int len = content.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream(len + 6);
    out.write(tag);
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else if (len < 0x10000) {
      out.write(0x82);
      out.write(len >>> 8);
      out.write(len);
    } else {
      out.write(0x83);
      out.write(len >>> 16);
      out.write(len >>> 8);
      out.write(len);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** The concatenation of already-encoded elements. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** SEQUENCE of already-encoded elements. */
  public static byte[] sequence(byte[]... elements) {
    return tlv(0x30, concat(elements));
  }

  /** SET of already-encoded elements (caller keeps DER order; we only ever write one element). */
  public static byte[] set(byte[]... elements) {
    return tlv(0x31, concat(elements));
  }

  /** INTEGER, minimal two's complement. */
  public static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  /** BOOLEAN. */
  public static byte[] bool(boolean value) {
    return tlv(0x01, new byte[] {value ? (byte) 0xff : 0});
  }

  /** OBJECT IDENTIFIER from its dotted form. */
  public static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeBase128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      writeBase128(out, Long.parseLong(arcs[i]));
    }
    return tlv(0x06, out.toByteArray());
  }

  private static void writeBase128(ByteArrayOutputStream out, long v) {
    int groups = 1;
    for (long t = v >>> 7; t != 0; t >>>= 7) {
      groups++;
    }
    for (int g = groups - 1; g >= 0; g--) {
      int b = (int) ((v >>> (7 * g)) & 0x7f);
      out.write(g == 0 ? b : b | 0x80);
    }
  }

  /** NULL. */
  public static byte[] nul() {
    return new byte[] {0x05, 0x00};
  }

  /** UTF8String. */
  public static byte[] utf8String(String s) {
    return tlv(0x0c, s.getBytes(StandardCharsets.UTF_8));
  }

  /** OCTET STRING. */
  public static byte[] octetString(byte[] content) {
    return tlv(0x04, content);
  }

  /** BIT STRING with the given number of unused bits in the last byte. */
  public static byte[] bitString(byte[] content, int unusedBits) {
    byte[] c = new byte[content.length + 1];
    c[0] = (byte) unusedBits;
    System.arraycopy(content, 0, c, 1, content.length);
    return tlv(0x03, c);
  }

  /** Context-specific constructed tag {@code [n]} (EXPLICIT). */
  public static byte[] explicit(int n, byte[] content) {
    return tlv(0xa0 | n, content);
  }

  /** X.509 Time: UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
  public static byte[] time(Instant instant) {
    ZonedDateTime t = instant.atZone(ZoneOffset.UTC);
    if (t.getYear() < 2050 && t.getYear() >= 1950) {
      return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }
    return tlv(0x18, GENERALIZED_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * One DER element of {@code der}: its header starts at {@code start}, its {@code length} content
   * bytes at {@code offset}.
   *
   * @param tag the one-byte tag
   */
  public record Tlv(int tag, byte[] der, int start, int offset, int length) {
    /**
     * The element at the start of {@code der}; the bytes must hold exactly one element.
     *
     * @throws IllegalArgumentException if they do not
     */
    public static Tlv parse(byte[] der) {
      Tlv t = at(der, 0, der.length);
      if (t.end() != der.length) {
        throw new IllegalArgumentException("trailing data after DER element");
      }
      return t;
    }

    private static Tlv at(byte[] der, int pos, int limit) {
      if (pos + 2 > limit) {
        throw new IllegalArgumentException("truncated DER element");
      }
      int tag = der[pos] & 0xff;
      if ((tag & 0x1f) == 0x1f) {
        throw new IllegalArgumentException("multi-byte DER tags are not supported");
      }
      int len = der[pos + 1] & 0xff;
      int off = pos + 2;
      if (len >= 0x80) {
        int n = len & 0x7f;
        if (n == 0 || n > 3 || off + n > limit) {
          throw new IllegalArgumentException("bad DER length");
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (der[off + i] & 0xff);
        }
        off += n;
      }
      if ((long) off + len > limit) {
        throw new IllegalArgumentException("truncated DER element");
      }
      return new Tlv(tag, der, pos, off, len);
    }

    int end() {
      return offset + length;
    }

    /** The content bytes (a copy). */
    public byte[] content() {
      return Arrays.copyOfRange(der, offset, end());
    }

    /** The whole element, tag and length included (a copy). */
    public byte[] encoded() {
      return Arrays.copyOfRange(der, start, end());
    }

    /**
     * The elements inside a constructed element.
     *
     * @throws IllegalArgumentException if they are not well-formed DER
     */
    public List<Tlv> children() {
      List<Tlv> out = new ArrayList<>();
      int pos = offset;
      while (pos < end()) {
        Tlv t = at(der, pos, end());
        out.add(t);
        pos = t.end();
      }
      return out;
    }

    /**
     * The value of an INTEGER.
     *
     * @throws IllegalArgumentException if this is not an INTEGER
     */
    public BigInteger integer() {
      expect(0x02);
      if (length == 0) {
        throw new IllegalArgumentException("empty INTEGER");
      }
      return new BigInteger(content());
    }

    /**
     * The dotted form of an OBJECT IDENTIFIER.
     *
     * @throws IllegalArgumentException if this is not an OBJECT IDENTIFIER
     */
    public String oid() {
      expect(0x06);
      StringBuilder sb = new StringBuilder();
      long v = 0;
      boolean first = true;
      for (int i = offset; i < end(); i++) {
        if (v > (Long.MAX_VALUE >>> 7)) {
          throw new IllegalArgumentException("OID arc too large");
        }
        v = (v << 7) | (der[i] & 0x7f);
        if ((der[i] & 0x80) == 0) {
          if (first) {
            int a = v < 40 ? 0 : v < 80 ? 1 : 2;
            sb.append(a).append('.').append(v - 40L * a);
            first = false;
          } else {
            sb.append('.').append(v);
          }
          v = 0;
        }
      }
      if (first || (der[end() - 1] & 0x80) != 0) {
        throw new IllegalArgumentException("bad OID");
      }
      return sb.toString();
    }

    /**
     * Checks the tag.
     *
     * @throws IllegalArgumentException if it is not {@code expected}
     */
    public Tlv expect(int expected) {
      if (tag != expected) {
        throw new IllegalArgumentException(
            "DER tag 0x"
                + Integer.toHexString(tag)
                + ", expected 0x"
                + Integer.toHexString(expected));
      }
      return this;
    }
  }
}
