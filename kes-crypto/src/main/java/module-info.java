/**
 * KES-compatible cryptography: master keys that seal and open every ciphertext container any KES
 * version produced (spec §4), and the codec for every stored key format (spec §5.2).
 */
module dev.kes4j.crypto {
  requires transitive dev.kes4j.api;

  exports dev.kes4j.crypto;
}
