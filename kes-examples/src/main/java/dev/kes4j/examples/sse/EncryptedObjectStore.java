package dev.kes4j.examples.sse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyService;
import dev.kes4j.sse.CiphertextSource;
import dev.kes4j.sse.EncryptingOutputStream;
import dev.kes4j.sse.ObjectAuthenticationException;
import dev.kes4j.sse.ObjectAuthenticationException.Reason;
import dev.kes4j.sse.ObjectEncryptor;
import dev.kes4j.sse.ObjectMetadata;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A small object store on the local file system that encrypts every object with {@code kes-sse}
 * ({@link ObjectEncryptor}): MinIO's SSE-KMS flow and MinIO's DARE 2.0 data format, with any {@link
 * KeyService} — the in-process engine ({@code dev.kes4j.core.Kes}) or a remote KES server through a
 * client. The store never sees a master key; all cryptography is kes-sse's, this class only adds
 * files, names and the MinIO context.
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
 * <p><b>Write path</b> ({@link #put}): {@link ObjectEncryptor#encrypt} with the object's {@link
 * #context(String, String) canonical context} asks KES for a fresh data key and streams the data
 * into the data file as DARE 2.0 (64 KiB packages, constant memory); the {@link ObjectMetadata}
 * (key name, sealed data key, size, MAC) goes into the metadata file.
 *
 * <p><b>Read path</b> ({@link #get}, {@link #getRange}): read the metadata, check the data file's
 * length, and let {@link ObjectEncryptor#decrypt} / {@link ObjectEncryptor#decryptRange} unseal the
 * data key with the context of the path being read and authenticate every package.
 *
 * <p><b>Why the context matters.</b> The sealed data key is bound to the object's bucket and name:
 * an object whose files are moved or copied to another path cannot be read there ({@link
 * Reason#WRONG_KEY_OR_CONTEXT}), so a storage-level mix-up or a malicious rename cannot serve one
 * tenant's object under another's name.
 *
 * <p><b>Key re-wrap</b> ({@link #rewrap}): {@link ObjectEncryptor#rewrap} seals the same data key
 * under a new key name; only the metadata file changes. That is how objects follow a master-key
 * rotation cheaply.
 *
 * <p><b>Layout</b> under the root directory: one directory per object, {@code
 * <root>/<bucket>/<object>/}, holding the data file {@value #DATA_FILE} (the DARE 2.0 stream) and
 * the metadata file {@value #METADATA_FILE}. Object names are {@code /}-separated paths whose
 * segments may not be empty or start with {@code .}, so an object's files can never collide with
 * another object's directory. The metadata file is JSON:
 *
 * <pre>{@code
 * {"format":"kes4j-sse-v2","sse":"<base64 of ObjectMetadata.toByteArray()>"}
 * }</pre>
 *
 * Files are written to temporary names, forced to disk and renamed into place; an overwrite
 * replaces the data file, then the metadata file. A crash between the two leaves an object whose
 * key does not open its data: it reads as {@link Reason#TAMPERED}, never as wrong plaintext.
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

  private static final String FORMAT = "kes4j-sse-v2";
  private static final int MAX_METADATA = 64 * 1024;
  private static final int BUFFER = 64 * 1024 + 32;
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
   * Memory use is constant: the data is streamed in 64 KiB packages.
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
    ObjectEncryptor sse = ObjectEncryptor.create(kms, keyName);
    byte[] context = context(bucket, object);
    DeferredFile out = new DeferredFile(dir);
    Path dataTemp = null;
    Path metaTemp = null;
    try {
      EncryptingOutputStream enc;
      // the data key comes first: an unknown key name fails before anything is written
      try (out) {
        enc = sse.encrypt(out, context);
        try (enc) {
          data.transferTo(enc);
        }
        dataTemp = out.finish();
      }
      ObjectMetadata meta = enc.metadata();
      force(dataTemp);
      metaTemp = tempFile(dir);
      writeMetadata(metaTemp, meta);
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
      return new ObjectInfo(bucket, object, meta.plaintextSize(), keyName);
    } finally {
      if (out.file != null) {
        Files.deleteIfExists(out.file); // a failed write; after the move, nothing is there
      }
      if (metaTemp != null) {
        Files.deleteIfExists(metaTemp);
      }
    }
  }

  /**
   * Opens an object for reading. Before returning, this method reads the metadata, checks that the
   * data file has exactly the length the metadata implies, unseals the data key with the context of
   * {@code bucket/object} and verifies the metadata; so an object moved or copied from another
   * path, a replaced sealed key, or a truncated or extended data file fail here and nothing is
   * returned. The stream then authenticates every 64 KiB package before returning any of its bytes
   * (see {@link ObjectEncryptor#decrypt}). Close the stream when done.
   *
   * @return the plaintext, streamed
   * @throws NoSuchObjectException if the object does not exist
   * @throws ObjectAuthenticationException if the object cannot be trusted (see above)
   * @throws IOException if the files cannot be read
   * @throws IllegalArgumentException if the bucket or object name is invalid
   * @throws KeyNotFoundException if the KES key the object is sealed under no longer exists
   */
  public InputStream get(String bucket, String object) throws IOException {
    ObjectMetadata meta = readMetadata(bucket, object);
    Path data = checkedDataFile(bucket, object, meta);
    InputStream file = new BufferedInputStream(Files.newInputStream(data), BUFFER);
    return ObjectEncryptor.create(kms, meta.keyName()).decrypt(meta, file, context(bucket, object));
  }

  /**
   * Reads {@code length} plaintext bytes of an object from {@code offset}, opening the data file at
   * the package that holds {@code offset} and reading only the packages of the range (an S3 ranged
   * GET).
   *
   * @throws IllegalArgumentException if the range is outside the object, or a name is invalid
   * @throws NoSuchObjectException if the object does not exist
   * @throws ObjectAuthenticationException if the object cannot be trusted
   * @throws IOException if the files cannot be read
   */
  public InputStream getRange(String bucket, String object, long offset, long length)
      throws IOException {
    ObjectMetadata meta = readMetadata(bucket, object);
    Path data = checkedDataFile(bucket, object, meta);
    return ObjectEncryptor.create(kms, meta.keyName())
        .decryptRange(meta, CiphertextSource.of(data), context(bucket, object), offset, length);
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
    ObjectMetadata meta = readMetadata(bucket, object);
    return new ObjectInfo(bucket, object, meta.plaintextSize(), meta.keyName());
  }

  /**
   * Re-wraps an object's data key under another KES key ({@link ObjectEncryptor#rewrap}) and
   * replaces the metadata file atomically. The data file is not read or written. Afterwards the old
   * key is no longer needed for this object.
   *
   * @return the object's info with the new key name
   * @throws NoSuchObjectException if the object does not exist
   * @throws ObjectAuthenticationException if the sealed key does not open for this path
   * @throws IOException if the metadata cannot be read or written
   * @throws KeyNotFoundException if the old or the new KES key does not exist
   */
  public ObjectInfo rewrap(String bucket, String object, String newKeyName) throws IOException {
    Objects.requireNonNull(newKeyName, "newKeyName");
    ObjectMetadata meta = readMetadata(bucket, object);
    ObjectMetadata moved =
        ObjectEncryptor.create(kms, meta.keyName())
            .rewrap(meta, context(bucket, object), newKeyName);
    Path dir = objectDir(bucket, object);
    Path temp = tempFile(dir);
    try {
      writeMetadata(temp, moved);
      Files.move(
          temp,
          dir.resolve(METADATA_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
    return new ObjectInfo(bucket, object, moved.plaintextSize(), newKeyName);
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

  private Path checkedDataFile(String bucket, String object, ObjectMetadata meta)
      throws IOException {
    Path data = objectDir(bucket, object).resolve(DATA_FILE);
    long expected = meta.ciphertextSize();
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
              + meta.plaintextSize()
              + " bytes is stored in "
              + expected
              + (actual < expected ? " (truncated)" : " (extended)"));
    }
    return data;
  }

  private ObjectMetadata readMetadata(String bucket, String object) throws IOException {
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
      JsonNode sse = node == null ? null : node.get("sse");
      if (!FORMAT.equals(node == null ? null : node.path("format").asText(null))
          || sse == null
          || !sse.isTextual()) {
        throw new ObjectAuthenticationException(Reason.MALFORMED, what);
      }
      return ObjectMetadata.parse(Base64.getDecoder().decode(sse.asText()));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new ObjectAuthenticationException(Reason.MALFORMED, what, e);
    }
  }

  private static void writeMetadata(Path file, ObjectMetadata meta) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("format", FORMAT);
    node.put("sse", Base64.getEncoder().encodeToString(meta.toByteArray()));
    Files.write(file, JSON.writeValueAsBytes(node), StandardOpenOption.CREATE_NEW);
    force(file);
  }

  /** A temporary data file created on the first write, so a failed key lookup leaves nothing. */
  private static final class DeferredFile extends java.io.OutputStream {
    private final Path dir;
    private Path file;
    private java.io.OutputStream out;

    DeferredFile(Path dir) {
      this.dir = dir;
    }

    private java.io.OutputStream out() throws IOException {
      if (out == null) {
        Files.createDirectories(dir);
        file = tempFile(dir);
        out =
            new BufferedOutputStream(
                Files.newOutputStream(
                    file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                BUFFER);
      }
      return out;
    }

    @Override
    public void write(int b) throws IOException {
      out().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out().write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      if (out != null) {
        out.close();
      }
    }

    /** The file written, created empty for an empty object (DARE writes no package for it). */
    Path finish() throws IOException {
      out().close();
      return file;
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
