package dev.kes4j.server.internal;

import dev.kes4j.api.KesConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMDecryptorProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reads and writes PEM files with Bouncy Castle: certificate chains, and private keys in every form
 * KES accepts (PKCS#8, encrypted PKCS#8, traditional {@code EC/RSA PRIVATE KEY}, encrypted
 * traditional). Errors are {@link KesConfigException}s naming the file, never the key or password.
 * Thread-safe; blocks on file I/O.
 */
public final class Pem {
  /**
   * Bouncy Castle's JCA provider, not registered globally: only the PEM decryptors use it (PBES2
   * AES-CBC needs PKCS7Padding). Created on first use — building it loads ~500 classes, which
   * {@code server --dev} (writing, never decrypting, PEM files) should not pay for at startup.
   */
  private static final class Bc {
    static final java.security.Provider PROVIDER =
        new org.bouncycastle.jce.provider.BouncyCastleProvider();
  }

  private Pem() {}

  /**
   * The certificates of a PEM file, leaf first.
   *
   * @throws KesConfigException if the file is unreadable or holds no certificate
   */
  public static List<X509Certificate> readCertificates(Path file) {
    String text = read(file, "certificate");
    try {
      List<X509Certificate> out = parseCertificates(text);
      if (out.isEmpty()) {
        throw new KesConfigException("no certificate found in '" + file + "'");
      }
      return out;
    } catch (IOException | CertificateException e) {
      throw new KesConfigException("invalid certificate file '" + file + "': " + e.getMessage(), e);
    }
  }

  /** The certificates in PEM text, in order. */
  public static List<X509Certificate> parseCertificates(String text)
      throws IOException, CertificateException {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof X509CertificateHolder h) {
          out.add(converter.getCertificate(h));
        }
      }
    }
    return out;
  }

  /**
   * The private key of a PEM file, decrypted with {@code password} when encrypted.
   *
   * @param password empty for unencrypted keys
   * @throws KesConfigException if the file is unreadable, holds no key, is encrypted and the
   *     password is missing or wrong
   */
  public static PrivateKey readPrivateKey(Path file, String password) {
    String text = read(file, "private key");
    try {
      return parsePrivateKey(new StringReader(text), password);
    } catch (KesConfigException e) {
      throw new KesConfigException(e.getMessage() + " in '" + file + "'");
    } catch (IOException | GeneralKeyException e) {
      throw new KesConfigException(
          "invalid private key file '" + file + "': " + e.getMessage(), null);
    }
  }

  /** Signals a key that cannot be decoded; never carries key material. */
  static final class GeneralKeyException extends Exception {
    private static final long serialVersionUID = 1L;

    GeneralKeyException(String message) {
      super(message, null, false, false);
    }
  }

  static PrivateKey parsePrivateKey(Reader reader, String password)
      throws IOException, GeneralKeyException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(reader)) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
          requirePassword(password);
          try {
            InputDecryptorProvider dec =
                new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(Bc.PROVIDER)
                    .build(password.toCharArray());
            return converter.getPrivateKey(enc.decryptPrivateKeyInfo(dec));
          } catch (OperatorCreationException | PKCSException e) {
            throw new GeneralKeyException("cannot decrypt the private key (wrong tls.password?)");
          }
        }
        if (o instanceof PEMEncryptedKeyPair enc) {
          requirePassword(password);
          try {
            PEMDecryptorProvider dec =
                new JcePEMDecryptorProviderBuilder()
                    .setProvider(Bc.PROVIDER)
                    .build(password.toCharArray());
            return converter.getKeyPair(enc.decryptKeyPair(dec)).getPrivate();
          } catch (PEMException e) {
            throw new GeneralKeyException("cannot decrypt the private key (wrong tls.password?)");
          }
        }
      }
    }
    throw new GeneralKeyException("no private key found");
  }

  private static void requirePassword(String password) throws GeneralKeyException {
    if (password == null || password.isEmpty()) {
      throw new GeneralKeyException("the private key is encrypted but no tls.password is set");
    }
  }

  private static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KesConfigException(
          "cannot read " + what + " file '" + file + "': " + e.getClass().getSimpleName(), e);
    }
  }

  /** PEM text of a certificate. */
  public static String encode(X509Certificate cert) {
    return write(cert);
  }

  /** PEM text ({@code PRIVATE KEY}, PKCS#8) of a private key. Treat the result as a secret. */
  public static String encode(PrivateKey key) {
    StringWriter sw = new StringWriter();
    try (PemWriter w = new PemWriter(sw)) {
      w.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode private key", e);
    }
    return sw.toString();
  }

  private static String write(Object o) {
    StringWriter sw = new StringWriter();
    try (PemWriter w = new PemWriter(sw)) {
      w.writeObject(new JcaMiscPEMGenerator(o));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + o.getClass().getSimpleName(), e);
    }
    return sw.toString();
  }
}
