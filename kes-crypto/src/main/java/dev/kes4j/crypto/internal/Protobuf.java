package dev.kes4j.crypto.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few protobuf wire-format rules the stored {@code KeyVersion} needs (spec §5.2): varints and
 * length-delimited fields. Reading rejects truncation and overlong varints and lets the caller skip
 * unknown fields; writing emits fields in the order written. Not thread-safe (instances are used by
 * one thread); the static helpers are.
 */
public final class Protobuf {
  /** Wire type of varints. */
  public static final int VARINT = 0;

  /** Wire type of fixed 64-bit values. */
  public static final int I64 = 1;

  /** Wire type of length-delimited values (bytes, strings, messages). */
  public static final int LEN = 2;

  /** Wire type of fixed 32-bit values. */
  public static final int I32 = 5;

  private Protobuf() {}

  /** Malformed protobuf input. Carries no input bytes. */
  public static final class MalformedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedException() {
      super("malformed protobuf", null, false, false);
    }
  }

  /** Decodes a proto3 {@code string}: strict UTF-8, as Go's protobuf runtime requires. */
  public static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedException();
    }
  }

  /** Sequential reader over one message. */
  public static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;

    /** Reads {@code buf} whole. */
    public Reader(byte[] buf) {
      this.buf = buf;
      this.pos = 0;
      this.end = buf.length;
    }

    /** Whether another field follows. */
    public boolean hasNext() {
      return pos < end;
    }

    /**
     * Reads a field tag.
     *
     * @return {@code fieldNumber << 3 | wireType}
     * @throws MalformedException on truncation, field number 0 or out of range
     */
    public long tag() {
      long tag = varint();
      long field = tag >>> 3;
      if (field < 1 || field > (1 << 29) - 1) {
        throw new MalformedException();
      }
      return tag;
    }

    /**
     * Reads a varint (at most 10 bytes).
     *
     * @throws MalformedException on truncation or overflow
     */
    public long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new MalformedException();
        }
        int b = buf[pos++] & 0xff;
        if (shift == 63 && b > 1) {
          throw new MalformedException();
        }
        v |= (long) (b & 0x7f) << shift;
        if (b < 0x80) {
          return v;
        }
      }
      throw new MalformedException();
    }

    /**
     * Reads a length-delimited value.
     *
     * @throws MalformedException on truncation
     */
    public byte[] bytes() {
      long len = varint();
      if (len < 0 || len > end - pos) {
        throw new MalformedException();
      }
      byte[] out = Arrays.copyOfRange(buf, pos, pos + (int) len);
      pos += (int) len;
      return out;
    }

    /**
     * Skips a value of the given wire type.
     *
     * @throws MalformedException on truncation or an unsupported wire type (groups)
     */
    public void skip(int wireType) {
      switch (wireType) {
        case VARINT:
          varint();
          break;
        case I64:
          advance(8);
          break;
        case LEN:
          long len = varint();
          if (len < 0 || len > end - pos) {
            throw new MalformedException();
          }
          pos += (int) len;
          break;
        case I32:
          advance(4);
          break;
        default:
          throw new MalformedException(); // groups (3, 4) are deprecated; 6, 7 are invalid
      }
    }

    private void advance(int n) {
      if (n > end - pos) {
        throw new MalformedException();
      }
      pos += n;
    }
  }

  /** Appends fields to a growing message. */
  public static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(160);

    /** Writes a varint field; proto3 omits a zero value, so this does too. */
    public Writer varintField(int field, long value) {
      if (value != 0) {
        varint((long) field << 3 | VARINT);
        varint(value);
      }
      return this;
    }

    /** Writes a length-delimited field; proto3 omits an empty bytes/string value. */
    public Writer bytesField(int field, byte[] value) {
      if (value.length != 0) {
        messageField(field, value);
      }
      return this;
    }

    /** Writes an embedded message field; always present, even if empty. */
    public Writer messageField(int field, byte[] message) {
      varint((long) field << 3 | LEN);
      varint(message.length);
      out.write(message, 0, message.length);
      return this;
    }

    private void varint(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) (v & 0x7f) | 0x80);
        v >>>= 7;
      }
      out.write((int) v);
    }

    /** The message bytes. */
    public byte[] toBytes() {
      return out.toByteArray();
    }
  }
}
