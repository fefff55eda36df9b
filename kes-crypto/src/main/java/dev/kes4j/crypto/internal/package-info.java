/**
 * Implementation details of {@code dev.kes4j.crypto}: HChaCha20, AEAD plumbing, the ciphertext
 * containers, a strict JSON reader/writer and a minimal protobuf codec. Not exported; no stability
 * promise.
 */
package dev.kes4j.crypto.internal;
