package dev.kes4j.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kes4j.api.DecryptionException;
import dev.kes4j.api.KeyAlgorithm;

/**
 * Fuzz targets for everything kes-crypto parses from outside: ciphertext containers and stored key
 * blobs. Any exception other than the documented one is a bug.
 *
 * <p>By default these run as regression tests over the committed seed corpus in {@code
 * src/test/resources/dev/kes4j/crypto/CryptoFuzzTestInputs/<method>/}. Fuzz for real with {@code
 * JAZZER_FUZZ=1 ./mvnw -pl kes-crypto test -Dtest=CryptoFuzzTest -Djazzer.max_duration=5m}.
 */
class CryptoFuzzTest {
  private static final MasterKey AES = MasterKey.of(KeyAlgorithm.AES256, new byte[32]);
  private static final MasterKey CHACHA = MasterKey.of(KeyAlgorithm.CHACHA20, new byte[32]);

  @FuzzTest
  void openCiphertext(byte[] ciphertext) {
    for (MasterKey key : new MasterKey[] {AES, CHACHA}) {
      try {
        key.open(ciphertext, null);
      } catch (DecryptionException expected) {
        // the only documented failure
      }
    }
  }

  @FuzzTest
  void parseKeyBlob(byte[] blob) {
    KeyVersion key;
    try {
      key = KeyBlobs.parse(blob);
    } catch (InvalidKeyBlobException expected) {
      return;
    }
    // whatever parses must re-encode to something that parses to the same key
    KeyBlobFormat format = key.hasHmac() ? KeyBlobFormat.PROTOBUF : KeyBlobFormat.LEGACY_JSON;
    KeyVersion again;
    try {
      again = KeyBlobs.parse(KeyBlobs.encode(key, format));
    } catch (IllegalArgumentException unencodableTime) {
      return; // documented: LEGACY_JSON cannot hold times outside years 0..9999
    }
    if (!again.masterKey().sameKeyAs(key.masterKey())) {
      throw new AssertionError("re-encoded key differs");
    }
  }
}
