package dev.kes4j.client;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.MiscPEMGenerator;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates for the tests, made with Bouncy Castle: a CA, a server and client identities. */
final class TestPki {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A key pair and its certificate. */
  record Issued(KeyPair keys, X509Certificate certificate) {
    PrivateKey privateKey() {
      return keys.getPrivate();
    }
  }

  static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static Issued ca(String cn) {
    KeyPair kp = ec();
    return new Issued(kp, issue(kp, cn, null, true, false, false));
  }

  static Issued server(Issued ca) {
    KeyPair kp = ec();
    return new Issued(kp, issue(kp, "localhost", ca, false, false, true));
  }

  static Issued client(String cn, Issued ca, KeyPair kp) {
    return new Issued(kp, issue(kp, cn, ca, false, true, false));
  }

  private static X509Certificate issue(
      KeyPair kp, String cn, Issued issuer, boolean isCa, boolean client, boolean server) {
    try {
      Instant now = Instant.now();
      X500Name subject = new X500Name("CN=" + cn);
      X500Name issuerName =
          issuer == null
              ? subject
              : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuerName,
              new BigInteger(127, RANDOM),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(Duration.ofDays(1))),
              subject,
              kp.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (isCa) {
        b.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
      }
      if (server) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.dNSName, "localhost"),
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                }));
      }
      PrivateKey signer = issuer == null ? kp.getPrivate() : issuer.privateKey();
      String alg = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "Ed25519";
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(Object o) {
    try (StringWriter sw = new StringWriter();
        JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
      w.flush();
      return sw.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PKCS#8 PEM ({@code PRIVATE KEY}). */
  static String pkcs8(PrivateKey key) {
    try {
      return pem(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Encrypted PKCS#8 PEM ({@code ENCRYPTED PRIVATE KEY}, PBES2 with AES-256-CBC). */
  static String encryptedPkcs8(PrivateKey key, char[] password) {
    try {
      return pem(
          new JcaPKCS8Generator(
              key,
              new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                  .setProvider(new BouncyCastleProvider())
                  .setRandom(RANDOM)
                  .setPassword(password)
                  .build()));
    } catch (IOException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** OpenSSL's traditional form ({@code EC PRIVATE KEY}), encrypted with DEK-Info if asked. */
  static String traditional(PrivateKey key, char[] password) {
    try {
      // as OpenSSL writes it: the curve inside the ECPrivateKey structure
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      org.bouncycastle.asn1.sec.ECPrivateKey inner =
          org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
      PrivateKeyInfo withCurve =
          new PrivateKeyInfo(
              info.getPrivateKeyAlgorithm(),
              new org.bouncycastle.asn1.sec.ECPrivateKey(
                  256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters()));
      if (password == null) {
        return pem(new MiscPEMGenerator(withCurve));
      }
      return pem(
          new MiscPEMGenerator(
              withCurve,
              new JcePEMEncryptorBuilder("AES-128-CBC")
                  .setProvider(new BouncyCastleProvider())
                  .build(password)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, String text) {
    try {
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TestPki() {}
}
