package dev.kes4j.api.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

// Over 600 lines: one codec on purpose (reader, writer and Go's decoding rules together), so that
// every module reads and writes KES JSON the same way; it is tested as one unit in KesJsonTest.
/**
 * The one KES JSON codec of kes4j: a strict RFC 8259 reader with Go {@code encoding/json} decoding
 * rules, and a writer with Go's escaping. Every kes4j module that reads or writes KES JSON (request
 * and response bodies, ciphertext containers, key blobs, audit and error lines) uses this class, so
 * that they all agree byte for byte. Internal: exported only to kes4j modules, not an API.
 *
 * <p>Reading rules (Go's decoding of JSON into a struct):
 *
 * <ul>
 *   <li>an object member matches a field when its name equals the field's case-insensitively
 *       (Unicode simple case folding, as Go's {@code strings.EqualFold}); when several members
 *       match, the <b>last</b> one wins; unknown members are ignored;
 *   <li>{@code null} leaves a {@code string} field unchanged (so it reads as the previous match or
 *       empty) and resets a {@code []byte} field to empty;
 *   <li>{@code []byte} fields are Go's {@code base64.StdEncoding}: padding required, {@code \r} and
 *       {@code \n} anywhere ignored; a missing field is empty;
 *   <li>invalid UTF-8 in a string and unpaired surrogate escapes become U+FFFD, one per invalid
 *       byte, as Go does;
 *   <li>{@link #parse} accepts exactly one JSON value ({@code json.Unmarshal}); {@link #parseFirst}
 *       reads the first value and ignores what follows ({@code json.Decoder.Decode}, used for
 *       request bodies, spec §1.1; like Go it still requires white space right after a top-level
 *       number, literal or string);
 *   <li>nesting deeper than {@value #MAX_DEPTH} is refused (Go allows 10000; no KES document nests
 *       beyond 3, and the bound keeps the recursive reader's stack use small).
 * </ul>
 *
 * <p>Writing rules (Go ≥ 1.22 {@code encoding/json}): quote, backslash, newline, carriage return,
 * tab, backspace and form feed as two-character escapes; other control characters, the HTML-unsafe
 * {@code < > &} and U+2028/U+2029 as six-character backslash-u escapes (lower-case hex); an
 * unpaired surrogate as the escape of U+FFFD (Go writes invalid UTF-8 as U+FFFD).
 *
 * <p>Stateless and thread-safe. Exceptions never carry input text.
 */
public final class KesJson {
  /** The JSON {@code null} value in a parsed tree. */
  public static final Object NULL = new Object();

  /** Deepest nesting of arrays and objects accepted. */
  public static final int MAX_DEPTH = 512;

  private static final byte[] EMPTY = new byte[0];
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private KesJson() {}

  /** Input that is not valid JSON, or a value of the wrong JSON type. Carries no input text. */
  public static final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A decode failure described by {@code what} (which must not quote the input). */
    public DecodeException(String what) {
      super(what, null, false, false);
    }
  }

  /** A JSON number, kept as its text (KES numbers are only ever read as integers). */
  public static final class Num {
    private final String text;

    Num(String text) {
      this.text = text;
    }

    /** The number's JSON text. */
    public String text() {
      return text;
    }

    /**
     * The number as Go decodes it into an {@code int64}.
     *
     * @throws DecodeException if it has a fraction or exponent, or does not fit
     */
    public long longValue() throws DecodeException {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new DecodeException("number is not an int64");
      }
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * A parsed JSON object: its members in document order, duplicates kept. Field accessors apply the
   * reading rules of {@link KesJson}.
   */
  public static final class Obj {
    private static final Obj EMPTY_OBJ = new Obj();

    private final List<String> names = new ArrayList<>(8);
    private final List<Object> values = new ArrayList<>(8);

    /** An object without members (what Go leaves for a top-level {@code null}). */
    public static Obj empty() {
      return EMPTY_OBJ;
    }

    /** The number of members, duplicates included. */
    public int size() {
      return names.size();
    }

    /** The member names in document order, duplicates included. */
    public List<String> names() {
      return java.util.Collections.unmodifiableList(names);
    }

    /** Whether any member matches {@code field} (with any value, {@code null} included). */
    public boolean has(String field) {
      for (int i = names.size() - 1; i >= 0; i--) {
        if (foldEquals(names.get(i), field)) {
          return true;
        }
      }
      return false;
    }

    /**
     * The value of the last member matching {@code field}: an {@link Obj}, a {@link List}, a {@link
     * String}, a {@link Boolean}, a {@link Num} or {@link #NULL}; Java null if absent.
     */
    public Object get(String field) {
      for (int i = names.size() - 1; i >= 0; i--) {
        if (foldEquals(names.get(i), field)) {
          return values.get(i);
        }
      }
      return null;
    }

    /**
     * A {@code string} field as Go decodes it: the last matching string ({@code null} members
     * skipped).
     *
     * @return the value, or Java null if absent or only {@code null}
     * @throws DecodeException if a matching member is neither a string nor {@code null}
     */
    public String stringOrNull(String field) throws DecodeException {
      String result = null;
      for (int i = 0; i < names.size(); i++) {
        if (foldEquals(names.get(i), field)) {
          Object v = values.get(i);
          if (v instanceof String) {
            result = (String) v;
          } else if (v != NULL) {
            throw new DecodeException("field '" + field + "' is not a string");
          }
        }
      }
      return result;
    }

    /**
     * A {@code string} field as Go decodes it; empty if absent or only {@code null}.
     *
     * @throws DecodeException if a matching member is neither a string nor {@code null}
     */
    public String string(String field) throws DecodeException {
      String s = stringOrNull(field);
      return s == null ? "" : s;
    }

    /**
     * A {@code []byte} field as Go decodes it (std base64, padding required, CR/LF ignored; {@code
     * null} resets it); empty if absent or {@code null}.
     *
     * @throws DecodeException if a matching member is not a string or null, or not valid base64
     */
    public byte[] bytes(String field) throws DecodeException {
      byte[] result = EMPTY;
      for (int i = 0; i < names.size(); i++) {
        if (foldEquals(names.get(i), field)) {
          Object v = values.get(i);
          if (v == NULL) {
            result = EMPTY;
          } else if (v instanceof String) {
            result = decodeBase64((String) v);
            if (result == null) {
              throw new DecodeException("field '" + field + "' is not base64");
            }
          } else {
            throw new DecodeException("field '" + field + "' is not a string");
          }
        }
      }
      return result;
    }

    /**
     * A {@code bool} field as Go decodes it; false if absent ({@code null} leaves it unchanged).
     *
     * @throws DecodeException if a matching member is neither a boolean nor {@code null}
     */
    public boolean bool(String field) throws DecodeException {
      boolean result = false;
      for (int i = 0; i < names.size(); i++) {
        if (foldEquals(names.get(i), field)) {
          Object v = values.get(i);
          if (v instanceof Boolean) {
            result = (Boolean) v;
          } else if (v != NULL) {
            throw new DecodeException("field '" + field + "' is not a boolean");
          }
        }
      }
      return result;
    }

    /**
     * An {@code int64} field as Go decodes it; 0 if absent ({@code null} leaves it unchanged).
     *
     * @throws DecodeException if a matching member is not an integer number or {@code null}
     */
    public long number(String field) throws DecodeException {
      long result = 0;
      for (int i = 0; i < names.size(); i++) {
        if (foldEquals(names.get(i), field)) {
          Object v = values.get(i);
          if (v instanceof Num) {
            result = ((Num) v).longValue();
          } else if (v != NULL) {
            throw new DecodeException("field '" + field + "' is not a number");
          }
        }
      }
      return result;
    }
  }

  /**
   * Whether two member names are equal under Go's case folding (Unicode simple folding, compared
   * code point by code point).
   */
  public static boolean foldEquals(String a, String b) {
    if (a.length() == b.length() && a.equals(b)) {
      return true;
    }
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
      if (ca != cb && fold(ca) != fold(cb)) {
        return false;
      }
    }
    return i == a.length() && j == b.length();
  }

  private static int fold(int cp) {
    return Character.toLowerCase(Character.toUpperCase(cp));
  }

  // ---------------------------------------------------------------- base64

  /**
   * Decodes Go's {@code base64.StdEncoding}: padding required, CR and LF ignored.
   *
   * @return the bytes, or null if malformed
   */
  public static byte[] decodeBase64(String s) {
    int n = s.length();
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c > 0x7f) {
        return null;
      }
      b[i] = (byte) c;
    }
    return decodeBase64(b);
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
    return Arrays.copyOf(out, n);
  }

  // ---------------------------------------------------------------- reading

  /**
   * Parses exactly one JSON value (surrounding whitespace allowed), as Go's {@code json.Unmarshal}.
   *
   * @return an {@link Obj}, a {@link List}, a {@link String}, a {@link Boolean}, a {@link Num} or
   *     {@link #NULL}
   * @throws DecodeException if the input is not exactly one valid JSON value
   */
  public static Object parse(byte[] in) throws DecodeException {
    Reader r = new Reader(in);
    r.ws();
    Object v = r.value(0);
    r.ws();
    if (r.pos != in.length) {
      throw new DecodeException("invalid JSON");
    }
    return v;
  }

  /**
   * Parses the first JSON value and ignores whatever follows it, as Go's {@code
   * json.Decoder.Decode} (request bodies, spec §1.1).
   *
   * @throws DecodeException if the input is empty or does not start with a valid JSON value
   */
  public static Object parseFirst(byte[] in) throws DecodeException {
    Reader r = new Reader(in);
    r.ws();
    if (r.pos == in.length) {
      throw new DecodeException("empty body");
    }
    Object v = r.value(0);
    if (!(v instanceof Obj) && !(v instanceof List) && r.pos < in.length) {
      // Go's Decoder reads one byte past a scalar: it must be white space
      byte b = in[r.pos];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        throw new DecodeException("invalid JSON");
      }
    }
    return v;
  }

  /**
   * The first JSON value of a request body as an object; a top-level {@code null} yields an empty
   * object, as Go's decoder leaves the struct untouched.
   *
   * @throws DecodeException if the body is empty, not JSON or not an object
   */
  public static Obj firstObject(byte[] body) throws DecodeException {
    Object v = parseFirst(body);
    if (v == NULL) {
      return Obj.empty();
    }
    if (!(v instanceof Obj)) {
      throw new DecodeException("not an object");
    }
    return (Obj) v;
  }

  /**
   * The first JSON value of a request body as an array of objects ({@code null} elements are empty
   * objects); a top-level {@code null} yields an empty list.
   *
   * @throws DecodeException if the body is empty, not JSON or not an array of objects
   */
  public static List<Obj> firstArrayOfObjects(byte[] body) throws DecodeException {
    Object v = parseFirst(body);
    if (v == NULL) {
      return List.of();
    }
    if (!(v instanceof List)) {
      throw new DecodeException("not an array");
    }
    List<?> list = (List<?>) v;
    List<Obj> out = new ArrayList<>(list.size());
    for (Object o : list) {
      if (o == NULL) {
        out.add(Obj.empty());
      } else if (o instanceof Obj) {
        out.add((Obj) o);
      } else {
        throw new DecodeException("not an object");
      }
    }
    return out;
  }

  private static final class Reader {
    private final byte[] in;
    private int pos;
    private byte[] buf;

    Reader(byte[] in) {
      this.in = in;
    }

    static DecodeException syntax() {
      return new DecodeException("invalid JSON");
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

    int peek() throws DecodeException {
      if (pos >= in.length) {
        throw syntax();
      }
      return in[pos] & 0xff;
    }

    void expect(char c) throws DecodeException {
      if (peek() != c) {
        throw syntax();
      }
      pos++;
    }

    Object value(int depth) throws DecodeException {
      int c = peek();
      switch (c) {
        case '{':
          if (depth >= MAX_DEPTH) {
            throw new DecodeException("JSON nested too deeply");
          }
          return object(depth + 1);
        case '[':
          if (depth >= MAX_DEPTH) {
            throw new DecodeException("JSON nested too deeply");
          }
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
          return number();
      }
    }

    void literal(String word) throws DecodeException {
      for (int i = 0; i < word.length(); i++) {
        expect(word.charAt(i));
      }
    }

    Obj object(int depth) throws DecodeException {
      pos++; // '{'
      Obj obj = new Obj();
      ws();
      if (peek() == '}') {
        pos++;
        return obj;
      }
      while (true) {
        ws();
        if (peek() != '"') {
          throw syntax();
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
          throw syntax();
        }
      }
    }

    List<Object> array(int depth) throws DecodeException {
      pos++; // '['
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
          throw syntax();
        }
      }
    }

    Num number() throws DecodeException {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      int c = peek();
      if (c == '0') {
        pos++;
      } else if (c >= '1' && c <= '9') {
        digits();
      } else {
        throw syntax();
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
      return new Num(new String(in, start, pos - start, StandardCharsets.ISO_8859_1));
    }

    void digits() throws DecodeException {
      int start = pos;
      while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
        pos++;
      }
      if (pos == start) {
        throw syntax();
      }
    }

    String string() throws DecodeException {
      pos++; // '"'
      int start = pos;
      // fast path: plain ASCII without escapes
      while (pos < in.length) {
        int b = in[pos];
        if (b == '"') {
          String s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
          pos++;
          return s;
        }
        if (b == '\\' || b < 0x20) { // bytes >= 0x80 are negative here
          break;
        }
        pos++;
      }
      StringBuilder out = new StringBuilder(pos - start + 16);
      for (int i = start; i < pos; i++) {
        out.append((char) in[i]);
      }
      while (true) {
        int b = peek();
        if (b == '"') {
          pos++;
          return out.toString();
        }
        if (b < 0x20) {
          throw syntax();
        }
        if (b >= 0x80) {
          utf8(out);
          continue;
        }
        pos++;
        if (b != '\\') {
          out.append((char) b);
          continue;
        }
        int e = peek();
        pos++;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out.append((char) e);
            break;
          case 'b':
            out.append('\b');
            break;
          case 'f':
            out.append('\f');
            break;
          case 'n':
            out.append('\n');
            break;
          case 'r':
            out.append('\r');
            break;
          case 't':
            out.append('\t');
            break;
          case 'u':
            char cu = (char) hex4();
            if (Character.isHighSurrogate(cu)
                && pos + 5 < in.length
                && in[pos] == '\\'
                && in[pos + 1] == 'u') {
              int save = pos;
              pos += 2;
              char low = (char) hex4();
              if (Character.isLowSurrogate(low)) {
                out.append(cu).append(low);
              } else {
                pos = save; // Go: U+FFFD, then the second escape on its own
                out.append('\ufffd');
              }
            } else if (Character.isSurrogate(cu)) {
              out.append('\ufffd');
            } else {
              out.append(cu);
            }
            break;
          default:
            throw syntax();
        }
      }
    }

    /**
     * Decodes one UTF-8 sequence at {@code pos} as Go's {@code utf8.DecodeRune}: a valid sequence
     * is appended; otherwise U+FFFD is appended and one byte consumed.
     */
    void utf8(StringBuilder out) {
      int b0 = in[pos] & 0xff;
      int n;
      int lo = 0x80;
      int hi = 0xbf;
      int cp;
      if (b0 >= 0xc2 && b0 <= 0xdf) {
        n = 2;
        cp = b0 & 0x1f;
      } else if (b0 >= 0xe0 && b0 <= 0xef) {
        n = 3;
        cp = b0 & 0x0f;
        if (b0 == 0xe0) {
          lo = 0xa0;
        } else if (b0 == 0xed) {
          hi = 0x9f;
        }
      } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        n = 4;
        cp = b0 & 0x07;
        if (b0 == 0xf0) {
          lo = 0x90;
        } else if (b0 == 0xf4) {
          hi = 0x8f;
        }
      } else {
        out.append('\ufffd');
        pos++;
        return;
      }
      if (pos + n > in.length) {
        out.append('\ufffd');
        pos++;
        return;
      }
      for (int k = 1; k < n; k++) {
        int bk = in[pos + k] & 0xff;
        if (bk < (k == 1 ? lo : 0x80) || bk > (k == 1 ? hi : 0xbf)) {
          out.append('\ufffd');
          pos++;
          return;
        }
        cp = cp << 6 | (bk & 0x3f);
      }
      out.appendCodePoint(cp);
      pos += n;
    }

    int hex4() throws DecodeException {
      int v = 0;
      for (int i = 0; i < 4; i++) {
        int d = Character.digit(peek(), 16);
        pos++;
        if (d < 0) {
          throw syntax();
        }
        v = v << 4 | d;
      }
      return v;
    }
  }

  // ---------------------------------------------------------------- writing

  /** Appends {@code s} as a JSON string the way Go's {@code encoding/json} writes it. */
  public static StringBuilder quote(StringBuilder sb, String s) {
    sb.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x2028 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
        sb.append(c);
        continue;
      }
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
        case '\u2028':
        case '\u2029':
        case '<':
        case '>':
        case '&':
          unicode(sb, c); // Go's HTML-safe escaping
          break;
        default:
          if (c < 0x20) {
            unicode(sb, c);
          } else if (Character.isSurrogate(c)) {
            if (Character.isHighSurrogate(c)
                && i + 1 < n
                && Character.isLowSurrogate(s.charAt(i + 1))) {
              sb.append(c).append(s.charAt(++i));
            } else {
              unicode(sb, '\ufffd');
            }
          } else {
            sb.append(c);
          }
      }
    }
    return sb.append('"');
  }

  /** {@code s} as a JSON string, as Go writes it. */
  public static String quote(String s) {
    return quote(new StringBuilder(s.length() + 2), s).toString();
  }

  private static void unicode(StringBuilder sb, char c) {
    sb.append("\\u")
        .append(HEX[c >> 12 & 0xf])
        .append(HEX[c >> 8 & 0xf])
        .append(HEX[c >> 4 & 0xf])
        .append(HEX[c & 0xf]);
  }

  /** The UTF-8 bytes of {@code s} (strings built by this class are always well-formed). */
  public static byte[] utf8(CharSequence s) {
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The KES error body (spec §1.2): {@code {"message":<quoted>\n}}, byte for byte as Go's server
   * writes it.
   */
  public static byte[] errorBody(String message) {
    StringBuilder sb = new StringBuilder(message.length() + 16).append("{\"message\":");
    return utf8(quote(sb, message).append("\n}"));
  }

  /**
   * Builds one JSON object, members in insertion order, written as Go's encoder writes a struct,
   * straight into UTF-8 bytes (strings that need no escaping, such as key names and base64, are
   * copied without a detour through a {@code StringBuilder}). Not thread-safe; one use.
   */
  public static final class ObjectWriter {
    private byte[] buf = new byte[192];
    private int len;
    private boolean first = true;

    /** An empty object. */
    public ObjectWriter() {
      buf[len++] = '{';
    }

    private void ensure(int n) {
      if (len + n > buf.length) {
        byte[] bigger = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        Arrays.fill(buf, (byte) 0); // values may be key material (base64 of a plaintext)
        buf = bigger;
      }
    }

    private void put(char c) {
      ensure(1);
      buf[len++] = (byte) c;
    }

    private void string(String s) {
      int n = s.length();
      ensure(n + 2);
      int at = len;
      buf[at++] = '"';
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&') {
          // needs escaping or is not ASCII: Go's rules, then UTF-8
          byte[] q = utf8(quote(new StringBuilder(n + 8), s));
          ensure(q.length);
          System.arraycopy(q, 0, buf, len, q.length);
          len += q.length;
          return;
        }
        buf[at++] = (byte) c;
      }
      buf[at++] = '"';
      len = at;
    }

    private void name(String name) {
      if (!first) {
        put(',');
      }
      first = false;
      string(name);
      put(':');
    }

    /** Appends a string member. */
    public ObjectWriter field(String name, String value) {
      name(name);
      string(value);
      return this;
    }

    /** Appends a member whose value is the std base64 (with padding) of {@code value}. */
    public ObjectWriter base64(String name, byte[] value) {
      name(name);
      byte[] b64 = Base64.getEncoder().encode(value);
      ensure(b64.length + 2);
      buf[len++] = '"';
      System.arraycopy(b64, 0, buf, len, b64.length); // the alphabet never needs escaping
      len += b64.length;
      buf[len++] = '"';
      Arrays.fill(b64, (byte) 0);
      return this;
    }

    /** Appends an integer member. */
    public ObjectWriter number(String name, long value) {
      return raw(name, Long.toString(value));
    }

    /** Appends a boolean member. */
    public ObjectWriter bool(String name, boolean value) {
      return raw(name, value ? "true" : "false");
    }

    /** Appends a member whose value is {@code json}, which must already be valid JSON. */
    public ObjectWriter raw(String name, String json) {
      name(name);
      byte[] b = utf8(json);
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
      return this;
    }

    /** The finished object as text. */
    @Override
    public String toString() {
      return new String(finish(false), StandardCharsets.UTF_8);
    }

    /** The finished object as UTF-8 bytes. */
    public byte[] toBytes() {
      return finish(false);
    }

    /** The finished object and a newline as UTF-8 bytes, as Go's {@code json.Encoder} ends it. */
    public byte[] toLine() {
      return finish(true);
    }

    private byte[] finish(boolean newline) {
      byte[] out = Arrays.copyOf(buf, len + (newline ? 2 : 1));
      out[len] = '}';
      if (newline) {
        out[len + 1] = '\n';
      }
      return out;
    }

    /** Overwrites the builder's buffer (it may hold key material); the writer is then unusable. */
    public void clear() {
      Arrays.fill(buf, (byte) 0);
      len = 0;
    }
  }
}
