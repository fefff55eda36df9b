package dev.kes4j.sse;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.DecryptionException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyService;
import dev.kes4j.sse.ObjectAuthenticationException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Server-side encryption of objects with data keys from a {@link KeyService} (the in-process engine
 * or a KES client): the SSE-KMS flow of MinIO, in MinIO's DARE 2.0 format.
 *
 * <pre>{@code
 * ObjectEncryptor sse = ObjectEncryptor.create(kes, "my-key");
 * byte[] context = ...; // binds the object to its name, e.g. {"bucket":"bucket/object"}
 *
 * EncryptingOutputStream out = sse.encrypt(Files.newOutputStream(dataFile), context);
 * try (out) { data.transferTo(out); }
 * Files.write(metaFile, out.metadata().toByteArray());
 *
 * ObjectMetadata meta = ObjectMetadata.parse(Files.readAllBytes(metaFile));
 * try (InputStream in = sse.decrypt(meta, Files.newInputStream(dataFile), context)) { ... }
 * try (InputStream in = sse.decryptRange(meta, CiphertextSource.of(dataFile), context, off, len)) { ... }
 * }</pre>
 *
 * <p><b>Keys.</b> Every object gets a fresh data key from {@code generateKey(keyName, context)};
 * the plaintext data key is the object key and is never stored, the sealed one goes into the {@link
 * ObjectMetadata}. A single-part object is one DARE 2.0 stream under the object key itself, so
 * whoever unseals the data key can read it with {@code sio.Decrypt}; part {@code n} of a multipart
 * object is one under {@code HMAC-SHA256(objectKey, uint32_le(n))}, as MinIO derives part keys.
 * (MinIO itself adds one more layer, a random object key sealed by a key derived from the data key;
 * kes-sse does not read MinIO's object metadata, only the data format is shared.)
 *
 * <p><b>Context.</b> The same context must be given to decrypt: the key service refuses to unseal
 * the data key under another one, so an object moved or copied to another name does not decrypt
 * there. Use the object's identity (MinIO uses {@code {"<bucket>":"<bucket>/<object>"}}).
 *
 * <p><b>Errors.</b> Every sign that the stored object or its metadata cannot be trusted is an
 * {@link ObjectAuthenticationException} (see its {@link Reason}s): the context is wrong or the
 * sealed key replaced ({@link Reason#WRONG_KEY_OR_CONTEXT}, from {@code decrypt} before any data is
 * read); a byte modified, packages or parts reordered ({@link Reason#TAMPERED}); the object cut
 * short anywhere, even at a package or part boundary or to nothing ({@link Reason#TRUNCATED}); data
 * appended ({@link Reason#EXTENDED}). Key service errors other than a refused unseal pass through
 * as they are ({@link KeyNotFoundException} when the KES key was deleted, {@code
 * KeyStoreUnreachableException}, …). Arguments out of range are {@link IllegalArgumentException}.
 *
 * <p>Immutable and thread-safe; the streams it returns are not. Methods block on the key service.
 */
public final class ObjectEncryptor {
  private final KeyService keys;
  private final String keyName;
  private final CipherSuite suite;

  private ObjectEncryptor(KeyService keys, String keyName, CipherSuite suite) {
    this.keys = keys;
    this.keyName = keyName;
    this.suite = suite;
  }

  /**
   * An encryptor that seals new objects' data keys under the KES key {@code keyName}, with
   * AES-256-GCM. Objects sealed under any key name decrypt (the name is in their metadata).
   */
  public static ObjectEncryptor create(KeyService keys, String keyName) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(keyName, "keyName");
    return new ObjectEncryptor(keys, keyName, CipherSuite.AES_256_GCM);
  }

  /** The same encryptor writing new objects with {@code suite}; decryption reads both. */
  public ObjectEncryptor withCipherSuite(CipherSuite suite) {
    return new ObjectEncryptor(keys, keyName, Objects.requireNonNull(suite, "suite"));
  }

  /**
   * Asks the key service for a fresh data key and returns a stream that encrypts one object into
   * {@code ciphertext}. Close it, then store its {@link EncryptingOutputStream#metadata()} with the
   * object.
   *
   * @param ciphertext where the object's DARE 2.0 stream goes (closed with the returned stream)
   * @param context binds the data key to the object; the same bytes are needed to decrypt
   * @throws KeyNotFoundException if the KES key does not exist (other {@code KesException}s of the
   *     key service pass through as well)
   */
  public EncryptingOutputStream encrypt(OutputStream ciphertext, byte[] context) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(context, "context");
    DataKey dataKey = keys.generateKey(keyName, context);
    byte[] key = dataKey.plaintext();
    try {
      checkDataKey(key);
      return new EncryptingOutputStream(ciphertext, keyName, key, dataKey.ciphertext(), suite);
    } catch (RuntimeException e) {
      Arrays.fill(key, (byte) 0);
      throw e;
    } finally {
      destroy(dataKey);
    }
  }

  /**
   * Asks the key service for a fresh data key for a multipart upload.
   *
   * @throws KeyNotFoundException if the KES key does not exist
   */
  public MultipartUpload startMultipart(byte[] context) {
    Objects.requireNonNull(context, "context");
    DataKey dataKey = keys.generateKey(keyName, context);
    byte[] key = dataKey.plaintext();
    try {
      checkDataKey(key);
      return new MultipartUpload(keyName, dataKey.ciphertext(), key, suite);
    } finally {
      destroy(dataKey);
    }
  }

  /**
   * Continues a multipart upload started elsewhere, from the key name and sealed key of its {@link
   * MultipartUpload}: unseals the data key with {@code context}.
   *
   * @throws ObjectAuthenticationException if the key service refuses to unseal the key with this
   *     context
   */
  public MultipartUpload resumeMultipart(String keyName, byte[] sealedKey, byte[] context)
      throws ObjectAuthenticationException {
    Objects.requireNonNull(keyName, "keyName");
    Objects.requireNonNull(sealedKey, "sealedKey");
    Objects.requireNonNull(context, "context");
    byte[] key = unseal(keyName, sealedKey, context, "multipart upload");
    return new MultipartUpload(keyName, sealedKey.clone(), key, suite);
  }

  /**
   * Returns the plaintext of a whole stored object. Before returning, unseals the data key with
   * {@code context} and verifies the metadata's MAC; the stream then authenticates every 64 KiB
   * package before returning any of its bytes, checks each part ends where the metadata says, and
   * that {@code ciphertext} ends after the last part. A failure is an {@link
   * ObjectAuthenticationException} from {@code read}, after which the stream only rethrows it; the
   * bytes returned before were authentic, but the object is not: discard what was read. Closing the
   * stream closes {@code ciphertext}; so does a failure of this method.
   *
   * @param metadata the object's metadata, as {@link EncryptingOutputStream#metadata()} or {@link
   *     MultipartUpload#complete} returned it
   * @param ciphertext the stored object from its first byte
   * @param context the context the object was encrypted with
   * @throws ObjectAuthenticationException if the data key does not unseal with this context, or the
   *     metadata is not authentic
   * @throws KeyNotFoundException if the KES key no longer exists
   */
  public InputStream decrypt(ObjectMetadata metadata, InputStream ciphertext, byte[] context)
      throws IOException {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(context, "context");
    try {
      byte[] objectKey = open(metadata, context);
      try {
        List<ObjectReader.Segment> segments = new ArrayList<>();
        for (Part part : metadata.parts()) {
          if (part.plaintextSize() == 0) {
            continue;
          }
          byte[] partKey = ObjectKeys.partKey(objectKey, part.number());
          segments.add(() -> reader(ciphertext, false, partKey, part, 0, part.plaintextSize()));
        }
        if (segments.isEmpty()) {
          segments.add(
              () -> {
                if (ciphertext.read() >= 0) {
                  throw new ObjectAuthenticationException(
                      Reason.EXTENDED, "object: the metadata records an empty object (extended)");
                }
                return InputStream.nullInputStream();
              });
        }
        return new ObjectReader(segments, ciphertext, "object");
      } finally {
        Arrays.fill(objectKey, (byte) 0);
      }
    } catch (IOException | RuntimeException e) {
      ciphertext.close();
      throw e;
    }
  }

  /**
   * Returns the plaintext bytes {@code [offset, offset + length)} of a stored object, reading only
   * the packages that hold them: for every part the range touches, {@code source} is opened once,
   * at the start of the package that holds the part's first wanted byte. Unseals the data key and
   * verifies the metadata first, as {@link #decrypt} does; the stream authenticates every package
   * it reads, and checks a part's last package is final where the metadata says. Packages outside
   * the range are not read, so their damage is not detected.
   *
   * @param source opens the stored object at a byte offset
   * @param offset the first plaintext byte
   * @param length how many bytes
   * @throws IllegalArgumentException if the range is negative or beyond the object's plaintext
   * @throws ObjectAuthenticationException if the data key does not unseal with this context, or the
   *     metadata is not authentic
   * @throws IOException if opening the source fails (when a stream is needed: on read)
   * @throws KeyNotFoundException if the KES key no longer exists
   */
  public InputStream decryptRange(
      ObjectMetadata metadata, CiphertextSource source, byte[] context, long offset, long length)
      throws IOException {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(context, "context");
    if (offset < 0 || length < 0 || offset > metadata.plaintextSize() - length) {
      throw new IllegalArgumentException(
          "range ["
              + offset
              + ", +"
              + length
              + ") outside the object of "
              + metadata.plaintextSize()
              + " bytes");
    }
    byte[] objectKey = open(metadata, context);
    try {
      List<ObjectReader.Segment> segments = new ArrayList<>();
      long end = offset + length;
      long partStart = 0;
      long partCiphertextStart = 0;
      for (Part part : metadata.parts()) {
        long partEnd = partStart + part.plaintextSize();
        if (partEnd > offset && partStart < end) {
          long from = Math.max(offset, partStart) - partStart;
          long to = Math.min(end, partEnd) - partStart;
          long at = partCiphertextStart + (from / Dare.PACKAGE_SIZE) * DareFormat.MAX_PACKAGE;
          byte[] partKey = ObjectKeys.partKey(objectKey, part.number());
          segments.add(() -> reader(source.openAt(at), true, partKey, part, from, to - from));
        }
        partStart = partEnd;
        partCiphertextStart += part.ciphertextSize();
      }
      return new ObjectReader(segments, null, "object");
    } finally {
      Arrays.fill(objectKey, (byte) 0);
    }
  }

  /**
   * Re-wraps an object's data key under another KES key (master-key rotation): unseals it with the
   * metadata's key name and {@code context}, seals it under {@code newKeyName} with {@code
   * KeyService.encrypt} and the same context. The object data is not touched; store the returned
   * metadata in place of the old.
   *
   * @throws ObjectAuthenticationException if the data key does not unseal with this context, or the
   *     metadata is not authentic
   * @throws KeyNotFoundException if the old or the new KES key does not exist
   */
  public ObjectMetadata rewrap(ObjectMetadata metadata, byte[] context, String newKeyName)
      throws ObjectAuthenticationException {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(newKeyName, "newKeyName");
    byte[] objectKey = open(metadata, context);
    try {
      return metadata.withKey(newKeyName, keys.encrypt(newKeyName, objectKey, context));
    } finally {
      Arrays.fill(objectKey, (byte) 0);
    }
  }

  /** Unseals the object key and verifies the metadata MAC. */
  private byte[] open(ObjectMetadata metadata, byte[] context)
      throws ObjectAuthenticationException {
    byte[] objectKey = unseal(metadata.keyName(), metadata.sealedKeyUnsafe(), context, "object");
    if (!MessageDigest.isEqual(
        ObjectKeys.metadataMac(objectKey, metadata.parts()), metadata.macUnsafe())) {
      Arrays.fill(objectKey, (byte) 0);
      throw new ObjectAuthenticationException(
          Reason.TAMPERED,
          "object: the metadata's part list or sizes are not authentic (tampered, or metadata of"
              + " another object)");
    }
    return objectKey;
  }

  private byte[] unseal(String keyName, byte[] sealedKey, byte[] context, String what)
      throws ObjectAuthenticationException {
    byte[] key;
    try {
      key = keys.decrypt(keyName, sealedKey, context);
    } catch (DecryptionException e) {
      throw new ObjectAuthenticationException(
          Reason.WRONG_KEY_OR_CONTEXT,
          what
              + ": the data key does not unseal under key '"
              + keyName
              + "' with this context (the object was moved or copied, or its sealed key replaced)",
          e);
    }
    if (key.length != Dare.KEY_SIZE) {
      Arrays.fill(key, (byte) 0);
      throw new ObjectAuthenticationException(
          Reason.MALFORMED, what + ": the sealed data key is not " + Dare.KEY_SIZE + " bytes");
    }
    return key;
  }

  private static InputStream reader(
      InputStream in, boolean closeIn, byte[] partKey, Part part, long from, long length) {
    long lastPackage = (part.plaintextSize() - 1) / Dare.PACKAGE_SIZE;
    String label = part.number() == 0 ? "object" : "object part " + part.number();
    try {
      return new DareReader(
          in,
          closeIn,
          partKey,
          label,
          from / Dare.PACKAGE_SIZE,
          (int) (from % Dare.PACKAGE_SIZE),
          length,
          lastPackage);
    } finally {
      Arrays.fill(partKey, (byte) 0);
    }
  }

  private static void checkDataKey(byte[] key) {
    if (key.length != Dare.KEY_SIZE) {
      throw new IllegalStateException(
          "the key service returned a data key of " + key.length + " bytes, not " + Dare.KEY_SIZE);
    }
  }

  private static void destroy(DataKey dataKey) {
    dataKey.destroy(); // our copy of the plaintext is zeroed by the stream or the upload
  }
}
