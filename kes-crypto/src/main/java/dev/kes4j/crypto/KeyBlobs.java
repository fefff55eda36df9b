package dev.kes4j.crypto;

import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyInfo;
import dev.kes4j.api.internal.GoTime;
import dev.kes4j.api.internal.KesJson;
import dev.kes4j.crypto.internal.Protobuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Reads and writes the value a key store holds for a key (spec §5.2).
 *
 * <p>{@link #parse} accepts every format any KES version wrote: {@code {"bytes":"<b64>"}} (≤
 * v0.18), the JSON with {@code algorithm}, {@code created_at}, {@code created_by} and {@code
 * version} (v0.19 – 2024-01; algorithm spellings {@code AES256}, {@code AES256-GCM_SHA256}, {@code
 * ChaCha20}, {@code XCHACHA20-POLY1305}, absent or empty meaning AES256), and the std-base64
 * protobuf {@code KeyVersion} of KES ≥ 2024-02-29 (which carries the HMAC key). Like KES, input
 * that is valid JSON is read as JSON, anything else as base64 protobuf.
 *
 * <p>Stateless and thread-safe; never blocks.
 */
public final class KeyBlobs {
  private static final String ALGORITHM_CHACHA = "XCHACHA20-POLY1305";
  private static final int HASH_SHA256 = 1;

  private KeyBlobs() {}

  /**
   * Parses a stored key value.
   *
   * <p>Keys in the JSON forms have no HMAC key; a missing {@code created_at} reads as {@link
   * KeyInfo#UNKNOWN_TIME}, a missing {@code created_by} as {@code ""}. In the protobuf form a
   * missing creation time reads as 1970-01-01T00:00:00Z, as in Go.
   *
   * @param blob the stored bytes, not modified
   * @return the key
   * @throws InvalidKeyBlobException on any malformed input (never anything else, never any detail)
   * @throws NullPointerException if {@code blob} is null
   */
  public static KeyVersion parse(byte[] blob) {
    Objects.requireNonNull(blob, "blob");
    try {
      Object json;
      try {
        json = KesJson.parse(blob);
      } catch (KesJson.DecodeException e) {
        json = null;
      }
      KeyVersion key = json != null ? parseJson(json) : parseProtobuf(blob);
      if (key == null) {
        throw new InvalidKeyBlobException();
      }
      return key;
    } catch (InvalidKeyBlobException e) {
      throw e;
    } catch (KesJson.DecodeException | RuntimeException e) {
      throw new InvalidKeyBlobException(); // no cause: it might quote the input
    }
  }

  private static KeyVersion parseJson(Object json) throws KesJson.DecodeException {
    if (!(json instanceof KesJson.Obj)) {
      return null;
    }
    KesJson.Obj o = (KesJson.Obj) json;
    byte[] bytes = o.bytes("bytes");
    String algorithmName = o.string("algorithm");
    String createdAtText = o.stringOrNull("created_at");
    String createdBy = o.string("created_by");
    if (bytes.length != MasterKey.LENGTH) {
      return null;
    }
    KeyAlgorithm algorithm;
    if (algorithmName.isEmpty()) {
      algorithm = KeyAlgorithm.AES256;
    } else {
      try {
        algorithm = KeyAlgorithm.parse(algorithmName);
      } catch (KesException e) {
        return null;
      }
    }
    Instant createdAt = createdAtText == null ? KeyInfo.UNKNOWN_TIME : GoTime.parse(createdAtText);
    try {
      return KeyVersion.of(MasterKey.of(algorithm, bytes), null, createdAt, createdBy);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static KeyVersion parseProtobuf(byte[] blob) {
    byte[] pb = KesJson.decodeBase64(blob);
    if (pb == null) {
      return null;
    }
    ByteArrayOutputStream secretKey = new ByteArrayOutputStream();
    ByteArrayOutputStream hmacKey = new ByteArrayOutputStream();
    ByteArrayOutputStream timestamp = null;
    String createdBy = "";
    Protobuf.Reader r = new Protobuf.Reader(pb);
    while (r.hasNext()) {
      long tag = r.tag();
      int wireType = (int) (tag & 7);
      long field = tag >>> 3;
      if (wireType != Protobuf.LEN || field > 4) {
        r.skip(wireType); // unknown field, or a known one with the wrong wire type (Go: unknown)
        continue;
      }
      byte[] value = r.bytes();
      // a repeated embedded message merges: parsing the concatenation does exactly that
      if (field == 1) {
        secretKey.write(value, 0, value.length);
      } else if (field == 2) {
        hmacKey.write(value, 0, value.length);
      } else if (field == 3) {
        if (timestamp == null) {
          timestamp = new ByteArrayOutputStream();
        }
        timestamp.write(value, 0, value.length);
      } else {
        createdBy = Protobuf.utf8(value);
      }
      Arrays.fill(value, (byte) 0);
    }
    byte[] secret = null;
    byte[] hmac = null;
    try {
      long[] secretType = new long[1];
      secret = keyAndType(secretKey.toByteArray(), secretType);
      long[] hash = new long[1];
      hmac = keyAndType(hmacKey.toByteArray(), hash);
      KeyAlgorithm algorithm = KeyAlgorithm.ofProtobufType(secretType[0] & 0xffffffffL);
      if (algorithm == null
          || secret.length != MasterKey.LENGTH
          || (hash[0] & 0xffffffffL) != HASH_SHA256
          || hmac.length != KeyVersion.HMAC_KEY_LENGTH) {
        return null;
      }
      Instant createdAt = timestamp == null ? Instant.EPOCH : timestamp(timestamp.toByteArray());
      return KeyVersion.of(MasterKey.of(algorithm, secret), hmac, createdAt, createdBy);
    } finally {
      if (secret != null) {
        Arrays.fill(secret, (byte) 0);
      }
      if (hmac != null) {
        Arrays.fill(hmac, (byte) 0);
      }
    }
  }

  /** Reads {@code {1: bytes key, 2: uint32 type}} (SecretKey and HMACKey share this shape). */
  private static byte[] keyAndType(byte[] message, long[] type) {
    byte[] key = new byte[0];
    Protobuf.Reader r = new Protobuf.Reader(message);
    while (r.hasNext()) {
      long tag = r.tag();
      int wireType = (int) (tag & 7);
      long field = tag >>> 3;
      if (field == 1 && wireType == Protobuf.LEN) {
        Arrays.fill(key, (byte) 0);
        key = r.bytes();
      } else if (field == 2 && wireType == Protobuf.VARINT) {
        type[0] = r.varint();
      } else {
        r.skip(wireType);
      }
    }
    return key;
  }

  /** Reads a google.protobuf.Timestamp {1: int64 seconds, 2: int32 nanos}. */
  private static Instant timestamp(byte[] message) {
    long seconds = 0;
    int nanos = 0;
    Protobuf.Reader r = new Protobuf.Reader(message);
    while (r.hasNext()) {
      long tag = r.tag();
      int wireType = (int) (tag & 7);
      long field = tag >>> 3;
      if (field == 1 && wireType == Protobuf.VARINT) {
        seconds = r.varint();
      } else if (field == 2 && wireType == Protobuf.VARINT) {
        nanos = (int) r.varint();
      } else {
        r.skip(wireType);
      }
    }
    try {
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException("timestamp out of range");
    }
  }

  /**
   * Encodes a key for storage.
   *
   * <p>{@link KeyBlobFormat#PROTOBUF}: ASCII std-base64 of the protobuf {@code KeyVersion}
   * (readable by KES ≥ 2024-02-29), byte-identical to what KES writes. {@link
   * KeyBlobFormat#LEGACY_JSON}: {@code {"bytes":"<b64>"}}, then {@code
   * "algorithm":"XCHACHA20-POLY1305"} for ChaCha20 keys, {@code "created_at"} (Go's RFC 3339 with
   * nanoseconds, UTC) unless it is {@link KeyInfo#UNKNOWN_TIME}, and {@code "created_by"} unless
   * empty. An AES256 key in this form is readable by every KES version. <b>The HMAC key cannot be
   * stored in this format and is dropped</b>: the key read back has no HMAC capability.
   *
   * @param key the key to store
   * @param format the format to write
   * @return the bytes to store
   * @throws IllegalArgumentException for {@code PROTOBUF} if the key has no HMAC key, or for {@code
   *     LEGACY_JSON} if the creation time is outside years 0..9999 (Go cannot write it either)
   * @throws IllegalStateException if the key was destroyed
   * @throws NullPointerException if an argument is null
   */
  public static byte[] encode(KeyVersion key, KeyBlobFormat format) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(format, "format");
    return format == KeyBlobFormat.PROTOBUF ? encodeProtobuf(key) : encodeLegacyJson(key);
  }

  private static byte[] encodeProtobuf(KeyVersion key) {
    byte[] hmac = key.hmacKey();
    if (hmac == null) {
      throw new IllegalArgumentException(
          "a key without HMAC key cannot be encoded as protobuf; use LEGACY_JSON");
    }
    byte[] secret = key.masterKey().encoded();
    byte[] secretMsg = null;
    byte[] hmacMsg = null;
    byte[] pb = null;
    try {
      secretMsg =
          new Protobuf.Writer()
              .bytesField(1, secret)
              .varintField(2, key.masterKey().algorithm().protobufType())
              .toBytes();
      hmacMsg = new Protobuf.Writer().bytesField(1, hmac).varintField(2, HASH_SHA256).toBytes();
      Instant t = key.createdAt();
      byte[] timestamp =
          new Protobuf.Writer()
              .varintField(1, t.getEpochSecond())
              .varintField(2, t.getNano())
              .toBytes();
      pb =
          new Protobuf.Writer()
              .messageField(1, secretMsg)
              .messageField(2, hmacMsg)
              .messageField(3, timestamp)
              .bytesField(4, key.createdBy().getBytes(StandardCharsets.UTF_8))
              .toBytes();
      return Base64.getEncoder().encode(pb);
    } finally {
      wipe(secret, hmac, secretMsg, hmacMsg, pb);
    }
  }

  private static byte[] encodeLegacyJson(KeyVersion key) {
    MasterKey master = key.masterKey();
    Instant createdAt = key.createdAt();
    boolean knownTime = !createdAt.equals(KeyInfo.UNKNOWN_TIME);
    if (knownTime && !GoTime.marshallable(createdAt)) {
      throw new IllegalArgumentException("creation time outside years 0..9999");
    }
    byte[] secret = master.encoded();
    try {
      KesJson.ObjectWriter w = new KesJson.ObjectWriter().base64("bytes", secret);
      if (master.algorithm() == KeyAlgorithm.CHACHA20) {
        // only ChaCha20 needs it (absent means AES256 to every reader); never "algorithm":""
        w.field("algorithm", ALGORITHM_CHACHA);
      }
      if (knownTime) {
        w.field("created_at", GoTime.format(createdAt));
      }
      if (!key.createdBy().isEmpty()) {
        w.field("created_by", key.createdBy());
      }
      return w.toBytes();
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private static void wipe(byte[]... arrays) {
    for (byte[] a : arrays) {
      if (a != null) {
        Arrays.fill(a, (byte) 0);
      }
    }
  }
}
