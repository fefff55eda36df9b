package dev.kes4j.crypto;

/**
 * How {@link KeyBlobs#encode} writes a stored key (spec §5.2). Reading accepts every format
 * regardless.
 */
public enum KeyBlobFormat {
  /**
   * ASCII std-base64 of the protobuf {@code KeyVersion}, as KES ≥ 2024-02-29 writes it. Carries the
   * HMAC key; readable by KES ≥ 2024-02-29 only.
   */
  PROTOBUF,

  /**
   * {@code {"bytes":"<b64>"}} plus {@code created_at}/{@code created_by} when known (and {@code
   * "algorithm":"XCHACHA20-POLY1305"} for ChaCha20 keys). AES256 keys in this form are readable by
   * every KES version, 0.16.x included. Cannot carry an HMAC key: it is dropped.
   */
  LEGACY_JSON
}
