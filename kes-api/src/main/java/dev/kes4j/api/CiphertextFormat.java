package dev.kes4j.api;

/**
 * The container a ciphertext is written in (spec §4.3). Decryption accepts all three; the format
 * only chooses what is written, and so which KES versions can decrypt it.
 */
public enum CiphertextFormat {
  /** {@code {"aead","id","iv","nonce","bytes"}}: decryptable by every KES version. */
  JSON,
  /** MessagePack 5-array: decryptable by KES ≥ v0.19.2. */
  MSGPACK,
  /** {@code ciphertext ‖ tag ‖ iv ‖ nonce}: decryptable by KES ≥ 2024-02-29 only; the smallest. */
  BINARY
}
