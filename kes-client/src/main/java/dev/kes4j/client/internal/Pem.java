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
import java.util.Objects;
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
   * The CA certificates of a PEM file, or of every PEM file in a directory (files without a
   * certificate are skipped there), as {@code MINIO_KMS_KES_CAPATH} allows.
   *
   * @throws KesConfigException if the path cannot be read or holds no certificate
   */
  public static List<X509Certificate> readTrusted(Path path) {
    if (!Files.isDirectory(path)) {
      return readCertificates(path);
    }
    List<X509Certificate> out = new ArrayList<>();
    try (java.util.stream.Stream<Path> files = Files.list(path)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        if (Files.isRegularFile(f) && read(f).contains("-----BEGIN CERTIFICATE-----")) {
          out.addAll(readCertificates(f));
        }
      }
    } catch (IOException e) {
      throw new KesConfigException("cannot read " + path + ": " + e, e);
    }
    if (out.isEmpty()) {
      throw new KesConfigException("no PEM certificate found in the directory " + path);
    }
    return out;
  }

  /**
   * A client identity: a private key and its certificate chain (leaf first).
   *
   * @param key the private key (a JDK key)
   * @param chain the chain, leaf first, never empty
   */
  public record KeyPair(PrivateKey key, List<X509Certificate> chain) {
    /** Validates and copies. */
    public KeyPair {
      Objects.requireNonNull(key, "key");
      chain = List.copyOf(chain);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("empty certificate chain");
      }
    }

    @Override
    public String toString() {
      return "KeyPair[" + chain.get(0).getSubjectX500Principal() + "]"; // never the key
    }
  }

  /**
   * Reads a certificate file and a private key file and checks that they belong together. Files
   * given the wrong way round (a key in the certificate file and a certificate in the key file) are
   * reported as swapped, and a certificate of another key as not belonging to the key.
   *
   * @param password for an encrypted key; null if it is not encrypted
   * @throws KesConfigException if a file cannot be read or parsed, the files look swapped, or the
   *     certificate's public key does not match the private key
   */
  public static KeyPair readKeyPair(Path certificateFile, Path privateKeyFile, char[] password) {
    String certText = read(certificateFile);
    String keyText = read(privateKeyFile);
    boolean certHoldsKey = holdsPrivateKey(certText);
    boolean certHoldsCert = certText.contains("-----BEGIN CERTIFICATE-----");
    boolean keyHoldsKey = holdsPrivateKey(keyText);
    boolean keyHoldsCert = keyText.contains("-----BEGIN CERTIFICATE-----");
    if (!certHoldsCert && certHoldsKey && !keyHoldsKey && keyHoldsCert) {
      throw new KesConfigException(
          "the certificate file "
              + certificateFile
              + " and the private key file "
              + privateKeyFile
              + " look swapped: "
              + certificateFile
              + " holds a private key and "
              + privateKeyFile
              + " a certificate");
    }
    if (!certHoldsCert && certHoldsKey) {
      throw new KesConfigException(
          "the certificate file " + certificateFile + " holds a private key, not a certificate");
    }
    if (!keyHoldsKey && keyHoldsCert) {
      throw new KesConfigException(
          "the private key file " + privateKeyFile + " holds a certificate, not a private key");
    }
    PrivateKey key = parsePrivateKey(keyText, password, privateKeyFile.toString());
    List<X509Certificate> chain = parseCertificates(certText, certificateFile.toString());
    checkPair(key, chain.get(0), privateKeyFile.toString(), certificateFile.toString());
    return new KeyPair(key, chain);
  }

  private static boolean holdsPrivateKey(String pem) {
    return java.util.regex.Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----")
        .matcher(pem)
        .find();
  }

  /**
   * Checks that {@code cert} certifies the public key of {@code key}: by signing a fixed message
   * with the key and verifying it with the certificate (RSASSA-PSS keys only by algorithm family).
   *
   * @throws KesConfigException if it does not, naming both sources
   */
  public static void checkPair(
      PrivateKey key, X509Certificate cert, String keySource, String certSource) {
    String k = family(key.getAlgorithm());
    String c = family(cert.getPublicKey().getAlgorithm());
    String mismatch =
        "the certificate in " + certSource + " does not belong to the private key in " + keySource;
    if (!k.equals(c)) {
      throw new KesConfigException(
          mismatch + " (" + cert.getPublicKey().getAlgorithm() + " vs " + key.getAlgorithm() + ")");
    }
    String algorithm;
    switch (k) {
      case "EC":
        algorithm = "SHA256withECDSA";
        break;
      case "RSA":
        if (!key.getAlgorithm().equalsIgnoreCase("RSA")
            || !cert.getPublicKey().getAlgorithm().equalsIgnoreCase("RSA")) {
          return; // RSASSA-PSS: parameters vary; the family check above must do
        }
        algorithm = "SHA256withRSA";
        break;
      case "EDDSA":
        algorithm = key.getAlgorithm().equalsIgnoreCase("Ed448") ? "Ed448" : "Ed25519";
        break;
      default:
        return;
    }
    byte[] message = "kes4j key pair check".getBytes(StandardCharsets.US_ASCII);
    try {
      java.security.Signature signer = java.security.Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(message);
      byte[] signature = signer.sign();
      java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(message);
      if (!verifier.verify(signature)) {
        throw new KesConfigException(mismatch);
      }
    } catch (GeneralSecurityException e) {
      throw new KesConfigException(mismatch + " (" + e.getMessage() + ")");
    }
  }

  /** The key family of a JCA algorithm name: EC, RSA, EDDSA, or the name upper-cased. */
  public static String family(String algorithm) {
    String a = algorithm.toUpperCase(java.util.Locale.ROOT);
    if (a.startsWith("EC")) {
      return "EC";
    }
    if (a.startsWith("RSA")) {
      return "RSA"; // RSASSA-PSS too
    }
    if (a.equals("EDDSA") || a.equals("ED25519") || a.equals("ED448")) {
      return "EDDSA";
    }
    return a;
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
