package dev.kes4j.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys below the object key (the KES data key). Part keys as MinIO derives them ({@code
 * ObjectKey.DerivePartKey}): {@code HMAC-SHA256(objectKey, uint32_le(partNumber))}; part 0, the
 * single-part object, uses the object key itself (as MinIO does for a single-part object). The
 * metadata MAC is {@code HMAC-SHA256(objectKey, "kes4j-sse metadata v1" ‖ 0x00 ‖ uint32_be(count) ‖
 * (uint32_be(number) ‖ uint64_be(size))*)}: its input is never 4 bytes long, so it never equals a
 * part key. Package-private.
 */
final class ObjectKeys {
  private static final byte[] MAC_LABEL =
      "kes4j-sse metadata v1\0".getBytes(StandardCharsets.UTF_8);

  private ObjectKeys() {}

  static byte[] partKey(byte[] objectKey, int partNumber) {
    if (partNumber == 0) {
      return objectKey.clone();
    }
    byte[] id = {
      (byte) partNumber,
      (byte) (partNumber >>> 8),
      (byte) (partNumber >>> 16),
      (byte) (partNumber >>> 24)
    };
    return hmac(objectKey, id);
  }

  static byte[] metadataMac(byte[] objectKey, List<Part> parts) {
    ByteBuffer b = ByteBuffer.allocate(MAC_LABEL.length + 4 + 12 * parts.size());
    b.put(MAC_LABEL).putInt(parts.size());
    for (Part p : parts) {
      b.putInt(p.number()).putLong(p.plaintextSize());
    }
    return hmac(objectKey, b.array());
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
