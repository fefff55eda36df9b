package dev.kes4j.examples.walkthrough;

import dev.kes4j.api.Identity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private key and self-signed certificate, made the way {@code kes4j identity new} (and KES's
 * {@code kes identity new}) makes them: an Ed25519 key pair, a self-signed X.509 v3 certificate
 * valid from a minute ago, not a CA, key usage {@code digitalSignature}, extended key usage {@code
 * clientAuth} — plus {@code serverAuth} and the subject alternative names when IP addresses or DNS
 * names are given (the {@code --ip}/{@code --dns} form used for a server certificate). Its KES
 * identity is the SHA-256 of the certificate's public key ({@link #identity()}).
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
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration DEFAULT_VALIDITY = Duration.ofHours(720); // kes4j's --expiry
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

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
    List<GeneralName> sans = new ArrayList<>();
    for (String d : dnsNames) {
      sans.add(new GeneralName(GeneralName.dNSName, d));
    }
    for (String ip : ips) {
      if (!ip.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
        throw new IllegalArgumentException("not an IP address: '" + ip + "'");
      }
      sans.add(new GeneralName(GeneralName.iPAddress, ip));
    }
    try {
      KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      // no CN given: name the certificate after its identity, as kes4j identity new does
      String cn =
          commonName.isEmpty()
              ? Identity.ofSubjectPublicKeyInfo(keys.getPublic().getEncoded()).value()
              : commonName;
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(127, RANDOM).setBit(0),
              Date.from(now.minus(Duration.ofMinutes(1))),
              Date.from(now.plus(validity)),
              subject,
              keys.getPublic());
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      KeyPurposeId[] purposes =
          sans.isEmpty()
              ? new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}
              : new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth};
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
      if (!sans.isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(sans.toArray(new GeneralName[0])));
      }
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  b.build(new JcaContentSignerBuilder("Ed25519").build(keys.getPrivate())));
      return new TlsIdentity(keys.getPrivate(), cert);
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create a certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a PKCS#8 PEM private key ({@code PRIVATE KEY}: Ed25519, EC or RSA) and the first
   * certificate of a PEM file. Blocks on file I/O.
   *
   * @throws UncheckedIOException if a file cannot be read
   * @throws IllegalArgumentException if a file holds no such PEM block or the key is not supported
   */
  public static TlsIdentity readPem(Path keyFile, Path certFile) {
    byte[] pkcs8 = pemBlock(keyFile, "PRIVATE KEY");
    byte[] der = pemBlock(certFile, "CERTIFICATE");
    X509Certificate cert;
    try {
      cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new java.io.ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(certFile + ": not a certificate", e);
    }
    for (String alg : new String[] {"Ed25519", "EC", "RSA"}) {
      try {
        PrivateKey k = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        return new TlsIdentity(k, cert);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(keyFile + ": unsupported private key");
  }

  private static byte[] pemBlock(Path file, String type) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        return Base64.getMimeDecoder().decode(m.group(2));
      }
    }
    throw new IllegalArgumentException(file + ": no PEM " + type + " block");
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
      Files.deleteIfExists(keyFile);
      Files.createFile(keyFile);
      try {
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      Files.writeString(keyFile, pem("PRIVATE KEY", privateKey.getEncoded()));
      Files.writeString(certFile, pem("CERTIFICATE", certificate.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
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
