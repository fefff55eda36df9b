package dev.kes4j.examples.sse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kes4j.api.DataKey;
import dev.kes4j.api.DecryptionException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyService;
import dev.kes4j.examples.sse.ObjectAuthenticationException.Reason;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A small object store on the local file system that encrypts every object the way MinIO's SSE-KMS
 * flow does, with any {@link KeyService}: the in-process engine ({@code dev.kes4j.core.Kes}) or a
 * remote KES server through a client. The store never sees a master key.
 *
 * <pre>{@code
 * try (Kes kes = Kes.builder().keyStore(new MemKeyStore()).build()) {
 *   kes.createKey("my-key");
 *   EncryptedObjectStore store = EncryptedObjectStore.open(Path.of("data"), kes);
 *   store.put("photos", "2024/cat.jpg", "my-key", new FileInputStream("cat.jpg"));
 *   try (InputStream in = store.get("photos", "2024/cat.jpg")) {
 *     in.transferTo(out);
 *   }
 * }
 * }</pre>
 *
 * <p><b>Write path</b> ({@link #put}): ask KES for a fresh data key with {@code
 * generateKey(keyName, context)}, where the context is the object's {@link #context(String, String)
 * canonical context}; stream the data through {@link ObjectCipher} (AES-256-GCM in 64 KiB chunks,
 * constant memory) into the data file; store the <em>sealed</em> data key and the key name in the
 * metadata file; drop the plaintext data key.
 *
 * <p><b>Read path</b> ({@link #get}): read the metadata, ask KES to {@code decrypt} the sealed data
 * key with the context of the path being read, and stream the data file back through {@link
 * ObjectCipher}, which authenticates each chunk before returning it.
 *
 * <p><b>Why the context matters.</b> The sealed data key is bound to the object's bucket and name:
 * an object whose files are moved or copied to another path cannot be read there ({@link
 * ObjectAuthenticationException.Reason#WRONG_CONTEXT}), so a storage-level mix-up or a malicious
 * rename cannot serve one tenant's object under another's name.
 *
 * <p><b>Key re-wrap</b> ({@link #rewrap}): unseal the data key under the old key name and seal the
 * same data key under a new one with {@code KeyService.encrypt}; only the metadata file changes,
 * the object data is not touched. That is how objects follow a master-key rotation cheaply.
 *
 * <p><b>Layout</b> under the root directory: one directory per object, {@code
 * <root>/<bucket>/<object>/}, holding the data file {@value #DATA_FILE} and the metadata file
 * {@value #METADATA_FILE}. Object names are {@code /}-separated paths whose segments may not be
 * empty or start with {@code .}, so an object's files can never collide with another object's
 * directory. The metadata file is JSON:
 *
 * <pre>{@code
 * {"format":"kes4j-sse-v1","kms_key_id":"my-key","kms_sealed_key":"<base64>","size":5242880}
 * }</pre>
 *
 * Files are written to temporary names, forced to disk and renamed into place; an overwrite
 * replaces the data file, then the metadata file. A crash between the two leaves an object whose
 * key does not open its data: it reads as {@link ObjectAuthenticationException.Reason#TAMPERED},
 * never as wrong plaintext.
 *
 * <p><b>Errors.</b> Methods throw {@link NoSuchObjectException} for a missing object, {@link
 * ObjectAuthenticationException} for an object that cannot be trusted, {@link IOException} for file
 * system failures, {@link IllegalArgumentException} for an invalid bucket or object name, and pass
 * on the {@link KesException}s of the {@link KeyService} (for example {@link KeyNotFoundException}
 * when the master key was deleted).
 *
 * <p>Thread-safe for distinct objects; concurrent writes of one object are last-writer-wins per
 * file, and may leave that object unreadable. Every method blocks on file I/O and on KES.
 */
public final class EncryptedObjectStore {
  /** The data file inside an object's directory. */
  public static final String DATA_FILE = ".data";

  /** The metadata file inside an object's directory. */
  public static final String METADATA_FILE = ".meta.json";

  private static final String FORMAT = "kes4j-sse-v1";
  private static final int MAX_METADATA = 64 * 1024;
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path root;
  private final KeyService kms;

  private EncryptedObjectStore(Path root, KeyService kms) {
    this.root = root;
    this.kms = kms;
  }

  /**
   * Opens a store rooted at {@code root}, creating the directory if missing.
   *
   * @param root the directory that holds the buckets
   * @param kms where data keys come from and are unsealed: {@code Kes} or a KES client
   * @throws IOException if the directory cannot be created
   */
  public static EncryptedObjectStore open(Path root, KeyService kms) throws IOException {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(kms, "kms");
    Path abs = root.toAbsolutePath().normalize();
    Files.createDirectories(abs);
    return new EncryptedObjectStore(abs, kms);
  }

  /**
   * The KMS context of an object, exactly as MinIO builds it for SSE-S3 and SSE-KMS: the map {@code
   * {<bucket>: path.Join(<bucket>, <object>)}} serialised as JSON with sorted keys, no spaces, so
   * {@code ("photos", "2024/cat.jpg")} gives {@code {"photos":"photos/2024/cat.jpg"}}. Strings are
   * escaped as Go's JSON encoder does ({@code "}, {@code \}, control characters, U+2028/U+2029);
   * whether MinIO also escapes {@code <}, {@code >} and {@code &} as Go's default encoder does is
   * not verified, so this method leaves them as they are. Bucket and object names are validated as
   * by {@link #put}.
   *
   * @return the UTF-8 bytes of the context
   * @throws IllegalArgumentException if the bucket or object name is invalid
   */
  public static byte[] context(String bucket, String object) {
    checkNames(bucket, object);
    // path.Join(bucket, object) == bucket + "/" + object for the names we accept (no empty, "."
    // or ".." segments), so Go's path cleaning changes nothing.
    StringBuilder json = new StringBuilder(bucket.length() * 2 + object.length() + 8);
    json.append('{');
    appendJsonString(json, bucket);
    json.append(':');
    appendJsonString(json, bucket + "/" + object);
    json.append('}');
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Encrypts {@code data} (read to its end, not closed) under a fresh data key sealed with the KES
   * key {@code keyName}, and stores it as {@code bucket/object}, replacing an existing object.
   * Memory use is constant: the data is streamed in 64 KiB chunks.
   *
   * @return the stored object's info
   * @throws IOException if reading {@code data} or writing the files fails (nothing is stored)
   * @throws IllegalArgumentException if the bucket or object name is invalid
   * @throws KeyNotFoundException if the KES key does not exist
   */
  public ObjectInfo put(String bucket, String object, String keyName, InputStream data)
      throws IOException {
    checkNames(bucket, object);
    Objects.requireNonNull(keyName, "keyName");
    Objects.requireNonNull(data, "data");
    Path dir = objectDir(bucket, object);
    DataKey dataKey = kms.generateKey(keyName, context(bucket, object));
    Files.createDirectories(dir);
    Path dataTemp = tempFile(dir);
    Path metaTemp = tempFile(dir);
    try {
      long size;
      byte[] key = dataKey.plaintext();
      try (OutputStream enc =
          ObjectCipher.encrypt(
              new BufferedOutputStream(
                  Files.newOutputStream(
                      dataTemp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                  ChunkFormat.SEALED_CHUNK),
              key)) {
        size = data.transferTo(enc);
      } finally {
        Arrays.fill(key, (byte) 0);
        dataKey.destroy();
      }
      force(dataTemp);
      writeMetadata(metaTemp, keyName, dataKey.ciphertext(), size);
      Files.move(
          dataTemp,
          dir.resolve(DATA_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          metaTemp,
          dir.resolve(METADATA_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(dir);
      return new ObjectInfo(bucket, object, size, keyName);
    } finally {
      Files.deleteIfExists(dataTemp);
      Files.deleteIfExists(metaTemp);
    }
  }

  /**
   * Opens an object for reading. Before returning, this method reads the metadata, unseals the data
   * key with the context of {@code bucket/object}, checks that the data file has exactly the length
   * the metadata's size implies, and checks the data header; so an object moved or copied from
   * another path, a replaced sealed key, or a truncated or extended data file fail here and nothing
   * is returned. The stream then authenticates every 64 KiB chunk before returning any of its
   * bytes, and fails with {@link ObjectAuthenticationException} at the first chunk that was
   * modified or reordered (earlier chunks were authentic; a caller must still discard a partly read
   * object, as with any failed download). Close the stream when done.
   *
   * @return the plaintext, streamed
   * @throws NoSuchObjectException if the object does not exist
   * @throws ObjectAuthenticationException if the object cannot be trusted (see above)
   * @throws IOException if the files cannot be read
   * @throws IllegalArgumentException if the bucket or object name is invalid
   * @throws KeyNotFoundException if the KES key the object is sealed under no longer exists
   */
  public InputStream get(String bucket, String object) throws IOException {
    Metadata meta = readMetadata(bucket, object);
    Path data = objectDir(bucket, object).resolve(DATA_FILE);
    long expected = ObjectCipher.ciphertextSize(meta.size());
    long actual;
    try {
      actual = Files.size(data);
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(bucket, object);
    }
    if (actual != expected) {
      throw new ObjectAuthenticationException(
          actual < expected ? Reason.TRUNCATED : Reason.EXTENDED,
          bucket
              + "/"
              + object
              + ": the data file has "
              + actual
              + " bytes, but an object of "
              + meta.size()
              + " bytes is stored in "
              + expected
              + (actual < expected ? " (truncated)" : " (extended)"));
    }
    byte[] key = unseal(bucket, object, meta);
    InputStream file =
        new BufferedInputStream(Files.newInputStream(data), ChunkFormat.SEALED_CHUNK);
    try {
      return new DecryptingInputStream(file, key, bucket + "/" + object);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Describes an object from its metadata, without contacting KES or reading the data.
   *
   * @throws NoSuchObjectException if the object does not exist
   * @throws ObjectAuthenticationException if the metadata is malformed
   * @throws IOException if the metadata cannot be read
   * @throws IllegalArgumentException if the bucket or object name is invalid
   */
  public ObjectInfo stat(String bucket, String object) throws IOException {
    Metadata meta = readMetadata(bucket, object);
    return new ObjectInfo(bucket, object, meta.size(), meta.keyName());
  }

  /**
   * Re-wraps an object's data key under another KES key: unseals it with the current key name and
   * the object's context, seals the same data key under {@code newKeyName} with {@code
   * KeyService.encrypt} and the same context, and replaces the metadata file atomically. The data
   * file is not read or written. Afterwards the old key is no longer needed for this object.
   *
   * @return the object's info with the new key name
   * @throws NoSuchObjectException if the object does not exist
   * @throws ObjectAuthenticationException if the sealed key does not open for this path
   * @throws IOException if the metadata cannot be read or written
   * @throws KeyNotFoundException if the old or the new KES key does not exist
   */
  public ObjectInfo rewrap(String bucket, String object, String newKeyName) throws IOException {
    Objects.requireNonNull(newKeyName, "newKeyName");
    Metadata meta = readMetadata(bucket, object);
    byte[] key = unseal(bucket, object, meta);
    byte[] sealed;
    try {
      sealed = kms.encrypt(newKeyName, key, context(bucket, object));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    Path dir = objectDir(bucket, object);
    Path temp = tempFile(dir);
    try {
      writeMetadata(temp, newKeyName, sealed, meta.size());
      Files.move(
          temp,
          dir.resolve(METADATA_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
    return new ObjectInfo(bucket, object, meta.size(), newKeyName);
  }

  /**
   * Deletes an object's files and the directories its name left empty.
   *
   * @throws NoSuchObjectException if the object does not exist
   * @throws IOException if the files cannot be deleted
   * @throws IllegalArgumentException if the bucket or object name is invalid
   */
  public void delete(String bucket, String object) throws IOException {
    checkNames(bucket, object);
    Path dir = objectDir(bucket, object);
    if (!Files.deleteIfExists(dir.resolve(METADATA_FILE))) {
      throw new NoSuchObjectException(bucket, object);
    }
    Files.deleteIfExists(dir.resolve(DATA_FILE));
    Path bucketDir = root.resolve(bucket);
    for (Path p = dir; p != null && !p.equals(bucketDir); p = p.getParent()) {
      try {
        Files.delete(p);
      } catch (IOException notEmpty) {
        break; // another object lives below; stop climbing
      }
    }
  }

  /**
   * The directory that holds an object's data and metadata files ({@code
   * <root>/<bucket>/<object>}); for tools, tests and the curious.
   *
   * @throws IllegalArgumentException if the bucket or object name is invalid
   */
  public Path objectDirectory(String bucket, String object) {
    checkNames(bucket, object);
    return objectDir(bucket, object);
  }

  @Override
  public String toString() {
    return "EncryptedObjectStore[" + root + "]";
  }

  // ---- metadata

  private record Metadata(String keyName, byte[] sealedKey, long size) {}

  private Metadata readMetadata(String bucket, String object) throws IOException {
    checkNames(bucket, object);
    Path file = objectDir(bucket, object).resolve(METADATA_FILE);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_METADATA + 1);
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(bucket, object);
    }
    String what = bucket + "/" + object + ": malformed metadata";
    if (bytes.length > MAX_METADATA) {
      throw new ObjectAuthenticationException(Reason.MALFORMED, what + " (too large)");
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      JsonNode key = node == null ? null : node.get("kms_key_id");
      JsonNode sealed = node == null ? null : node.get("kms_sealed_key");
      JsonNode size = node == null ? null : node.get("size");
      if (!FORMAT.equals(node == null ? null : node.path("format").asText(null))
          || key == null
          || !key.isTextual()
          || sealed == null
          || !sealed.isTextual()
          || size == null
          || !size.canConvertToLong()
          || size.asLong() < 0) {
        throw new ObjectAuthenticationException(Reason.MALFORMED, what);
      }
      return new Metadata(key.asText(), Base64.getDecoder().decode(sealed.asText()), size.asLong());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new ObjectAuthenticationException(Reason.MALFORMED, what, e);
    }
  }

  private static void writeMetadata(Path file, String keyName, byte[] sealedKey, long size)
      throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("format", FORMAT);
    node.put("kms_key_id", keyName);
    node.put("kms_sealed_key", Base64.getEncoder().encodeToString(sealedKey));
    node.put("size", size);
    Files.write(file, JSON.writeValueAsBytes(node), StandardOpenOption.CREATE_NEW);
    force(file);
  }

  /** Asks KES to open the sealed data key for this path; a refusal means the path is wrong. */
  private byte[] unseal(String bucket, String object, Metadata meta)
      throws ObjectAuthenticationException {
    try {
      byte[] key = kms.decrypt(meta.keyName(), meta.sealedKey(), context(bucket, object));
      if (key.length != ObjectCipher.KEY_SIZE) {
        Arrays.fill(key, (byte) 0);
        throw new ObjectAuthenticationException(
            Reason.MALFORMED, bucket + "/" + object + ": the sealed data key has the wrong size");
      }
      return key;
    } catch (DecryptionException e) {
      throw new ObjectAuthenticationException(
          Reason.WRONG_CONTEXT,
          bucket
              + "/"
              + object
              + ": the data key does not unseal under key '"
              + meta.keyName()
              + "' with this object's context; the object was moved or copied from another path,"
              + " or its sealed key was replaced",
          e);
    }
  }

  // ---- names and files

  private static void checkNames(String bucket, String object) {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(object, "object");
    if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw new IllegalArgumentException("invalid bucket name: '" + bucket + "'");
    }
    if (object.isEmpty() || object.getBytes(StandardCharsets.UTF_8).length > 1024) {
      throw new IllegalArgumentException("object name must be 1 to 1024 bytes");
    }
    for (String segment : object.split("/", -1)) {
      if (segment.isEmpty() || segment.startsWith(".")) {
        throw new IllegalArgumentException(
            "invalid object name '"
                + object
                + "': path segments may not be empty or start with '.'");
      }
    }
    for (int i = 0; i < object.length(); i++) {
      char c = object.charAt(i);
      if (c < 0x20 || c == '\\' || c == 0x7f) {
        throw new IllegalArgumentException(
            "invalid object name: control characters and '\\' are not allowed");
      }
    }
  }

  private Path objectDir(String bucket, String object) {
    Path dir = root.resolve(bucket);
    for (String segment : object.split("/")) {
      dir = dir.resolve(segment);
    }
    return dir;
  }

  private static Path tempFile(Path dir) {
    byte[] r = new byte[8];
    RANDOM.nextBytes(r);
    return dir.resolve(".tmp-" + HexFormat.of().formatHex(r));
  }

  private static void force(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // not supported everywhere (Windows); the rename itself already happened
    }
  }

  /** Appends {@code s} as a JSON string the way Go's encoder writes it (minus HTML escaping). */
  private static void appendJsonString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\u2028' -> out.append("\\u2028");
        case '\u2029' -> out.append("\\u2029");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
