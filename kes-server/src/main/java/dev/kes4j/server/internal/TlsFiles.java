package dev.kes4j.server.internal;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.core.KesConfig;
import dev.kes4j.policy.internal.pki.Pem;
import dev.kes4j.server.KesServer;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code tls:} section of a KES config read from its files, once: the server's key and chain,
 * the CAs for client certificates, and how clients are checked. Immutable; {@link #toString()}
 * never shows the key.
 *
 * @param key the server's private key
 * @param chain the server's certificate chain, leaf first
 * @param cas the CA certificates of {@code tls.ca} (empty if none is set)
 * @param clientAuth {@code VERIFY} when {@code tls.auth} is on, else {@code ANY}
 */
public record TlsFiles(
    PrivateKey key,
    List<X509Certificate> chain,
    List<X509Certificate> cas,
    KesServer.ClientAuth clientAuth) {

  /** Copies the lists. */
  public TlsFiles {
    chain = List.copyOf(chain);
    cas = List.copyOf(cas);
  }

  /**
   * Reads key (with its password), certificate chain and CA, resolving relative paths against
   * {@code baseDir}; the key and certificate must belong together.
   *
   * @throws KesConfigException naming the setting or file if one is missing, unreadable or invalid,
   *     or the password is wrong
   */
  public static TlsFiles read(KesConfig.Tls tls, Path baseDir) {
    if (tls.keyFile().isEmpty()) {
      throw new KesConfigException("tls: no private key specified (tls.key)");
    }
    if (tls.certFile().isEmpty()) {
      throw new KesConfigException("tls: no certificate specified (tls.cert)");
    }
    char[] password = tls.password() == null ? null : tls.password().toCharArray();
    Pem.KeyAndChain pair;
    try {
      pair =
          Pem.readKeyPair(
              baseDir.resolve(tls.certFile()), baseDir.resolve(tls.keyFile()), password);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
    List<X509Certificate> cas =
        tls.caPath().isEmpty() ? List.of() : Pem.readTrusted(baseDir.resolve(tls.caPath()));
    return new TlsFiles(
        pair.key(),
        pair.chain(),
        cas,
        tls.verifyClientCertificates() ? KesServer.ClientAuth.VERIFY : KesServer.ClientAuth.ANY);
  }

  @Override
  public String toString() {
    return "TlsFiles[" + chain.get(0).getSubjectX500Principal() + ", " + clientAuth + "]";
  }
}
