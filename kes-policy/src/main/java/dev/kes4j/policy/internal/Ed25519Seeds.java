package dev.kes4j.policy.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * Derives an Ed25519 key pair from its 32-byte seed with the JDK alone: the JDK's Ed25519 key pair
 * generator draws exactly the 32-byte private key (= RFC 8032 seed) from its random source, so a
 * source that returns the seed yields that key pair. The result is checked, so a JDK that draws
 * differently fails loudly instead of deriving a wrong key. Thread-safe.
 */
public final class Ed25519Seeds {
  /** Seed length in bytes. */
  public static final int SEED_LENGTH = 32;

  private Ed25519Seeds() {}

  /**
   * The key pair of {@code seed}.
   *
   * @throws IllegalStateException if the JDK lacks Ed25519 or does not derive keys from one draw
   */
  public static KeyPair keyPair(byte[] seed) {
    if (seed.length != SEED_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    OneShot spi = new OneShot(seed);
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      g.initialize(NamedParameterSpec.ED25519, new SeedRandom(spi));
      KeyPair kp = g.generateKeyPair();
      byte[] derived = ((EdECPrivateKey) kp.getPrivate()).getBytes().orElse(new byte[0]);
      boolean ok = spi.draws == 1 && MessageDigest.isEqual(derived, seed);
      Arrays.fill(derived, (byte) 0);
      if (!ok) {
        throw new IllegalStateException("this JDK does not derive Ed25519 keys from the seed");
      }
      return kp;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available", e);
    } finally {
      spi.clear();
    }
  }

  /** Returns the seed once, then refuses. */
  private static final class OneShot extends SecureRandomSpi {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;
    int draws;

    OneShot(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    protected void engineSetSeed(byte[] ignored) {
      // the output is fixed
    }

    @Override
    protected void engineNextBytes(byte[] bytes) {
      draws++;
      if (draws != 1 || bytes.length != seed.length) {
        throw new IllegalStateException("unexpected draw from the seed source");
      }
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }

    @Override
    protected byte[] engineGenerateSeed(int numBytes) {
      throw new IllegalStateException("unexpected seed request");
    }

    void clear() {
      Arrays.fill(seed, (byte) 0);
    }
  }

  private static final class SeedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    SeedRandom(SecureRandomSpi spi) {
      super(spi, null);
    }
  }
}
