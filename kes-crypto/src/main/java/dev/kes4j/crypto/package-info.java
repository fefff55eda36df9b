/**
 * KES-compatible cryptography (spec §4, §5.2): {@link dev.kes4j.crypto.MasterKey} seals and opens
 * data keys in every ciphertext container KES ever wrote, {@link dev.kes4j.crypto.KeyVersion} is a
 * stored key (master key, optional HMAC key, metadata) and {@link dev.kes4j.crypto.KeyBlobs} reads
 * and writes every stored key format. Depends on nothing but {@code dev.kes4j.api} and the JDK.
 */
package dev.kes4j.crypto;
