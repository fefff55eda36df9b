package dev.kes4j.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The KES JSON rules (spec §1.1, §1.2, §4.3, §5.2) as Go's {@code encoding/json} applies them,
 * tested once for every kes4j module.
 */
class KesJsonTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KesJson.Obj obj(String json) throws KesJson.DecodeException {
    return KesJson.firstObject(utf8(json));
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }

  // ---- base64 ([]byte fields)

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"plaintext\":\"aGk=\"}|6869",
        "{\"plaintext\":\"aGk=\\n\"}|6869", // Go's StdEncoding ignores \n (divergence 1)
        "{\"plaintext\":\"aG\\r\\nk=\"}|6869",
        "{\"plaintext\":\"aGk=\\r\\n\"}|6869",
        "{\"plaintext\":\"aG=\\n=\"}|68",
        "{\"plaintext\":\"\"}|''",
        "{\"plaintext\":null}|''",
        "{}|''",
        "null|''",
        "{\"plaintext\":\"aGk=\",\"plaintext\":null}|''", // null resets a []byte
        "{\"Plaintext\":\"aGk=\"}|6869",
        "{\"PLAINTEXT\":\"aGk=\"}|6869",
        "{\"plaintext\":\"aGk=\",\"PlainText\":\"aGV5\"}|686579", // the last match wins
        "{\"PlainText\":\"aGV5\",\"plaintext\":\"aGk=\"}|6869",
        "{\"plaintext\":\"aGk=\",\"unknown\":[1,{\"x\":true}]}|6869",
      })
  void bytesFields(String body, String expectedHex) throws Exception {
    assertThat(hex(obj(body).bytes("plaintext"))).isEqualTo(expectedHex);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"plaintext\":\"aGk\"}", // unpadded: Go's StdEncoding requires padding
        "{\"plaintext\":\"aG\"}",
        "{\"plaintext\":\"aGk=aGk=\"}",
        "{\"plaintext\":\"aGk-\"}", // URL alphabet
        "{\"plaintext\":\"a Gk=\"}",
        "{\"plaintext\":\"aGk=\\t\"}",
        "{\"plaintext\":\"\u00e9Gk=\"}",
        "{\"plaintext\":5}",
        "{\"plaintext\":true}",
        "{\"plaintext\":[\"aGk=\"]}",
        "{\"plaintext\":{\"a\":1}}",
      })
  void badBytesFields(String body) {
    assertThatThrownBy(() -> obj(body).bytes("plaintext"))
        .isInstanceOf(KesJson.DecodeException.class)
        .hasMessageNotContaining("aG");
  }

  // ---- string fields and field matching

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"name\":\"a\"}|a",
        "{\"name\":\"a\",\"name\":\"b\"}|b",
        "{\"name\":\"a\",\"name\":null}|a", // null leaves a string unchanged
        "{\"NAME\":\"a\",\"Name\":\"b\",\"nAmE\":\"c\"}|c",
        "{\"name\":null}|''",
        "{}|''",
        "{\"n\\u0061me\":\"escaped key\"}|escaped key",
      })
  void stringFields(String body, String expected) throws Exception {
    assertThat(obj(body).string("name")).isEqualTo(expected);
  }

  @Test
  void foldingIsUnicodeSimpleFolding() throws Exception {
    // Go: U+017F (long s) folds to s, U+212A (Kelvin) to k
    assertThat(obj("{\"\u017fecret\":\"x\"}").string("secret")).isEqualTo("x");
    assertThat(obj("{\"\u212Aey\":\"x\"}").string("key")).isEqualTo("x");
    assertThat(KesJson.foldEquals("key", "keys")).isFalse();
    assertThat(KesJson.foldEquals("", "")).isTrue();
  }

  @Test
  void presenceAndRawValues() throws Exception {
    KesJson.Obj o = obj("{\"Bytes\":null,\"n\":12,\"b\":true}");
    assertThat(o.has("bytes")).isTrue();
    assertThat(o.has("key")).isFalse();
    assertThat(o.get("bytes")).isSameAs(KesJson.NULL);
    assertThat(o.number("n")).isEqualTo(12);
    assertThat(o.bool("b")).isTrue();
    assertThat(o.bool("missing")).isFalse();
    assertThatThrownBy(() -> obj("{\"n\":1.5}").number("n"))
        .isInstanceOf(KesJson.DecodeException.class);
    assertThatThrownBy(() -> obj("{\"name\":1}").string("name"))
        .isInstanceOf(KesJson.DecodeException.class);
  }

  // ---- strings: escapes, surrogates, invalid UTF-8

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"\\ud83d\\ude00\"|\ud83d\ude00",
        "\"\\ud800\"|\ufffd", // lone high surrogate
        "\"\\udc00\"|\ufffd", // lone low surrogate
        "\"\\ud800\\u0041\"|\ufffdA",
        "\"\\ud800\\ud800\\udc00\"|\ufffd\ud800\udc00",
      })
  void escapes(String json, String expected) throws Exception {
    assertThat(KesJson.parse(utf8(json))).isEqualTo(expected);
  }

  @Test
  void invalidUtf8BecomesOneReplacementPerBadByte() throws Exception {
    // as Go's utf8.DecodeRune: each byte of an invalid sequence is one U+FFFD
    assertThat(KesJson.parse(new byte[] {'"', (byte) 0xff, '"'})).isEqualTo("\ufffd");
    assertThat(KesJson.parse(new byte[] {'"', (byte) 0xe2, (byte) 0x82, '"'}))
        .isEqualTo("\ufffd\ufffd");
    // overlong "/" and an encoded surrogate are invalid too
    assertThat(KesJson.parse(new byte[] {'"', (byte) 0xc0, (byte) 0xaf, '"'}))
        .isEqualTo("\ufffd\ufffd");
    assertThat(KesJson.parse(new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}))
        .isEqualTo("\ufffd\ufffd\ufffd");
    assertThat(KesJson.parse(utf8("\"h\u00e9\u20ac\ud83d\ude00\"")))
        .isEqualTo("h\u00e9\u20ac\ud83d\ude00");
  }

  // ---- syntax, first value only, depth

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "{",
        "{\"plaintext\":",
        "{\"plaintext\":\"aGk=\"",
        "{\"plaintext\":\"aGk=\",}",
        "{plaintext:1}",
        "{'a':1}",
        "[1,]",
        "01",
        "1.",
        "-",
        "tru",
        "nul",
        "\"\\x\"",
        "\"\\u12\"",
        "\"a\u0001\"",
        "{\"a\":\"b\"\"c\":1}",
      })
  void syntaxErrors(String text) {
    assertThatThrownBy(() -> KesJson.parseFirst(utf8(text)))
        .isInstanceOf(KesJson.DecodeException.class);
    assertThatThrownBy(() -> KesJson.parse(utf8(text))).isInstanceOf(KesJson.DecodeException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"plaintext\":\"aGk=\"} trailing",
        "{\"plaintext\":\"aGk=\"}{\"plaintext\":\"aGV5\"}",
        "{\"plaintext\":\"aGk=\"}\n",
        "{\"plaintext\":\"aGk=\"}]",
        "{\"plaintext\":\"aGk=\"}\"x",
      })
  void requestBodiesReadTheFirstValueOnly(String body) throws Exception {
    assertThat(hex(obj(body).bytes("plaintext"))).isEqualTo("6869");
  }

  @Test
  void aTopLevelScalarMustBeFollowedBySpaceAsInGo() throws Exception {
    // Go's Decoder looks at the byte after a scalar (not after an object or array)
    assertThat(KesJson.parseFirst(utf8("0 1"))).hasToString("0");
    assertThat(KesJson.parseFirst(utf8("null\n{"))).isSameAs(KesJson.NULL);
    for (String s : List.of("0x", "truex", "\"a\"b", "nullnull")) {
      assertThatThrownBy(() -> KesJson.parseFirst(utf8(s)))
          .isInstanceOf(KesJson.DecodeException.class);
    }
  }

  @Test
  void unmarshalRequiresExactlyOneValue() throws Exception {
    assertThatThrownBy(() -> KesJson.parse(utf8("{} {}")))
        .isInstanceOf(KesJson.DecodeException.class);
    assertThat(KesJson.parse(utf8(" \t\r\n{}\n"))).isInstanceOf(KesJson.Obj.class);
  }

  @Test
  void nonObjectBodies() throws Exception {
    for (String s : List.of("\"aGk=\"", "[1,2]", "5", "true")) {
      assertThatThrownBy(() -> obj(s)).isInstanceOf(KesJson.DecodeException.class);
    }
    assertThat(KesJson.firstArrayOfObjects(utf8("null"))).isEmpty();
    assertThat(KesJson.firstArrayOfObjects(utf8("[null,{\"a\":\"b\"}]"))).hasSize(2);
    assertThatThrownBy(() -> KesJson.firstArrayOfObjects(utf8("[1]")))
        .isInstanceOf(KesJson.DecodeException.class);
    assertThatThrownBy(() -> KesJson.firstArrayOfObjects(utf8("{}")))
        .isInstanceOf(KesJson.DecodeException.class);
  }

  @Test
  void nestingIsBounded() throws Exception {
    int max = KesJson.MAX_DEPTH;
    String ok = "[".repeat(max) + "]".repeat(max);
    assertThat(KesJson.parse(utf8(ok))).isInstanceOf(List.class);
    String deep = "[".repeat(max + 1) + "]".repeat(max + 1);
    assertThatThrownBy(() -> KesJson.parse(utf8(deep))).isInstanceOf(KesJson.DecodeException.class);
    // the hostile-input case: 5000 unclosed arrays in an unknown field, and far deeper
    for (int n : new int[] {5000, 200_000}) {
      String body = "{\"a\":" + "[".repeat(n);
      assertThatThrownBy(() -> obj(body)).isInstanceOf(KesJson.DecodeException.class);
      String objects = "{\"a\":".repeat(n);
      assertThatThrownBy(() -> obj(objects)).isInstanceOf(KesJson.DecodeException.class);
    }
  }

  // ---- writing

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "plain|\"plain\"",
        "a\"b\\c|\"a\\\"b\\\\c\"",
        "<a>&|\"\\u003ca\\u003e\\u0026\"",
        "\u2028\u2029|\"\\u2028\\u2029\"",
        "\ud800|\"\\ufffd\"", // lone surrogate: U+FFFD, never '?' (divergence 2)
        "x\udc00y|\"x\\ufffdy\"",
        "\udc00\ud800|\"\\ufffd\\ufffd\"",
        "\ud83d\ude00\u00e9|\"\ud83d\ude00\u00e9\"",
      })
  void quotesAsGo(String in, String expected) {
    assertThat(KesJson.quote(in)).isEqualTo(expected);
  }

  @Test
  void controlCharacters() throws Exception {
    assertThat(KesJson.parse(utf8("\"\\b\\f\\n\\r\\t\\/\\\\\\\"\""))).isEqualTo("\b\f\n\r\t/\\\"");
    // Go >= 1.22 writes \b and \f short; other controls as \\u00XX; DEL as is
    assertThat(KesJson.quote("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
    assertThat(KesJson.quote("\u0000\u0001\u001f\u007f"))
        .isEqualTo("\"\\u0000\\u0001\\u001f\u007f\"");
  }

  @Test
  void errorBodyIsByteExact() {
    assertThat(new String(KesJson.errorBody("key does not exist"), StandardCharsets.UTF_8))
        .isEqualTo("{\"message\":\"key does not exist\"\n}");
    assertThat(new String(KesJson.errorBody("name 'a<b'"), StandardCharsets.UTF_8))
        .isEqualTo("{\"message\":\"name 'a\\u003cb'\"\n}");
  }

  @Test
  void objectWriter() {
    String s =
        new KesJson.ObjectWriter()
            .field("aead", "AES-256-GCM-HMAC-SHA-256")
            .base64("iv", new byte[] {1, 2, 3})
            .number("n", -7)
            .bool("ok", true)
            .raw("o", "{}")
            .toString();
    assertThat(s)
        .isEqualTo(
            "{\"aead\":\"AES-256-GCM-HMAC-SHA-256\",\"iv\":\"AQID\",\"n\":-7,\"ok\":true,\"o\":{}}");
    assertThat(new KesJson.ObjectWriter().toString()).isEqualTo("{}");
  }

  @Property(tries = 1000)
  void writerBytesAreTheQuotedTextInUtf8(@ForAll String name, @ForAll String value) {
    // the byte writer's fast path (plain ASCII) and its fallback must both equal Go's quoting
    String expected = "{" + KesJson.quote(name) + ":" + KesJson.quote(value) + "}";
    KesJson.ObjectWriter w = new KesJson.ObjectWriter().field(name, value);
    assertThat(w.toBytes()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void writerLineEndsWithGosNewlineAndClearZeroesTheBuffer() {
    KesJson.ObjectWriter w = new KesJson.ObjectWriter().base64("plaintext", new byte[300]);
    byte[] line = w.toLine();
    assertThat(new String(line, StandardCharsets.UTF_8))
        .startsWith("{\"plaintext\":\"AAAA")
        .endsWith("\"}\n");
    w.clear();
    assertThat(w.toBytes()).isEqualTo(new byte[] {'}'}); // nothing of the value is left
  }

  // ---- round trips

  @Property(tries = 500)
  void writerOutputReadsBack(@ForAll String name, @ForAll String value, @ForAll byte[] bytes)
      throws Exception {
    byte[] json =
        new KesJson.ObjectWriter().field("s", value).base64("b", bytes).field(name, "v").toBytes();
    KesJson.Obj o = KesJson.firstObject(json);
    // what Go would read back: the value with every unpaired surrogate replaced by U+FFFD
    String expected = repaired(value);
    if (!KesJson.foldEquals(repaired(name), "s")) {
      assertThat(o.string("s")).isEqualTo(expected);
    }
    if (!KesJson.foldEquals(repaired(name), "b")) {
      assertThat(o.bytes("b")).isEqualTo(bytes);
    }
    assertThat(o.string(repaired(name))).isEqualTo("v");
    assertThat(KesJson.parse(json)).isInstanceOf(KesJson.Obj.class);
  }

  @Property(tries = 500)
  void quotedStringsReadBack(@ForAll String value) throws Exception {
    String quoted = KesJson.quote(value);
    assertThat(KesJson.parse(utf8(quoted))).isEqualTo(repaired(value));
    // the written text is plain ASCII-safe JSON: no raw control characters, < > & escaped
    assertThat(quoted).doesNotContain("<", ">", "&", "\n", "\u2028");
  }

  @Property(tries = 300)
  void arbitraryBytesNeverEscapeAsAnythingButDecodeException(@ForAll byte[] input) {
    try {
      KesJson.parse(input);
      KesJson.parseFirst(input);
    } catch (KesJson.DecodeException e) {
      assertThat(e.getMessage()).isIn("invalid JSON", "empty body", "JSON nested too deeply");
    }
  }

  private static String repaired(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        sb.append('\ufffd');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
