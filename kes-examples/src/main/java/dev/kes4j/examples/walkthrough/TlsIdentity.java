package dev.kes4j.examples.walkthrough;

import dev.kes4j.api.Identity;
import dev.kes4j.policy.internal.pki.Pem;
import dev.kes4j.policy.internal.pki.Pki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private key and self-signed certificate, made the way {@code kes4j identity new} (and KES's
 * {@code kes identity new}) makes them: an Ed25519 key pair, a self-signed X.509 v3 certificate
 * valid from a minute ago, not a CA, key usage {@code digitalSignature}, extended key usage {@code
 * clientAuth} — plus {@code serverAuth} and the subject alternative names when IP addresses or DNS
 * names are given (the {@code --ip}/{@code --dns} form used for a server certificate). Its KES
 * identity is the SHA-256 of the certificate's public key ({@link #identity()}). Minted and read
 * with kes4j's own certificate minter and PEM codec (the ones {@code kes4j identity new} uses).
 *
 * <pre>{@code
 * TlsIdentity server = TlsIdentity.create("localhost", List.of("127.0.0.1"), List.of("localhost"));
 * server.writePem(dir.resolve("server.key"), dir.resolve("server.cert"));
 * TlsIdentity app = TlsIdentity.create("app", List.of(), List.of());
 * SSLContext tls = app.clientContext(List.of(server.certificate()));   // curl --key --cert --cacert
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #toString()} names the subject and identity, never the key.
 */
public final class TlsIdentity {
  private static final Duration DEFAULT_VALIDITY = Duration.ofHours(720); // kes4j's --expiry

  private final PrivateKey privateKey;
  private final X509Certificate certificate;

  private TlsIdentity(PrivateKey privateKey, X509Certificate certificate) {
    this.privateKey = privateKey;
    this.certificate = certificate;
  }

  /**
   * A new Ed25519 identity, valid for 720 hours, as {@code kes4j identity new [--ip IP]... [--dns
   * NAME]... CN} writes it.
   *
   * @param commonName the subject CN; empty: the identity, as {@code kes4j identity new} names a
   *     certificate without CN
   * @param ips IP address literals for the subject alternative names
   * @param dnsNames DNS names for the subject alternative names
   * @throws IllegalArgumentException if an IP address is not a literal address
   */
  public static TlsIdentity create(String commonName, List<String> ips, List<String> dnsNames) {
    return create(commonName, ips, dnsNames, DEFAULT_VALIDITY);
  }

  /**
   * Like {@link #create(String, List, List)} with a validity.
   *
   * @throws IllegalArgumentException if an IP address is not a literal address or the validity is
   *     not positive
   */
  public static TlsIdentity create(
      String commonName, List<String> ips, List<String> dnsNames, Duration validity) {
    Objects.requireNonNull(commonName, "commonName");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive");
    }
    KeyPair keys = Pki.keyPair(Pki.Algorithm.ED25519);
    // no CN given: name the certificate after its identity, as kes4j identity new does
    String cn =
        commonName.isEmpty()
            ? Identity.ofSubjectPublicKeyInfo(keys.getPublic().getEncoded()).value()
            : commonName;
    boolean server = !ips.isEmpty() || !dnsNames.isEmpty();
    Pki.Issued issued =
        Pki.issue(
            keys, cn, server ? Pki.Usage.BOTH : Pki.Usage.CLIENT, dnsNames, ips, validity, null);
    return new TlsIdentity(issued.privateKey(), issued.certificate());
  }

  /**
   * Reads a PEM private key (unencrypted: PKCS#8, PKCS#1 or SEC1; Ed25519, EC or RSA) and the
   * certificate chain of a PEM file, and checks that they belong together, as KES reads {@code
   * tls.key} and {@code tls.cert}. Blocks on file I/O.
   *
   * @throws dev.kes4j.api.KesConfigException if a file cannot be read, holds no such PEM block, or
   *     the key is not the certificate's (messages as Go KES's)
   */
  public static TlsIdentity readPem(Path keyFile, Path certFile) {
    Pem.KeyAndChain pair = Pem.readKeyPair(certFile, keyFile, null);
    return new TlsIdentity(pair.key(), pair.chain().get(0));
  }

  /**
   * Writes the private key (PKCS#8 PEM, file mode 0600 where POSIX) and the certificate (PEM), as
   * {@code kes4j identity new --key FILE --cert FILE} does. Replaces existing files. Blocks on file
   * I/O.
   *
   * @throws UncheckedIOException if a file cannot be written
   */
  public void writePem(Path keyFile, Path certFile) {
    try {
      Pem.write(keyFile, Pem.encode(privateKey), true);
      Pem.write(certFile, Pem.encode(certificate), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The KES identity: hex SHA-256 of the certificate's SubjectPublicKeyInfo. */
  public Identity identity() {
    return Identity.of(certificate);
  }

  /** The certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The private key. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /**
   * A TLS client context that presents this identity and trusts exactly {@code trusted} (such as a
   * self-signed server certificate, like {@code curl --cacert server.cert}).
   *
   * @throws IllegalStateException if the JDK cannot build the context
   */
  public SSLContext clientContext(List<X509Certificate> trusted) {
    return context(this, trusted);
  }

  /**
   * A TLS client context that presents no certificate and trusts exactly {@code trusted}.
   *
   * @throws IllegalStateException if the JDK cannot build the context
   */
  public static SSLContext anonymousClientContext(List<X509Certificate> trusted) {
    return context(null, trusted);
  }

  private static SSLContext context(TlsIdentity who, List<X509Certificate> trusted) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < trusted.size(); i++) {
        trust.setCertificateEntry("trusted-" + i, trusted.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (who != null) {
        char[] pw = "in-memory".toCharArray(); // protects nothing: the store never leaves memory
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("identity", who.privateKey, pw, new Certificate[] {who.certificate});
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TlsIdentity["
        + certificate.getSubjectX500Principal().getName()
        + ", identity="
        + identity().value()
        + "]";
  }
}
