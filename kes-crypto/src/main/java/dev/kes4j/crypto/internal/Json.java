package dev.kes4j.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A small strict JSON (RFC 8259) reader and a writer with Go's {@code encoding/json} escaping, for
 * the JSON ciphertext container and legacy key blobs. Field lookup follows Go's decoding into a
 * struct: keys match case-insensitively, the last occurrence wins, and {@code null} leaves a string
 * unchanged. Stateless and thread-safe.
 */
public final class Json {
  /** The JSON {@code null} value. */
  public static final Object NULL = new Object();

  /** Any JSON number (its value is never needed here). */
  public static final Object NUMBER = new Object();

  /** Deepest nesting accepted; far more than any KES document has. */
  private static final int MAX_DEPTH = 512;

  private Json() {}

  /** Thrown for input that is not one valid JSON text. Carries no input. */
  public static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException() {
      super("invalid JSON", null, false, false);
    }
  }

  /** Thrown when a field has the wrong JSON type (Go: UnmarshalTypeError). */
  public static final class TypeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TypeException() {
      super("wrong JSON type", null, false, false);
    }
  }

  /** A JSON object: its members in document order, duplicates kept. */
  public static final class Obj {
    private final List<String> names = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    /**
     * The string value of {@code field} as Go would decode it into a {@code string}.
     *
     * @return the value, or null if absent or only {@code null}
     * @throws TypeException if a matching member is neither a string nor null
     */
    public String string(String field) {
      String result = null;
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equalsIgnoreCase(field)) {
          Object v = values.get(i);
          if (v instanceof String) {
            result = (String) v;
          } else if (v != NULL) {
            throw new TypeException();
          }
        }
      }
      return result;
    }

    /**
     * The value of {@code field} as Go would decode it into a {@code []byte} (std base64 with
     * padding; {@code null} resets it).
     *
     * @return the bytes, or null if absent or null
     * @throws TypeException if a matching member is not a string, or not valid base64
     */
    public byte[] bytes(String field) {
      byte[] result = null;
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equalsIgnoreCase(field)) {
          Object v = values.get(i);
          if (v == NULL) {
            result = null;
          } else if (v instanceof String) {
            result = decodeBase64((String) v);
            if (result == null) {
              throw new TypeException();
            }
          } else {
            throw new TypeException();
          }
        }
      }
      return result;
    }
  }

  /**
   * Decodes Go's {@code base64.StdEncoding}: padding required, CR and LF ignored.
   *
   * @return the bytes, or null if malformed
   */
  public static byte[] decodeBase64(String s) {
    return decodeBase64(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Decodes Go's {@code base64.StdEncoding}: padding required, CR and LF ignored.
   *
   * @return the bytes, or null if malformed
   */
  public static byte[] decodeBase64(byte[] in) {
    byte[] s = in;
    for (byte b : in) {
      if (b == '\r' || b == '\n') {
        s = strip(in);
        break;
      }
    }
    if (s.length % 4 != 0) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] strip(byte[] in) {
    byte[] out = new byte[in.length];
    int n = 0;
    for (byte b : in) {
      if (b != '\r' && b != '\n') {
        out[n++] = b;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /**
   * Parses one JSON text (surrounding whitespace allowed).
   *
   * @return an {@link Obj}, a {@link List}, a {@link String}, a {@link Boolean}, {@link #NUMBER} or
   *     {@link #NULL}
   * @throws SyntaxException if the input is not exactly one valid JSON text
   */
  public static Object parse(byte[] in) throws SyntaxException {
    Reader r = new Reader(in);
    r.ws();
    Object v = r.value(0);
    r.ws();
    if (r.pos != in.length) {
      throw new SyntaxException();
    }
    return v;
  }

  private static final class Reader {
    private final byte[] in;
    private int pos;

    Reader(byte[] in) {
      this.in = in;
    }

    void ws() {
      while (pos < in.length) {
        byte b = in[pos];
        if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
          pos++;
        } else {
          return;
        }
      }
    }

    int peek() throws SyntaxException {
      if (pos >= in.length) {
        throw new SyntaxException();
      }
      return in[pos] & 0xff;
    }

    void expect(char c) throws SyntaxException {
      if (peek() != c) {
        throw new SyntaxException();
      }
      pos++;
    }

    Object value(int depth) throws SyntaxException {
      if (depth > MAX_DEPTH) {
        throw new SyntaxException();
      }
      int c = peek();
      switch (c) {
        case '{':
          return object(depth + 1);
        case '[':
          return array(depth + 1);
        case '"':
          return string();
        case 't':
          literal("true");
          return Boolean.TRUE;
        case 'f':
          literal("false");
          return Boolean.FALSE;
        case 'n':
          literal("null");
          return NULL;
        default:
          number();
          return NUMBER;
      }
    }

    void literal(String word) throws SyntaxException {
      for (int i = 0; i < word.length(); i++) {
        expect(word.charAt(i));
      }
    }

    Obj object(int depth) throws SyntaxException {
      expect('{');
      Obj obj = new Obj();
      ws();
      if (peek() == '}') {
        pos++;
        return obj;
      }
      while (true) {
        ws();
        if (peek() != '"') {
          throw new SyntaxException();
        }
        String name = string();
        ws();
        expect(':');
        ws();
        Object v = value(depth);
        obj.names.add(name);
        obj.values.add(v);
        ws();
        int c = peek();
        pos++;
        if (c == '}') {
          return obj;
        }
        if (c != ',') {
          throw new SyntaxException();
        }
      }
    }

    List<Object> array(int depth) throws SyntaxException {
      expect('[');
      List<Object> list = new ArrayList<>();
      ws();
      if (peek() == ']') {
        pos++;
        return list;
      }
      while (true) {
        ws();
        list.add(value(depth));
        ws();
        int c = peek();
        pos++;
        if (c == ']') {
          return list;
        }
        if (c != ',') {
          throw new SyntaxException();
        }
      }
    }

    void number() throws SyntaxException {
      if (peek() == '-') {
        pos++;
      }
      int c = peek();
      if (c == '0') {
        pos++;
      } else if (c >= '1' && c <= '9') {
        digits();
      } else {
        throw new SyntaxException();
      }
      if (pos < in.length && in[pos] == '.') {
        pos++;
        digits();
      }
      if (pos < in.length && (in[pos] == 'e' || in[pos] == 'E')) {
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
        digits();
      }
    }

    void digits() throws SyntaxException {
      int start = pos;
      while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
        pos++;
      }
      if (pos == start) {
        throw new SyntaxException();
      }
    }

    String string() throws SyntaxException {
      expect('"');
      int start = pos;
      // fast path: plain ASCII without escapes
      while (pos < in.length) {
        int b = in[pos] & 0xff;
        if (b == '"') {
          String s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
          pos++;
          return s;
        }
        if (b == '\\' || b < 0x20 || b >= 0x80) {
          break;
        }
        pos++;
      }
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      out.write(in, start, pos - start);
      while (true) {
        int b = peek();
        pos++;
        if (b == '"') {
          // Go replaces invalid UTF-8 with U+FFFD rather than failing; so does this decoder
          return new String(out.toByteArray(), StandardCharsets.UTF_8);
        }
        if (b < 0x20) {
          throw new SyntaxException();
        }
        if (b != '\\') {
          out.write(b);
          continue;
        }
        int e = peek();
        pos++;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out.write(e);
            break;
          case 'b':
            out.write('\b');
            break;
          case 'f':
            out.write('\f');
            break;
          case 'n':
            out.write('\n');
            break;
          case 'r':
            out.write('\r');
            break;
          case 't':
            out.write('\t');
            break;
          case 'u':
            int cp = hex4();
            if (Character.isHighSurrogate((char) cp)
                && pos + 1 < in.length
                && in[pos] == '\\'
                && in[pos + 1] == 'u') {
              int save = pos;
              pos += 2;
              int low = hex4();
              if (Character.isLowSurrogate((char) low)) {
                cp = Character.toCodePoint((char) cp, (char) low);
              } else {
                pos = save;
                cp = 0xfffd;
              }
            } else if (Character.isSurrogate((char) cp)) {
              cp = 0xfffd;
            }
            byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            out.write(utf8, 0, utf8.length);
            break;
          default:
            throw new SyntaxException();
        }
      }
    }

    int hex4() throws SyntaxException {
      int v = 0;
      for (int i = 0; i < 4; i++) {
        int c = peek();
        pos++;
        int d = Character.digit(c, 16);
        if (d < 0) {
          throw new SyntaxException();
        }
        v = v << 4 | d;
      }
      return v;
    }
  }

  /** Builds a JSON object in insertion order, escaping strings as Go's encoder does. */
  public static final class ObjectWriter {
    private final StringBuilder sb = new StringBuilder(128).append('{');
    private boolean first = true;

    /** Appends a string member. */
    public ObjectWriter field(String name, String value) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      quote(name);
      sb.append(':');
      quote(value);
      return this;
    }

    /** Appends a member whose value is the std base64 (with padding) of {@code value}. */
    public ObjectWriter base64(String name, byte[] value) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      quote(name);
      // the base64 alphabet (A-Z a-z 0-9 + / =) never needs escaping: append as is
      return append(sb.append(":\""), Base64.getEncoder().encode(value));
    }

    private ObjectWriter append(StringBuilder out, byte[] ascii) {
      for (byte b : ascii) {
        out.append((char) b);
      }
      out.append('"');
      return this;
    }

    private void quote(String s) {
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"':
            sb.append("\\\"");
            break;
          case '\\':
            sb.append("\\\\");
            break;
          case '\n':
            sb.append("\\n");
            break;
          case '\r':
            sb.append("\\r");
            break;
          case '\t':
            sb.append("\\t");
            break;
          case '\b':
            sb.append("\\b");
            break;
          case '\f':
            sb.append("\\f");
            break;
          case '<':
          case '>':
          case '&':
          case '\u2028':
          case '\u2029':
            unicode(c); // Go's HTML-safe escaping
            break;
          default:
            if (c < 0x20) {
              unicode(c);
            } else if (Character.isHighSurrogate(c)
                && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1))) {
              sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
              unicode('\ufffd'); // Go writes invalid UTF-8 as U+FFFD
            } else {
              sb.append(c);
            }
        }
      }
      sb.append('"');
    }

    private void unicode(char c) {
      sb.append("\\u");
      String hex = Integer.toHexString(c);
      for (int i = hex.length(); i < 4; i++) {
        sb.append('0');
      }
      sb.append(hex);
    }

    /** The finished object as UTF-8 bytes. */
    public byte[] toBytes() {
      return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
  }
}
