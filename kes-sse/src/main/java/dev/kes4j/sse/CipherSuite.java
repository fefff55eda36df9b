package dev.kes4j.sse;

/**
 * The AEAD cipher of a DARE 2.0 stream, with its identifier in byte 1 of every package header. Both
 * take a 32-byte key and a 12-byte nonce and produce a 16-byte tag.
 */
public enum CipherSuite {
  /**
   * AES-256 in Galois/Counter Mode: header byte {@code 0x00}. The default; AES-NI makes it fast.
   */
  AES_256_GCM(0x00, "AES/GCM/NoPadding", "AES"),
  /** ChaCha20-Poly1305 (RFC 8439): header byte {@code 0x01}. For CPUs without AES instructions. */
  CHACHA20_POLY1305(0x01, "ChaCha20-Poly1305", "ChaCha20");

  private final int id;
  private final String transformation;
  private final String keyAlgorithm;

  CipherSuite(int id, String transformation, String keyAlgorithm) {
    this.id = id;
    this.transformation = transformation;
    this.keyAlgorithm = keyAlgorithm;
  }

  /** The identifier DARE 2.0 writes in byte 1 of the header. */
  public int id() {
    return id;
  }

  String transformation() {
    return transformation;
  }

  String keyAlgorithm() {
    return keyAlgorithm;
  }

  /** The suite with this header identifier, or {@code null}. */
  static CipherSuite byId(int id) {
    return switch (id) {
      case 0x00 -> AES_256_GCM;
      case 0x01 -> CHACHA20_POLY1305;
      default -> null;
    };
  }
}
