package dev.kes4j.api;

import java.util.List;

/**
 * The KES operations, whatever runs them: the in-process engine ({@code dev.kes4j.core.Kes}) or a
 * remote KES server ({@code dev.kes4j.client.KesClient}). Switching between the two is a one-line
 * change.
 *
 * <p>Every method may throw, besides what it lists: {@link InvalidNameException} (400) for a name
 * that breaks the rules of spec §6, {@link NotAuthorizedException} (403) when the caller's identity
 * may not perform the call, {@link KeyStoreUnreachableException} (502/504) when the key store
 * cannot be reached, and {@link KesException} with KES's status and message for any other failure.
 *
 * <p>Implementations are thread-safe. Calls block until the key store (or the remote server)
 * answers, within the implementation's configured bounds. A {@code context} argument is the AEAD
 * associated data; null and empty mean the same.
 */
public interface KeyService {

  /**
   * Creates a key with a fresh random master key (and HMAC key) if no key of that name exists.
   *
   * @throws KeyExistsException if the key already exists
   */
  void createKey(String name);

  /**
   * Imports 32 bytes of existing key material as a key with a fresh random HMAC key.
   *
   * @throws KeyExistsException if the key already exists
   * @throws KesException 406 {@code invalid key size for '<alg>'} if {@code key} is not 32 bytes
   */
  void importKey(String name, KeyAlgorithm algorithm, byte[] key);

  /**
   * Describes a key without revealing key material.
   *
   * @throws KeyNotFoundException if no such key exists
   */
  KeyInfo describeKey(String name);

  /**
   * Deletes a key. Data sealed under it can no longer be decrypted.
   *
   * @throws KeyNotFoundException if no such key exists
   */
  void deleteKey(String name);

  /**
   * Lists key names in ascending order.
   *
   * @param prefix names must start with this; empty or {@code *} for all; one trailing {@code *} is
   *     ignored
   * @param continueAt start at this name (inclusive), as returned by a previous page; empty to
   *     start at the beginning
   * @param limit at most this many names; 0 or negative for the implementation's page size
   * @throws InvalidNameException if the prefix is not a valid listing pattern
   */
  Page<String> listKeys(String prefix, String continueAt, int limit);

  /**
   * Generates a fresh 32-byte data key and seals it under the named key.
   *
   * @throws KeyNotFoundException if no such key exists
   */
  DataKey generateKey(String name, byte[] context);

  /**
   * Seals a plaintext under the named key.
   *
   * @throws KeyNotFoundException if no such key exists
   */
  byte[] encrypt(String name, byte[] plaintext, byte[] context);

  /**
   * Opens a ciphertext sealed under the named key, in any format any KES version wrote.
   *
   * @throws KeyNotFoundException if no such key exists
   * @throws DecryptionException if the ciphertext is malformed, not authentic or the context
   *     differs
   */
  byte[] decrypt(String name, byte[] ciphertext, byte[] context);

  /**
   * Opens many ciphertexts sealed under one key; the results keep the order of the requests. The
   * first failure fails the whole call.
   *
   * @param requests at most 1000 items
   * @throws KesException 400 {@code too many ciphertexts} for more than 1000 items
   * @throws DecryptionException if any ciphertext cannot be opened
   */
  List<byte[]> decryptAll(String name, List<DecryptRequest> requests);

  /**
   * Computes HMAC-SHA-256 of {@code message} under the key's HMAC key.
   *
   * @throws KeyNotFoundException if no such key exists
   * @throws KesException 409 {@code key does not support HMAC} for keys stored without an HMAC key
   */
  byte[] hmac(String name, byte[] message);

  /**
   * Reports the service's version, uptime and key store reachability. Never throws for an outage.
   */
  ServiceStatus status();
}
