package dev.kes4j.sse;

import dev.kes4j.sse.ObjectAuthenticationException.Reason;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a store keeps next to an encrypted object so that it can be decrypted: the KES key name, the
 * sealed data key, the parts and their plaintext sizes, and a MAC over the parts under the object
 * key. None of it is secret; the MAC makes the sizes authentic once the data key is unsealed, so
 * that an object cut at a part or package boundary, or to nothing, is detected.
 *
 * <p>Store it as bytes ({@link #toByteArray()}, read back with {@link #parse(byte[])}) or field by
 * field in the store's own metadata and rebuild it with {@link #of}. The byte form (our own) is
 *
 * <pre>
 * "KSSE" ‖ 0x01 ‖ uint16_be(len) ‖ key name (UTF-8) ‖ uint16_be(len) ‖ sealed key
 *        ‖ uint32_be(count) ‖ (uint32_be(part number) ‖ uint64_be(plaintext size))* ‖ MAC (32)
 * </pre>
 *
 * Immutable and thread-safe; {@link #toString()} shows no bytes of the sealed key or MAC.
 */
public final class ObjectMetadata {
  private static final byte[] MAGIC = {'K', 'S', 'S', 'E'};
  private static final byte VERSION = 1;
  private static final int MAC_SIZE = 32;
  private static final int MAX_PARTS = 100_000;

  private final String keyName;
  private final byte[] sealedKey;
  private final List<Part> parts;
  private final byte[] mac;
  private final long plaintextSize;
  private final long ciphertextSize;

  private ObjectMetadata(String keyName, byte[] sealedKey, List<Part> parts, byte[] mac) {
    this.keyName = keyName;
    this.sealedKey = sealedKey;
    this.parts = parts;
    this.mac = mac;
    long p = 0;
    long c = 0;
    for (Part part : parts) {
      p = Math.addExact(p, part.plaintextSize());
      c = Math.addExact(c, part.ciphertextSize());
    }
    this.plaintextSize = p;
    this.ciphertextSize = c;
  }

  /**
   * Rebuilds metadata from its fields, as {@link #keyName()}, {@link #sealedKey()}, {@link
   * #parts()} and {@link #mac()} returned them.
   *
   * @throws IllegalArgumentException if the fields cannot belong to an object: no parts, part 0
   *     next to other parts, part numbers not ascending, sizes that overflow, a MAC that is not 32
   *     bytes, or an empty or over-long key name or sealed key
   */
  public static ObjectMetadata of(String keyName, byte[] sealedKey, List<Part> parts, byte[] mac) {
    Objects.requireNonNull(keyName, "keyName");
    Objects.requireNonNull(sealedKey, "sealedKey");
    Objects.requireNonNull(parts, "parts");
    Objects.requireNonNull(mac, "mac");
    List<Part> copy = List.copyOf(parts);
    String problem = check(keyName, sealedKey, copy, mac);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    try {
      return new ObjectMetadata(keyName, sealedKey.clone(), copy, mac.clone());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("the part sizes overflow");
    }
  }

  /**
   * Reads the byte form written by {@link #toByteArray()}.
   *
   * @throws ObjectAuthenticationException ({@link Reason#MALFORMED}) if the bytes are not kes-sse
   *     metadata
   */
  public static ObjectMetadata parse(byte[] bytes) throws ObjectAuthenticationException {
    Objects.requireNonNull(bytes, "bytes");
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      byte[] magic = new byte[MAGIC.length];
      b.get(magic);
      if (!Arrays.equals(magic, MAGIC) || b.get() != VERSION) {
        throw malformed("not kes-sse metadata (magic or version)");
      }
      byte[] name = new byte[b.getShort() & 0xffff];
      b.get(name);
      byte[] sealed = new byte[b.getShort() & 0xffff];
      b.get(sealed);
      int count = b.getInt();
      if (count < 0 || count > MAX_PARTS) {
        throw malformed("kes-sse metadata with " + Integer.toUnsignedString(count) + " parts");
      }
      List<Part> parts = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int number = b.getInt();
        long size = b.getLong();
        if (number < 0) {
          throw malformed("kes-sse metadata with an invalid part");
        }
        parts.add(new Part(number, size));
      }
      byte[] mac = new byte[MAC_SIZE];
      b.get(mac);
      if (b.hasRemaining()) {
        throw malformed("kes-sse metadata followed by " + b.remaining() + " more bytes");
      }
      String keyName =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(name))
              .toString();
      String problem = check(keyName, sealed, parts, mac);
      if (problem != null) {
        throw malformed("kes-sse metadata: " + problem);
      }
      return new ObjectMetadata(keyName, sealed, List.copyOf(parts), mac);
    } catch (BufferUnderflowException e) {
      throw malformed("kes-sse metadata ends early");
    } catch (CharacterCodingException e) {
      throw malformed("kes-sse metadata: the key name is not UTF-8");
    } catch (ArithmeticException | IllegalArgumentException e) {
      throw malformed("kes-sse metadata with invalid part sizes");
    }
  }

  /** The byte form described above. */
  public byte[] toByteArray() {
    byte[] name = keyName.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b =
        ByteBuffer.allocate(
            MAGIC.length + 1 + 2 + name.length + 2 + sealedKey.length + 4 + 12 * parts.size() + 32);
    b.put(MAGIC).put(VERSION);
    b.putShort((short) name.length).put(name);
    b.putShort((short) sealedKey.length).put(sealedKey);
    b.putInt(parts.size());
    for (Part p : parts) {
      b.putInt(p.number()).putLong(p.plaintextSize());
    }
    b.put(mac);
    return b.array();
  }

  /** The KES key the data key is sealed under. */
  public String keyName() {
    return keyName;
  }

  /** The data key as {@code KeyService.generateKey} sealed it (a copy). */
  public byte[] sealedKey() {
    return sealedKey.clone();
  }

  /** The parts in order: one part numbered 0, or parts numbered {@code >= 1}, ascending. */
  public List<Part> parts() {
    return parts;
  }

  /** Whether the object was uploaded in parts. */
  public boolean isMultipart() {
    return parts.get(0).number() != 0;
  }

  /** The MAC over the parts (a copy). */
  public byte[] mac() {
    return mac.clone();
  }

  /** The object's plaintext size: the sum of its parts. */
  public long plaintextSize() {
    return plaintextSize;
  }

  /** The stored (encrypted) object's exact size: the parts' DARE 2.0 streams, concatenated. */
  public long ciphertextSize() {
    return ciphertextSize;
  }

  byte[] macUnsafe() {
    return mac;
  }

  byte[] sealedKeyUnsafe() {
    return sealedKey;
  }

  ObjectMetadata withKey(String newKeyName, byte[] newSealedKey) {
    return of(newKeyName, newSealedKey, parts, mac);
  }

  @Override
  public String toString() {
    return "ObjectMetadata[keyName="
        + keyName
        + ", parts="
        + parts.size()
        + ", plaintextSize="
        + plaintextSize
        + ", sealedKey="
        + sealedKey.length
        + " bytes]";
  }

  private static String check(String keyName, byte[] sealedKey, List<Part> parts, byte[] mac) {
    if (keyName.isEmpty() || keyName.getBytes(StandardCharsets.UTF_8).length > 0xffff) {
      return "the key name must be 1 to 65535 bytes";
    }
    if (sealedKey.length == 0 || sealedKey.length > 0xffff) {
      return "the sealed key must be 1 to 65535 bytes";
    }
    if (mac.length != MAC_SIZE) {
      return "the MAC must be " + MAC_SIZE + " bytes";
    }
    if (parts.isEmpty() || parts.size() > MAX_PARTS) {
      return "an object has 1 to " + MAX_PARTS + " parts";
    }
    if (parts.get(0).number() == 0) {
      return parts.size() == 1 ? null : "part 0 (a single-part object) cannot have other parts";
    }
    for (int i = 1; i < parts.size(); i++) {
      if (parts.get(i).number() <= parts.get(i - 1).number()) {
        return "part numbers must ascend";
      }
    }
    return null;
  }

  private static ObjectAuthenticationException malformed(String what) {
    return new ObjectAuthenticationException(Reason.MALFORMED, what);
  }
}
