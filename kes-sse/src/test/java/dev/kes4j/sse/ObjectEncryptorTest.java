package dev.kes4j.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.core.Kes;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.sse.ObjectAuthenticationException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The object layer end to end on a real in-process engine over an in-memory store. */
class ObjectEncryptorTest {
  static final int P = Dare.PACKAGE_SIZE;
  static final int PKG = P + Dare.PACKAGE_OVERHEAD;
  static final byte[] CONTEXT = "{\"photos\":\"photos/cat.jpg\"}".getBytes(StandardCharsets.UTF_8);

  Kes kes;
  ObjectEncryptor sse;

  @BeforeEach
  void engine() {
    kes = Kes.builder().keyStore(new MemKeyStore()).build();
    kes.createKey("sse-key");
    kes.createKey("other-key");
    sse = ObjectEncryptor.create(kes, "sse-key");
  }

  @AfterEach
  void close() throws Exception {
    kes.close();
  }

  record Stored(byte[] ciphertext, ObjectMetadata metadata) {}

  Stored put(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EncryptingOutputStream enc = sse.encrypt(out, CONTEXT);
    try (enc) {
      enc.write(plain);
    }
    // the metadata survives its byte form
    return new Stored(out.toByteArray(), ObjectMetadata.parse(enc.metadata().toByteArray()));
  }

  byte[] get(Stored s) throws IOException {
    return get(s.ciphertext(), s.metadata(), CONTEXT);
  }

  byte[] get(byte[] ct, ObjectMetadata meta, byte[] context) throws IOException {
    try (InputStream in = sse.decrypt(meta, new ByteArrayInputStream(ct), context)) {
      return in.readAllBytes();
    }
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static Reason reasonOf(ThrowingRead r) {
    try {
      r.run();
    } catch (ObjectAuthenticationException e) {
      return e.reason();
    } catch (IOException e) {
      throw new AssertionError("not an ObjectAuthenticationException", e);
    }
    throw new AssertionError("no exception");
  }

  interface ThrowingRead {
    void run() throws IOException;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, P - 1, P, P + 1, (1 << 20) + 3})
  void roundTripsAndIsAPlainDareStreamUnderTheDataKey(int size) throws IOException {
    byte[] plain = random(size);
    Stored s = put(plain);
    assertThat(s.metadata().plaintextSize()).isEqualTo(size);
    assertThat(s.ciphertext()).hasSize((int) s.metadata().ciphertextSize());
    assertThat(get(s)).isEqualTo(plain);
    if (size > 0) {
      // what sio.Decrypt would do with the unsealed data key: the object is a DARE 2.0 stream
      byte[] dataKey = kes.decrypt("sse-key", s.metadata().sealedKey(), CONTEXT);
      try (InputStream in = Dare.decrypt(new ByteArrayInputStream(s.ciphertext()), dataKey)) {
        assertThat(in.readAllBytes()).isEqualTo(plain);
      }
    }
  }

  @Test
  void chachaObjectsDecryptWithAnyEncryptor() throws IOException {
    ObjectEncryptor chacha = sse.withCipherSuite(CipherSuite.CHACHA20_POLY1305);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EncryptingOutputStream enc = chacha.encrypt(out, CONTEXT);
    try (enc) {
      enc.write(random(100_000));
    }
    assertThat(out.toByteArray()[1]).isEqualTo((byte) 0x01);
    assertThat(get(out.toByteArray(), enc.metadata(), CONTEXT)).isEqualTo(random(100_000));
  }

  @Nested
  class Detects {
    @Test
    void theWrongContext() throws IOException {
      Stored s = put(random(10));
      byte[] other = "{\"photos\":\"photos/dog.jpg\"}".getBytes(StandardCharsets.UTF_8);
      assertThat(reasonOf(() -> get(s.ciphertext(), s.metadata(), other)))
          .isEqualTo(Reason.WRONG_KEY_OR_CONTEXT);
    }

    @Test
    void aReplacedSealedKeyOrKeyName() throws IOException {
      Stored a = put(random(10));
      Stored b = put(random(10));
      ObjectMetadata swapped =
          ObjectMetadata.of(
              "sse-key", b.metadata().sealedKey(), a.metadata().parts(), a.metadata().mac());
      assertThat(reasonOf(() -> get(a.ciphertext(), swapped, CONTEXT)))
          .isEqualTo(Reason.TAMPERED); // b's key opens, but a's MAC does not verify under it
      ObjectMetadata renamed =
          ObjectMetadata.of(
              "other-key", a.metadata().sealedKey(), a.metadata().parts(), a.metadata().mac());
      assertThat(reasonOf(() -> get(a.ciphertext(), renamed, CONTEXT)))
          .isEqualTo(Reason.WRONG_KEY_OR_CONTEXT);
    }

    @Test
    void aModifiedByte() throws IOException {
      Stored s = put(random(3 * P));
      s.ciphertext()[2 * PKG + 100] ^= 4;
      assertThat(reasonOf(() -> get(s))).isEqualTo(Reason.TAMPERED);
    }

    @Test
    void truncationAtAPackageBoundaryEvenWithAnAdjustedSize() throws IOException {
      Stored s = put(random(3 * P));
      byte[] cut = Arrays.copyOf(s.ciphertext(), 2 * PKG);
      assertThat(reasonOf(() -> get(cut, s.metadata(), CONTEXT))).isEqualTo(Reason.TRUNCATED);
      ObjectMetadata shorter =
          ObjectMetadata.of(
              "sse-key", s.metadata().sealedKey(), List.of(new Part(0, 2 * P)), s.metadata().mac());
      assertThat(reasonOf(() -> get(cut, shorter, CONTEXT))).isEqualTo(Reason.TAMPERED);
    }

    @Test
    void truncationToNothing() throws IOException {
      Stored s = put(random(5));
      assertThat(reasonOf(() -> get(new byte[0], s.metadata(), CONTEXT)))
          .isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void extension() throws IOException {
      Stored s = put(random(P + 7));
      byte[] longer = Arrays.copyOf(s.ciphertext(), s.ciphertext().length + 1);
      assertThat(reasonOf(() -> get(longer, s.metadata(), CONTEXT))).isEqualTo(Reason.EXTENDED);
      Stored empty = put(new byte[0]);
      assertThat(reasonOf(() -> get(new byte[] {1}, empty.metadata(), CONTEXT)))
          .isEqualTo(Reason.EXTENDED);
    }

    @Test
    void malformedMetadata() {
      assertThatThrownBy(
              () -> ObjectMetadata.parse("KSSE garbage".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(ObjectAuthenticationException.class)
          .extracting(e -> ((ObjectAuthenticationException) e).reason())
          .isEqualTo(Reason.MALFORMED);
    }
  }

  @Nested
  class Ranges {
    @Test
    void everyRangeOfAMultipartObjectIsTheSliceAndReadsOnlyItsPackages() throws IOException {
      int[] sizes = {P + 10, 0, 2 * P, 33};
      byte[][] plains = new byte[sizes.length][];
      ByteArrayOutputStream object = new ByteArrayOutputStream();
      List<Part> parts = new ArrayList<>();
      ObjectMetadata meta;
      try (MultipartUpload upload = sse.startMultipart(CONTEXT)) {
        for (int i = 0; i < sizes.length; i++) {
          plains[i] = random(sizes[i] + i);
          ByteArrayOutputStream part = new ByteArrayOutputStream();
          try (PartOutputStream enc = upload.encryptPart(i + 1, part)) {
            enc.write(plains[i]);
            enc.close();
            parts.add(enc.part());
          }
          object.write(part.toByteArray());
        }
        meta = upload.complete(parts);
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (byte[] p : plains) {
        all.write(p);
      }
      byte[] plain = all.toByteArray();
      byte[] ct = object.toByteArray();
      assertThat(get(ct, meta, CONTEXT)).isEqualTo(plain);
      Random r = new Random(7);
      List<Long> opened = new ArrayList<>();
      CiphertextSource source =
          at -> {
            opened.add(at);
            return CiphertextSource.of(ct).openAt(at);
          };
      for (int t = 0; t < 200; t++) {
        int offset = r.nextInt(plain.length + 1);
        int length = r.nextInt(Math.min(plain.length - offset, 3 * P) + 1);
        opened.clear();
        try (InputStream in = sse.decryptRange(meta, source, CONTEXT, offset, length)) {
          assertThat(in.readAllBytes())
              .isEqualTo(Arrays.copyOfRange(plain, offset, offset + length));
        }
        assertThat(opened).allSatisfy(at -> assertThat(at).isBetween(0L, (long) ct.length));
      }
      assertThatThrownBy(() -> sse.decryptRange(meta, source, CONTEXT, 1, plain.length))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Multipart {
    byte[] part1 = random(P + 1);
    byte[] part2 = random(5);

    @Test
    void partsAreDareStreamsUnderMinioPartKeysAndDetectReorderAndLoss() throws Exception {
      ByteArrayOutputStream c1 = new ByteArrayOutputStream();
      ByteArrayOutputStream c2 = new ByteArrayOutputStream();
      ObjectMetadata meta;
      Part p1;
      Part p2;
      try (MultipartUpload upload = sse.startMultipart(CONTEXT)) {
        // another node continues the same upload
        try (MultipartUpload elsewhere =
            sse.resumeMultipart(upload.keyName(), upload.sealedKey(), CONTEXT)) {
          try (PartOutputStream enc = elsewhere.encryptPart(2, c2)) {
            enc.write(part2);
            enc.close();
            p2 = enc.part();
          }
        }
        try (PartOutputStream enc = upload.encryptPart(1, c1)) {
          enc.write(part1);
          enc.close();
          p1 = enc.part();
        }
        meta = upload.complete(List.of(p1, p2));
        assertThatThrownBy(() -> upload.complete(List.of(p2, p1)))
            .isInstanceOf(IllegalArgumentException.class);
      }
      byte[] ct = concat(c1.toByteArray(), c2.toByteArray());
      assertThat(get(ct, meta, CONTEXT)).isEqualTo(concat(part1, part2));

      // part n is a DARE 2.0 stream under HMAC-SHA256(dataKey, uint32_le(n)), as in MinIO
      byte[] dataKey = kes.decrypt("sse-key", meta.sealedKey(), CONTEXT);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(dataKey, "HmacSHA256"));
      byte[] key2 = mac.doFinal(new byte[] {2, 0, 0, 0});
      try (InputStream in = Dare.decrypt(new ByteArrayInputStream(c2.toByteArray()), key2)) {
        assertThat(in.readAllBytes()).isEqualTo(part2);
      }

      byte[] swapped = concat(c2.toByteArray(), c1.toByteArray());
      assertThat(reasonOf(() -> get(swapped, meta, CONTEXT))).isNotNull();
      assertThat(reasonOf(() -> get(c1.toByteArray(), meta, CONTEXT))).isEqualTo(Reason.TRUNCATED);
      ObjectMetadata dropped =
          ObjectMetadata.of("sse-key", meta.sealedKey(), List.of(p1), meta.mac());
      assertThat(reasonOf(() -> get(c1.toByteArray(), dropped, CONTEXT)))
          .isEqualTo(Reason.TAMPERED);
      assertThatThrownBy(
              () ->
                  sse.resumeMultipart(
                      "sse-key", meta.sealedKey(), "{}".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(ObjectAuthenticationException.class);
    }
  }

  @Test
  void rewrapMovesTheDataKeyToAnotherKesKeyWithoutTouchingTheData() throws IOException {
    byte[] plain = random(P + 3);
    Stored s = put(plain);
    ObjectMetadata moved = sse.rewrap(s.metadata(), CONTEXT, "other-key");
    assertThat(moved.keyName()).isEqualTo("other-key");
    kes.deleteKey("sse-key");
    assertThat(get(s.ciphertext(), moved, CONTEXT)).isEqualTo(plain);
    assertThatThrownBy(() -> get(s)).isInstanceOf(KeyNotFoundException.class);
  }

  @Test
  void metadataPrintsNoKeyBytesAndMessagesNoSecrets() throws IOException {
    Stored s = put(random(100));
    String hex = HexFormat.of().formatHex(s.metadata().sealedKey());
    assertThat(s.metadata().toString()).doesNotContain(hex.substring(0, 12)).contains("sse-key");
    s.ciphertext()[40] ^= 1;
    assertThatThrownBy(() -> get(s))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("package 0");
  }

  @Test
  void metadataIsOnlyAvailableAfterClose() {
    EncryptingOutputStream enc = sse.encrypt(new ByteArrayOutputStream(), CONTEXT);
    assertThatThrownBy(enc::metadata).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                ObjectEncryptor.create(kes, "missing")
                    .encrypt(new ByteArrayOutputStream(), CONTEXT))
        .isInstanceOf(KeyNotFoundException.class);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
