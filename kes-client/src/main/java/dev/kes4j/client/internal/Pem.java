package dev.kes4j.client.internal;

import dev.kes4j.api.KesConfigException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads PEM certificates and private keys with Bouncy Castle: PKCS#8 ({@code PRIVATE KEY}),
 * encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}) and OpenSSL's traditional {@code EC/RSA PRIVATE
 * KEY} forms, encrypted ones ({@code DEK-Info}) included. Keys become JDK keys (so that the JDK's
 * TLS can sign with them); Bouncy Castle's provider is used only to decrypt, never registered.
 * Error messages name the file, never key material. Thread-safe.
 */
public final class Pem {
  private static final String ID_EC = "1.2.840.10045.2.1";
  private static final String ID_RSA = "1.2.840.113549.1.1.1";
  private static final String ID_RSA_PSS = "1.2.840.113549.1.1.10";
  private static final String ID_ED25519 = "1.3.101.112";
  private static final String ID_ED448 = "1.3.101.113";

  private Pem() {}

  private static final class Bc {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }

  /**
   * Every certificate in a PEM file, in file order (leaf first for a chain).
   *
   * @throws KesConfigException if the file cannot be read or holds no certificate
   */
  public static List<X509Certificate> readCertificates(Path file) {
    return parseCertificates(read(file), file.toString());
  }

  /**
   * Every certificate in PEM text.
   *
   * @throws KesConfigException if the text holds no valid certificate
   */
  public static List<X509Certificate> parseCertificates(String pem, String source) {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof X509CertificateHolder) {
          out.add(converter.getCertificate((X509CertificateHolder) o));
        }
      }
    } catch (IOException | CertificateException e) {
      throw new KesConfigException(
          "cannot parse certificates in " + source + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new KesConfigException("no PEM certificate found in " + source);
    }
    return out;
  }

  /**
   * The first private key in a PEM file.
   *
   * @param password for an encrypted key; null or empty if the key is not encrypted
   * @throws KesConfigException if the file cannot be read, holds no key, the key is encrypted and
   *     no or a wrong password was given, or its algorithm is unknown
   */
  public static PrivateKey readPrivateKey(Path file, char[] password) {
    return parsePrivateKey(read(file), password, file.toString());
  }

  /** Like {@link #readPrivateKey} for PEM text; {@code source} names it in errors. */
  public static PrivateKey parsePrivateKey(String pem, char[] password, String source) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        PrivateKeyInfo info = null;
        if (o instanceof PrivateKeyInfo) {
          info = (PrivateKeyInfo) o;
        } else if (o instanceof PEMKeyPair) {
          info = ((PEMKeyPair) o).getPrivateKeyInfo();
        } else if (o instanceof PKCS8EncryptedPrivateKeyInfo) {
          requirePassword(password, source);
          info =
              ((PKCS8EncryptedPrivateKeyInfo) o)
                  .decryptPrivateKeyInfo(
                      new JceOpenSSLPKCS8DecryptorProviderBuilder()
                          .setProvider(Bc.PROVIDER)
                          .build(password));
        } else if (o instanceof PEMEncryptedKeyPair) {
          requirePassword(password, source);
          info =
              ((PEMEncryptedKeyPair) o)
                  .decryptKeyPair(
                      new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password))
                  .getPrivateKeyInfo();
        }
        if (info != null) {
          return toJdkKey(info, source);
        }
      }
    } catch (PKCSException | OperatorCreationException e) {
      throw new KesConfigException(
          "cannot decrypt the private key in " + source + ": wrong password?", null);
    } catch (IOException e) {
      // BC reports a failed decryption of a traditional key as an IOException subtype
      if (e.getClass().getName().startsWith("org.bouncycastle.openssl.")) {
        throw new KesConfigException(
            "cannot decrypt the private key in " + source + ": wrong password?", null);
      }
      throw new KesConfigException("cannot parse the private key in " + source, null);
    }
    throw new KesConfigException("no PEM private key found in " + source);
  }

  private static void requirePassword(char[] password, String source) {
    if (password == null || password.length == 0) {
      throw new KesConfigException(
          "the private key in " + source + " is encrypted: a password is required");
    }
  }

  private static PrivateKey toJdkKey(PrivateKeyInfo info, String source) {
    String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
    String algorithm;
    switch (oid) {
      case ID_EC:
        algorithm = "EC";
        break;
      case ID_RSA:
        algorithm = "RSA";
        break;
      case ID_RSA_PSS:
        algorithm = "RSASSA-PSS";
        break;
      case ID_ED25519:
        algorithm = "Ed25519";
        break;
      case ID_ED448:
        algorithm = "Ed448";
        break;
      default:
        throw new KesConfigException("unsupported private key algorithm " + oid + " in " + source);
    }
    byte[] der = null;
    try {
      der = info.getEncoded();
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IOException | GeneralSecurityException e) {
      throw new KesConfigException("invalid " + algorithm + " private key in " + source, e);
    } finally {
      if (der != null) {
        Arrays.fill(der, (byte) 0);
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KesConfigException("cannot read " + file + ": " + e, e);
    }
  }
}
