package dev.kes4j.api;

import java.util.Locale;
import java.util.Objects;

/**
 * The algorithm of a master key (spec §4.1): {@link #AES256} seals with AES-256-GCM under an
 * HMAC-SHA-256-derived key, {@link #CHACHA20} with ChaCha20-Poly1305 under an HChaCha20-derived
 * key.
 */
public enum KeyAlgorithm {
  /** AES-256-GCM with HMAC-SHA-256 key derivation; protobuf type 1. */
  AES256("AES256", 1),
  /** ChaCha20-Poly1305 with HChaCha20 key derivation; protobuf type 2. */
  CHACHA20("ChaCha20", 2);

  private final String kesName;
  private final int protobufType;

  KeyAlgorithm(String kesName, int protobufType) {
    this.kesName = kesName;
    this.protobufType = protobufType;
  }

  /** The name KES uses on the wire and in {@code describe}: {@code AES256} or {@code ChaCha20}. */
  public String kesName() {
    return kesName;
  }

  /** The value of the protobuf {@code SecretKey.Type} field (1 or 2). */
  public int protobufType() {
    return protobufType;
  }

  /**
   * Parses an algorithm name as KES's import API accepts it (spec §1.4): {@code AES256} and {@code
   * AES256-GCM_SHA256} mean AES256; {@code ChaCha20} and {@code XCHACHA20-POLY1305} mean ChaCha20.
   * Matching is exact, as in KES.
   *
   * @throws KesException 406 {@code algorithm '<name>' is not supported} for anything else,
   *     including the empty string
   */
  public static KeyAlgorithm parse(String name) {
    Objects.requireNonNull(name, "name");
    switch (name) {
      case "AES256":
      case "AES256-GCM_SHA256":
        return AES256;
      case "ChaCha20":
      case "XCHACHA20-POLY1305":
        return CHACHA20;
      default:
        throw new KesException(406, "algorithm '" + name + "' is not supported");
    }
  }

  /** The algorithm for a protobuf {@code SecretKey.Type} value, or null if unknown. */
  public static KeyAlgorithm ofProtobufType(long type) {
    for (KeyAlgorithm a : values()) {
      if (a.protobufType == type) {
        return a;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return kesName.toUpperCase(Locale.ROOT);
  }
}
