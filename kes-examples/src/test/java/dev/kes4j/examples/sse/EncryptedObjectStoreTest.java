package dev.kes4j.examples.sse;

import static dev.kes4j.examples.sse.EncryptedObjectStore.DATA_FILE;
import static dev.kes4j.examples.sse.EncryptedObjectStore.METADATA_FILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.core.Kes;
import dev.kes4j.junit.KesTest;
import dev.kes4j.sse.Dare;
import dev.kes4j.sse.ObjectAuthenticationException;
import dev.kes4j.sse.ObjectAuthenticationException.Reason;
import dev.kes4j.sse.ObjectMetadata;
import dev.kes4j.sse.Part;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSE example end to end, on an in-process engine from kes-junit's {@link KesTest}: the two
 * master keys are created fresh for every test, and whatever a test leaves is deleted after it.
 */
@KesTest(keys = {"sse-key", "new-key"})
class EncryptedObjectStoreTest {
  Kes kes;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FIVE_MIB = 5 << 20;
  private static final int CHUNK_SIZE = Dare.PACKAGE_SIZE;
  private static final int HEADER_SIZE = 16;
  private static final int TAG_SIZE = 16;
  private static final int PACKAGE = CHUNK_SIZE + Dare.PACKAGE_OVERHEAD;

  @TempDir Path root;
  EncryptedObjectStore store;

  @BeforeEach
  void openStore(Kes kes) throws IOException {
    this.kes = kes;
    store = EncryptedObjectStore.open(root, kes);
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  byte[] put(String bucket, String object, byte[] data) throws IOException {
    store.put(bucket, object, "sse-key", new ByteArrayInputStream(data));
    return data;
  }

  byte[] read(String bucket, String object) throws IOException {
    try (InputStream in = store.get(bucket, object)) {
      return in.readAllBytes();
    }
  }

  Path dataFile(String bucket, String object) {
    return store.objectDirectory(bucket, object).resolve(DATA_FILE);
  }

  Path metadataFile(String bucket, String object) {
    return store.objectDirectory(bucket, object).resolve(METADATA_FILE);
  }

  ObjectAuthenticationException failure(ThrowingCall call) {
    try {
      call.run();
    } catch (ObjectAuthenticationException e) {
      return e;
    } catch (IOException e) {
      throw new AssertionError("expected ObjectAuthenticationException", e);
    }
    throw new AssertionError("expected ObjectAuthenticationException, but nothing was thrown");
  }

  interface ThrowingCall {
    void run() throws IOException;
  }

  @Nested
  class WriteAndRead {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK_SIZE, CHUNK_SIZE + 1, FIVE_MIB})
    void objectsOfAnySizeRoundTrip(int size) throws IOException {
      byte[] data = put("photos", "2024/cat.jpg", random(size));
      ObjectInfo info = store.stat("photos", "2024/cat.jpg");
      assertThat(info).isEqualTo(new ObjectInfo("photos", "2024/cat.jpg", size, "sse-key"));
      assertThat(read("photos", "2024/cat.jpg")).isEqualTo(data);
      assertThat(Files.size(dataFile("photos", "2024/cat.jpg")))
          .isEqualTo(Dare.ciphertextSize(size));
    }

    @Test
    void theDataFileHoldsNoPlaintextAndTheMetadataOnlyTheSealedKey() throws IOException {
      byte[] data =
          "attack at dawn, attack at dawn, attack at dawn".getBytes(StandardCharsets.UTF_8);
      put("b12", "msg", data);
      String onDisk =
          new String(Files.readAllBytes(dataFile("b12", "msg")), StandardCharsets.ISO_8859_1);
      assertThat(onDisk).doesNotContain("attack");
      JsonNode json = JSON.readTree(metadataFile("b12", "msg").toFile());
      assertThat(json.get("format").asText()).isEqualTo("kes4j-sse-v2");
      ObjectMetadata meta =
          ObjectMetadata.parse(Base64.getDecoder().decode(json.get("sse").asText()));
      assertThat(meta.keyName()).isEqualTo("sse-key");
      assertThat(meta.plaintextSize()).isEqualTo(data.length);
      byte[] sealed = meta.sealedKey();
      // the sealed key opens with KES under the object's context, and only there
      byte[] context = EncryptedObjectStore.context("b12", "msg");
      assertThat(kes.decrypt("sse-key", sealed, context)).hasSize(32);
      assertThat(
              Files.list(store.objectDirectory("b12", "msg")).map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(DATA_FILE, METADATA_FILE);
    }

    @Test
    void objectsAndPrefixesCoexistAndDeleteCleansUp() throws IOException {
      byte[] a = put("bucket", "a", random(10));
      byte[] ab = put("bucket", "a/b", random(20));
      assertThat(read("bucket", "a")).isEqualTo(a);
      assertThat(read("bucket", "a/b")).isEqualTo(ab);
      store.delete("bucket", "a/b");
      assertThat(Files.exists(root.resolve("bucket/a/b"))).isFalse();
      assertThat(read("bucket", "a")).isEqualTo(a);
      store.delete("bucket", "a");
      assertThat(root.resolve("bucket")).isEmptyDirectory();
      assertThatThrownBy(() -> store.get("bucket", "a")).isInstanceOf(NoSuchObjectException.class);
      assertThatThrownBy(() -> store.delete("bucket", "a"))
          .isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void anOverwriteReplacesTheObject() throws IOException {
      put("bucket", "o", random(100));
      byte[] second = put("bucket", "o", random(CHUNK_SIZE + 5));
      assertThat(read("bucket", "o")).isEqualTo(second);
      assertThat(store.objectDirectory("bucket", "o")).isDirectoryNotContaining("glob:**/.tmp-*");
    }

    @Test
    void anUnknownMasterKeyFailsBeforeAnythingIsWritten() {
      assertThatThrownBy(
              () -> store.put("bucket", "o", "no-such-key", new ByteArrayInputStream(new byte[1])))
          .isInstanceOf(KeyNotFoundException.class);
      assertThat(root).isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "/a",
          "a/",
          "a//b",
          "./a",
          "a/../b",
          ".hidden",
          "a/.data",
          "a\\b",
          "tab\tname"
        })
    void invalidObjectNamesAreRejected(String object) {
      assertThatThrownBy(() -> put("bucket", object, new byte[1]))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "Bucket", "-bucket", "bucket-", "a..b", "../x", "b/c"})
    void invalidBucketNamesAreRejected(String bucket) {
      assertThatThrownBy(() -> put(bucket, "o", new byte[1]))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Context {
    static Stream<Arguments> contexts() {
      return Stream.of(
          Arguments.of("photos", "2024/cat.jpg", "{\"photos\":\"photos/2024/cat.jpg\"}"),
          Arguments.of("my.bucket", "o", "{\"my.bucket\":\"my.bucket/o\"}"),
          Arguments.of("b12", "say \"hi\"", "{\"b12\":\"b12/say \\\"hi\\\"\"}"),
          Arguments.of("b12", "caf\u00e9 \u2028", "{\"b12\":\"b12/caf\u00e9 \\u2028\"}"));
    }

    @ParameterizedTest
    @MethodSource("contexts")
    void isMinIosContextJson(String bucket, String object, String json) {
      assertThat(new String(EncryptedObjectStore.context(bucket, object), StandardCharsets.UTF_8))
          .isEqualTo(json);
    }

    @Test
    void anObjectCopiedToAnotherPathCannotBeRead() throws IOException {
      put("tenant-a", "secret.txt", random(1000));
      Path target = store.objectDirectory("tenant-b", "secret.txt");
      Files.createDirectories(target);
      for (String f : new String[] {DATA_FILE, METADATA_FILE}) {
        Files.copy(store.objectDirectory("tenant-a", "secret.txt").resolve(f), target.resolve(f));
      }
      ObjectAuthenticationException e = failure(() -> store.get("tenant-b", "secret.txt"));
      assertThat(e.reason()).isEqualTo(Reason.WRONG_KEY_OR_CONTEXT);
      assertThat(e).hasMessageContaining("the data key does not unseal");
      assertThat(failure(() -> store.rewrap("tenant-b", "secret.txt", "new-key")).reason())
          .isEqualTo(Reason.WRONG_KEY_OR_CONTEXT);
    }

    @Test
    void anObjectRenamedInsideItsBucketCannotBeRead() throws IOException {
      put("bucket", "a.txt", random(10));
      Path target = store.objectDirectory("bucket", "b.txt");
      Files.move(store.objectDirectory("bucket", "a.txt"), target);
      assertThat(failure(() -> store.get("bucket", "b.txt")).reason())
          .isEqualTo(Reason.WRONG_KEY_OR_CONTEXT);
    }

    @Test
    void aSealedKeyTakenFromAnotherObjectDoesNotOpen() throws IOException {
      put("bucket", "x", random(10));
      put("bucket", "y", random(10));
      Files.copy(
          metadataFile("bucket", "x"),
          metadataFile("bucket", "y"),
          StandardCopyOption.REPLACE_EXISTING);
      assertThat(failure(() -> store.get("bucket", "y")).reason())
          .isEqualTo(Reason.WRONG_KEY_OR_CONTEXT);
    }
  }

  @Nested
  class Rewrap {
    @Test
    void movesTheDataKeyToANewMasterKeyWithoutTouchingTheData() throws IOException {
      byte[] data = put("bucket", "big", random(FIVE_MIB));
      Path file = dataFile("bucket", "big");
      Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
      byte[] before = Files.readAllBytes(file);
      String oldMeta = Files.readString(metadataFile("bucket", "big"));

      ObjectInfo info = store.rewrap("bucket", "big", "new-key");

      assertThat(info.keyName()).isEqualTo("new-key");
      assertThat(store.stat("bucket", "big").keyName()).isEqualTo("new-key");
      assertThat(Files.readString(metadataFile("bucket", "big"))).isNotEqualTo(oldMeta);
      assertThat(Files.readAllBytes(file)).isEqualTo(before);
      assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(1_000_000_000_000L);
      // the old master key is no longer needed: delete it and read the object
      kes.deleteKey("sse-key");
      assertThat(read("bucket", "big")).isEqualTo(data);
    }

    @Test
    void objectsLeftOnADeletedMasterKeyCannotBeRead() throws IOException {
      put("bucket", "o", random(10));
      kes.deleteKey("sse-key");
      assertThatThrownBy(() -> store.get("bucket", "o")).isInstanceOf(KeyNotFoundException.class);
    }
  }

  @Nested
  class TamperedData {
    byte[] data;

    @BeforeEach
    void storeAThreeChunkObject() throws IOException {
      data = put("bucket", "obj", random(2 * CHUNK_SIZE + 1000));
    }

    /** Reads the object until it fails; returns what was delivered before the failure. */
    byte[] readUntilFailure(Reason expected) throws IOException {
      ByteArrayOutputStream delivered = new ByteArrayOutputStream();
      ObjectAuthenticationException e =
          failure(
              () -> {
                try (InputStream in = store.get("bucket", "obj")) {
                  byte[] buf = new byte[4096];
                  for (int n; (n = in.read(buf)) >= 0; ) {
                    delivered.write(buf, 0, n);
                  }
                }
              });
      assertThat(e.reason()).isEqualTo(expected);
      return delivered.toByteArray();
    }

    void patchData(int offset) throws IOException {
      byte[] bytes = Files.readAllBytes(dataFile("bucket", "obj"));
      bytes[offset] ^= 0x40;
      Files.write(dataFile("bucket", "obj"), bytes);
    }

    @Test
    void aFlippedByteInTheFirstChunkDeliversNothing() throws IOException {
      patchData(HEADER_SIZE + 10);
      assertThat(readUntilFailure(Reason.TAMPERED)).isEmpty();
    }

    @Test
    void aFlippedByteInALaterChunkFailsBeforeThatChunk() throws IOException {
      patchData(PACKAGE + HEADER_SIZE + 10);
      assertThat(readUntilFailure(Reason.TAMPERED))
          .isEqualTo(Arrays.copyOf(data, CHUNK_SIZE)); // only authentic chunk 0
    }

    @Test
    void swappedChunksDeliverNothing() throws IOException {
      byte[] bytes = Files.readAllBytes(dataFile("bucket", "obj"));
      byte[] swapped = bytes.clone();
      System.arraycopy(bytes, 0, swapped, PACKAGE, PACKAGE);
      System.arraycopy(bytes, PACKAGE, swapped, 0, PACKAGE);
      Files.write(dataFile("bucket", "obj"), swapped);
      assertThat(readUntilFailure(Reason.TAMPERED)).isEmpty();
    }

    @Test
    void aTruncatedDataFileFailsBeforeAnythingIsReturned() throws IOException {
      byte[] bytes = Files.readAllBytes(dataFile("bucket", "obj"));
      Files.write(dataFile("bucket", "obj"), Arrays.copyOf(bytes, bytes.length - 1000 - 32));
      ObjectAuthenticationException e = failure(() -> store.get("bucket", "obj"));
      assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
      Files.write(dataFile("bucket", "obj"), Arrays.copyOf(bytes, bytes.length + 1));
      assertThat(failure(() -> store.get("bucket", "obj")).reason()).isEqualTo(Reason.EXTENDED);
    }

    @Test
    void aTruncationWithMatchingMetadataIsCaughtByTheMetadataMac() throws IOException {
      // Cut the last package and fix the size in the metadata so the length check passes: the
      // metadata's MAC (under the object key) no longer verifies.
      byte[] bytes = Files.readAllBytes(dataFile("bucket", "obj"));
      Files.write(dataFile("bucket", "obj"), Arrays.copyOf(bytes, 2 * PACKAGE));
      JsonNode json = JSON.readTree(metadataFile("bucket", "obj").toFile());
      ObjectMetadata meta =
          ObjectMetadata.parse(Base64.getDecoder().decode(json.get("sse").asText()));
      ObjectMetadata shorter =
          ObjectMetadata.of(
              meta.keyName(), meta.sealedKey(), List.of(new Part(0, 2 * CHUNK_SIZE)), meta.mac());
      ((ObjectNode) json).put("sse", Base64.getEncoder().encodeToString(shorter.toByteArray()));
      Files.write(metadataFile("bucket", "obj"), JSON.writeValueAsBytes(json));
      assertThat(failure(() -> store.get("bucket", "obj")).reason()).isEqualTo(Reason.TAMPERED);
    }

    @Test
    void rangesReadOnlyTheirPackages() throws IOException {
      try (InputStream in = store.getRange("bucket", "obj", CHUNK_SIZE - 5, 10)) {
        assertThat(in.readAllBytes())
            .isEqualTo(Arrays.copyOfRange(data, CHUNK_SIZE - 5, CHUNK_SIZE + 5));
      }
      // damage in package 2 is outside a range of package 0
      patchData(2 * PACKAGE + HEADER_SIZE + 1);
      try (InputStream in = store.getRange("bucket", "obj", 0, 100)) {
        assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOf(data, 100));
      }
      assertThat(
              failure(
                      () -> {
                        try (InputStream in = store.getRange("bucket", "obj", 2 * CHUNK_SIZE, 10)) {
                          in.readAllBytes();
                        }
                      })
                  .reason())
          .isEqualTo(Reason.TAMPERED);
    }

    @Test
    void malformedMetadataIsReportedAsSuch() throws IOException {
      Files.writeString(metadataFile("bucket", "obj"), "{\"format\":\"other\"}");
      assertThat(failure(() -> store.stat("bucket", "obj")).reason()).isEqualTo(Reason.MALFORMED);
      Files.writeString(metadataFile("bucket", "obj"), "not json");
      assertThat(failure(() -> store.get("bucket", "obj")).reason()).isEqualTo(Reason.MALFORMED);
    }
  }

  @Test
  void theSameCodeRunsOnAnyKeyService(Kes injected) throws IOException {
    // @KesTest injects the engine; with mode = SERVER a KeyService parameter is a KesClient.
    EncryptedObjectStore other = EncryptedObjectStore.open(root.resolve("other"), injected);
    other.put("bucket", "o", "sse-key", new ByteArrayInputStream(random(3)));
    try (InputStream in = other.get("bucket", "o")) {
      assertThat(in.readAllBytes()).isEqualTo(random(3));
    }
  }
}
