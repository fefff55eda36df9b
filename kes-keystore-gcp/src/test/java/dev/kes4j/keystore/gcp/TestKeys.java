package dev.kes4j.keystore.gcp;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** An RSA key pair generated once per test run, with its PKCS#8 PEM text. */
final class TestKeys {
  static final KeyPair PAIR = generate();

  /** The private key as PKCS#8 PEM with real newlines. */
  static final String PEM =
      "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'})
              .encodeToString(PAIR.getPrivate().getEncoded())
          + "\n-----END PRIVATE KEY-----\n";

  /** The same PEM as KES YAML holds it: the two characters {@code \n} instead of newlines. */
  static final String PEM_ESCAPED = PEM.replace("\n", "\\n");

  private TestKeys() {}

  private static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
