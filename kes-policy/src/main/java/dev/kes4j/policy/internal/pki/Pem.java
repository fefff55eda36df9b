package dev.kes4j.policy.internal.pki;

import dev.kes4j.api.KesConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

// Over 600 lines: the one PEM codec of kes4j (certificates, every private-key encoding Go KES
// reads, legacy and PKCS#8 encryption, key/certificate matching) with one set of Go's messages.
/**
 * kes4j's one PEM codec, JDK only: TLS private keys and certificates as Go KES reads them ({@code
 * tls.key}/{@code tls.cert}, the client's key and certificate files, CA files), and PEM text of
 * what kes4j writes.
 *
 * <p>Private keys: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA, SEC1 EC (recognised by structure, as
 * Go's {@code tls.X509KeyPair} does, whatever the block type says); RSA, EC, Ed25519 and Ed448
 * keys; legacy OpenSSL encryption ({@code Proc-Type: 4,ENCRYPTED}, {@code DEK-Info} DES, 3DES or
 * AES-CBC: what {@code kes identity new --encrypt} writes) and, beyond Go, encrypted PKCS#8 ({@code
 * ENCRYPTED PRIVATE KEY}: PBES2 with PBKDF2 and AES or 3DES, or the JDK's PBES1 schemes). A key
 * file may also hold certificates; the first key block is used.
 *
 * <p>Errors are {@link KesConfigException}s whose messages are Go KES's ({@code https.…}, {@code
 * tls.X509KeyPair}, {@code x509.DecryptPEMBlock}), prefixed with the file they are about: never key
 * material or the password. Passwords are {@code char[]} and are not copied into strings. Stateless
 * and thread-safe; the {@code read} methods block on file I/O.
 */
public final class Pem {
  static final String NO_VALID_PEM = "https: no valid PEM data";
  static final String UNSUPPORTED_BLOCK = "https: unsupported PEM data block";
  static final String NO_KEY = "https: no PEM-encoded private key found";
  static final String PASSWORD_REQUIRED = "https: private key is encrypted: password required";
  static final String WRONG_PASSWORD = "x509: decryption password incorrect";
  static final String UNKNOWN_ENCRYPTION = "x509: unknown encryption mode";
  static final String BAD_KEY = "tls: failed to parse private key";
  static final String NO_CERTIFICATE = "tls: failed to find any PEM data in certificate input";
  static final String BAD_CERTIFICATE = "x509: malformed certificate";
  static final String KEY_TYPE_MISMATCH = "tls: private key type does not match public key type";
  static final String KEY_MISMATCH = "tls: private key does not match public key";

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([^\\r\\n]*?)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final Pattern HEADER = Pattern.compile("([^:\\r\\n]+):[ \\t]*([^\\r\\n]*)");

  /** PBKDF2 rounds beyond any real key file (OpenSSL writes 2048): refused, not computed. */
  private static final int MAX_ITERATIONS = 10_000_000;

  private static final String OID_RSA = "1.2.840.113549.1.1.1";
  private static final String OID_EC = "1.2.840.10045.2.1";
  private static final String OID_PBES2 = "1.2.840.113549.1.5.13";
  private static final String OID_PBKDF2 = "1.2.840.113549.1.5.12";

  private Pem() {}

  /** A private key and the certificate chain that goes with it (leaf first). */
  public record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {
    /** Copies the chain. */
    public KeyAndChain {
      chain = List.copyOf(chain);
    }

    @Override
    public String toString() {
      return "KeyAndChain[" + chain.get(0).getSubjectX500Principal() + ", key=<redacted>]";
    }
  }

  /** A PEM block: type, headers and decoded bytes. */
  private record Block(String type, Map<String, String> headers, byte[] bytes) {}

  // ---------------------------------------------------------------- certificates

  /**
   * The certificates of a PEM file, in file order (leaf first for a chain). Every block must be a
   * {@code CERTIFICATE}.
   *
   * @throws KesConfigException if the file is unreadable, holds no certificate, holds another kind
   *     of block or text that is not PEM, or a certificate does not parse
   */
  public static List<X509Certificate> readCertificates(Path file) {
    return parseCertificates(read(file, "certificate"), "certificate file '" + file + "'");
  }

  /**
   * Trusted (CA) certificates from a PEM file, or from every PEM file of a directory, as KES's
   * {@code tls.ca} and MinIO's {@code MINIO_KMS_KES_CAPATH} allow; in a directory, files that hold
   * no certificate are skipped (as Go's pool loading does).
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
        if (Files.isRegularFile(f)) {
          try {
            out.addAll(readCertificates(f));
          } catch (KesConfigException e) {
            // not a certificate file: skipped
          }
        }
      }
    } catch (IOException e) {
      throw new KesConfigException(
          "cannot read CA directory '" + path + "': " + e.getClass().getSimpleName(), e);
    }
    if (out.isEmpty()) {
      throw new KesConfigException("no CA certificate found in '" + path + "'");
    }
    return out;
  }

  /**
   * Like {@link #readCertificates} for PEM text; {@code source} names it in errors (for example
   * {@code "certificate file 'x.pem'"} or {@code "stdin"}).
   *
   * @throws KesConfigException as {@link #readCertificates}
   */
  public static List<X509Certificate> parseCertificates(String text, String source) {
    List<X509Certificate> out = new ArrayList<>();
    CertificateFactory cf = x509Factory();
    for (Block b : blocks(text, source)) {
      if (!b.type().equals("CERTIFICATE")) {
        throw error(source, UNSUPPORTED_BLOCK);
      }
      try {
        out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.bytes())));
      } catch (CertificateException | ClassCastException e) {
        throw error(source, BAD_CERTIFICATE);
      }
    }
    if (out.isEmpty()) {
      throw error(source, NO_CERTIFICATE);
    }
    return out;
  }

  // ---------------------------------------------------------------- private keys

  /**
   * The first private key of a PEM file, decrypted with {@code password} if it is encrypted.
   *
   * @param password null or empty if the key is not encrypted; not kept, not modified
   * @throws KesConfigException if the file is unreadable, is not PEM, holds a block that is neither
   *     a key nor a certificate, holds no key, or the key is encrypted and the password is missing
   *     or wrong, or the key does not parse
   */
  public static PrivateKey readPrivateKey(Path file, char[] password) {
    return parsePrivateKey(read(file, "private key"), password, "private key file '" + file + "'");
  }

  /**
   * Like {@link #readPrivateKey} for PEM text; {@code source} names it in errors.
   *
   * @throws KesConfigException as {@link #readPrivateKey}
   */
  public static PrivateKey parsePrivateKey(String text, char[] password, String source) {
    List<Block> blocks = blocks(text, source);
    for (Block b : blocks) {
      if (!b.type().equals("CERTIFICATE") && !isKeyType(b.type())) {
        throw error(source, UNSUPPORTED_BLOCK);
      }
    }
    for (Block b : blocks) {
      if (isKeyType(b.type())) {
        return privateKey(b, password, source);
      }
    }
    throw error(source, NO_KEY);
  }

  /**
   * Reads a key pair as Go's {@code tls.X509KeyPair} does: the chain from {@code certFile}, the key
   * from {@code keyFile}, and checks that the key belongs to the leaf certificate.
   *
   * @throws KesConfigException as {@link #readCertificates} and {@link #readPrivateKey}, or if the
   *     key does not belong to the leaf certificate
   */
  public static KeyAndChain readKeyPair(Path certFile, Path keyFile, char[] password) {
    String certText = read(certFile, "certificate");
    String keyText = read(keyFile, "private key");
    boolean certFileHoldsKey = PRIVATE_KEY_BLOCK.matcher(certText).find();
    boolean keyFileHoldsCert = keyText.contains("-----BEGIN CERTIFICATE-----");
    if (certFileHoldsKey && keyFileHoldsCert && !PRIVATE_KEY_BLOCK.matcher(keyText).find()) {
      throw new KesConfigException(
          "certificate file '"
              + certFile
              + "' and private key file '"
              + keyFile
              + "' look swapped: the first holds a private key, the second a certificate");
    }
    List<X509Certificate> chain =
        parseCertificates(certText, "certificate file '" + certFile + "'");
    PrivateKey key = parsePrivateKey(keyText, password, "private key file '" + keyFile + "'");
    requireMatch(key, chain.get(0), "certificate file '" + certFile + "'");
    return new KeyAndChain(key, chain);
  }

  /**
   * Checks that {@code key} is the private key of {@code leaf} (same type; for RSA the same
   * modulus, otherwise a signature by the key that the certificate's public key verifies).
   *
   * @throws KesConfigException with Go's {@code tls: private key (type) does not match public key
   *     (type)}, prefixed with {@code source}
   */
  public static void requireMatch(PrivateKey key, X509Certificate leaf, String source) {
    PublicKey pub = leaf.getPublicKey();
    String family = family(key.getAlgorithm());
    if (!family.equals(family(pub.getAlgorithm()))) {
      throw error(source, KEY_TYPE_MISMATCH);
    }
    boolean match;
    if (family.equals("RSA")) {
      match =
          key instanceof RSAKey k
              && pub instanceof RSAKey p
              && k.getModulus().equals(p.getModulus());
    } else {
      match = signs(key, pub);
    }
    if (!match) {
      throw error(source, KEY_MISMATCH);
    }
  }

  /**
   * The key family of a JCA key algorithm or JSSE key type name: {@code RSA} (RSASSA-PSS too),
   * {@code EC} (ECDSA too), {@code EdDSA} (Ed25519, Ed448), otherwise the name itself.
   */
  public static String family(String algorithm) {
    switch (algorithm.toUpperCase(Locale.ROOT)) {
      case "RSA":
      case "RSASSA-PSS":
        return "RSA";
      case "EC":
      case "ECDSA":
        return "EC";
      case "EDDSA":
      case "ED25519":
      case "ED448":
        return "EdDSA";
      default:
        return algorithm;
    }
  }

  private static boolean signs(PrivateKey key, PublicKey pub) {
    String alg =
        family(key.getAlgorithm()).equals("EC")
            ? "SHA256withECDSA"
            : key.getAlgorithm().equalsIgnoreCase("Ed448") ? "Ed448" : "EdDSA";
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    try {
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(challenge);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(challenge);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false; // e.g. Ed25519 key, Ed448 certificate
    }
  }

  private static boolean isKeyType(String type) {
    return type.equals("PRIVATE KEY") || type.endsWith(" PRIVATE KEY");
  }

  private static PrivateKey privateKey(Block b, char[] password, String source) {
    boolean legacy = b.headers().containsKey("DEK-Info");
    boolean pkcs8 = b.type().equals("ENCRYPTED PRIVATE KEY");
    if (!legacy && !pkcs8) {
      return parseKey(b.bytes(), source, BAD_KEY);
    }
    if (password == null || password.length == 0) {
      throw error(source, PASSWORD_REQUIRED);
    }
    byte[] der = legacy ? decryptLegacy(b, password, source) : decryptPkcs8(b, password, source);
    try {
      // a wrong password that happens to leave valid padding yields garbage: say so
      return parseKey(der, source, WRONG_PASSWORD);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /** PKCS#1, PKCS#8 or SEC1 DER, told apart by structure as Go does. */
  private static PrivateKey parseKey(byte[] der, String source, String failure) {
    byte[] pkcs8 = null;
    try {
      List<Der.Tlv> c = Der.Tlv.parse(der).expect(0x30).children();
      String algorithm;
      if (c.size() >= 9 && c.stream().allMatch(t -> t.tag() == 0x02)) { // RSAPrivateKey
        algorithm = "RSA";
        pkcs8 =
            Der.sequence(
                Der.integer(BigInteger.ZERO),
                Der.sequence(Der.oid(OID_RSA), Der.nul()),
                Der.octetString(der));
      } else if (c.size() >= 3 && c.get(0).tag() == 0x02 && c.get(1).tag() == 0x30) { // PKCS#8
        algorithm = pkcs8Algorithm(c.get(1).children().get(0).oid());
      } else if (c.size() >= 2 && c.get(0).integer().equals(BigInteger.ONE)) { // ECPrivateKey
        c.get(1).expect(0x04);
        String curve = null;
        for (Der.Tlv t : c.subList(2, c.size())) {
          if (t.tag() == 0xa0) {
            curve = Der.Tlv.parse(t.content()).oid();
          }
        }
        if (curve == null) {
          throw new IllegalArgumentException("EC private key without curve");
        }
        algorithm = "EC";
        pkcs8 =
            Der.sequence(
                Der.integer(BigInteger.ZERO),
                Der.sequence(Der.oid(OID_EC), Der.oid(curve)),
                Der.octetString(der));
      } else {
        throw new IllegalArgumentException("not a private key");
      }
      PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8 != null ? pkcs8 : der);
      return KeyFactory.getInstance(algorithm).generatePrivate(spec);
    } catch (IllegalArgumentException | IndexOutOfBoundsException | GeneralSecurityException e) {
      throw error(source, failure);
    } finally {
      if (pkcs8 != null) {
        Arrays.fill(pkcs8, (byte) 0);
      }
    }
  }

  private static String pkcs8Algorithm(String oid) {
    switch (oid) {
      case OID_RSA:
        return "RSA";
      case "1.2.840.113549.1.1.10":
        return "RSASSA-PSS";
      case OID_EC:
        return "EC";
      case "1.3.101.112":
        return "Ed25519";
      case "1.3.101.113":
        return "Ed448";
      default:
        throw new IllegalArgumentException("unknown private key algorithm");
    }
  }

  // ---------------------------------------------------------------- decryption

  /** RFC 1423 as OpenSSL and Go do it: key = EVP_BytesToKey(MD5, salt = IV[0..8], 1 round). */
  private static byte[] decryptLegacy(Block b, char[] password, String source) {
    String[] dek = b.headers().get("DEK-Info").split(",", 2);
    String transformation;
    String keyAlg;
    int keyLen;
    switch (dek[0].trim().toUpperCase(Locale.ROOT)) {
      case "DES-CBC":
        transformation = "DES/CBC/NoPadding";
        keyAlg = "DES";
        keyLen = 8;
        break;
      case "DES-EDE3-CBC":
        transformation = "DESede/CBC/NoPadding";
        keyAlg = "DESede";
        keyLen = 24;
        break;
      case "AES-128-CBC":
        transformation = "AES/CBC/NoPadding";
        keyAlg = "AES";
        keyLen = 16;
        break;
      case "AES-192-CBC":
        transformation = "AES/CBC/NoPadding";
        keyAlg = "AES";
        keyLen = 24;
        break;
      case "AES-256-CBC":
        transformation = "AES/CBC/NoPadding";
        keyAlg = "AES";
        keyLen = 32;
        break;
      default:
        throw error(source, UNKNOWN_ENCRYPTION);
    }
    int blockSize = keyAlg.equals("AES") ? 16 : 8;
    byte[] iv;
    try {
      iv = dek.length == 2 ? hex(dek[1].trim()) : new byte[0];
    } catch (IllegalArgumentException e) {
      throw error(source, "x509: incorrect IV size");
    }
    if (iv.length != blockSize) {
      throw error(source, "x509: incorrect IV size");
    }
    byte[] data = b.bytes();
    if (data.length == 0 || data.length % blockSize != 0) {
      throw error(source, "x509: encrypted PEM data is not a multiple of the block size");
    }
    byte[] pw = utf8(password);
    byte[] key = evpBytesToKey(pw, Arrays.copyOf(iv, 8), keyLen);
    Arrays.fill(pw, (byte) 0);
    byte[] plain;
    try {
      Cipher cipher = Cipher.getInstance(transformation);
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, keyAlg), new IvParameterSpec(iv));
      plain = cipher.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw error(source, UNKNOWN_ENCRYPTION);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    int pad = plain[plain.length - 1] & 0xff;
    boolean ok = pad >= 1 && pad <= blockSize;
    for (int i = 0; ok && i < pad; i++) {
      ok = (plain[plain.length - 1 - i] & 0xff) == pad;
    }
    if (!ok) {
      Arrays.fill(plain, (byte) 0);
      throw error(source, WRONG_PASSWORD);
    }
    byte[] out = Arrays.copyOf(plain, plain.length - pad);
    Arrays.fill(plain, (byte) 0);
    return out;
  }

  private static byte[] evpBytesToKey(byte[] password, byte[] salt, int keyLen) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      byte[] key = new byte[keyLen];
      byte[] prev = new byte[0];
      int n = 0;
      while (n < keyLen) {
        md5.update(prev);
        md5.update(password);
        md5.update(salt);
        Arrays.fill(prev, (byte) 0);
        prev = md5.digest();
        int take = Math.min(prev.length, keyLen - n);
        System.arraycopy(prev, 0, key, n, take);
        n += take;
      }
      Arrays.fill(prev, (byte) 0);
      return key;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 is not available", e);
    }
  }

  /** Encrypted PKCS#8: PBES2 (PBKDF2 + AES/3DES/DES-CBC) read here, PBES1 left to the JDK. */
  private static byte[] decryptPkcs8(Block b, char[] password, String source) {
    List<Der.Tlv> epki;
    List<Der.Tlv> algId;
    String scheme;
    try {
      epki = Der.Tlv.parse(b.bytes()).expect(0x30).children();
      algId = epki.get(0).expect(0x30).children();
      scheme = algId.get(0).oid();
      epki.get(1).expect(0x04);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw error(source, BAD_KEY);
    }
    if (!scheme.equals(OID_PBES2)) {
      return decryptPbes1(b.bytes(), password, source);
    }
    SecretKeySpec key = null;
    try {
      List<Der.Tlv> params = algId.get(1).expect(0x30).children();
      List<Der.Tlv> kdf = params.get(0).expect(0x30).children();
      if (!kdf.get(0).oid().equals(OID_PBKDF2)) {
        throw error(source, UNKNOWN_ENCRYPTION);
      }
      List<Der.Tlv> pbkdf2 = kdf.get(1).expect(0x30).children();
      byte[] salt = pbkdf2.get(0).expect(0x04).content();
      int iterations = pbkdf2.get(1).integer().intValueExact();
      if (iterations < 1 || iterations > MAX_ITERATIONS) {
        throw error(source, UNKNOWN_ENCRYPTION);
      }
      String prf = "HmacSHA1";
      for (Der.Tlv t : pbkdf2.subList(2, pbkdf2.size())) {
        if (t.tag() == 0x30) {
          prf = prf(t.children().get(0).oid(), source);
        }
      }
      List<Der.Tlv> enc = params.get(1).expect(0x30).children();
      String encOid = enc.get(0).oid();
      byte[] iv = enc.get(1).expect(0x04).content();
      String keyAlg;
      int keyLen;
      switch (encOid) {
        case "2.16.840.1.101.3.4.1.2":
          keyAlg = "AES";
          keyLen = 16;
          break;
        case "2.16.840.1.101.3.4.1.22":
          keyAlg = "AES";
          keyLen = 24;
          break;
        case "2.16.840.1.101.3.4.1.42":
          keyAlg = "AES";
          keyLen = 32;
          break;
        case "1.2.840.113549.3.7":
          keyAlg = "DESede";
          keyLen = 24;
          break;
        case "1.3.14.3.2.7":
          keyAlg = "DES";
          keyLen = 8;
          break;
        default:
          throw error(source, UNKNOWN_ENCRYPTION);
      }
      PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, keyLen * 8);
      byte[] raw;
      try {
        raw = SecretKeyFactory.getInstance("PBKDF2With" + prf).generateSecret(spec).getEncoded();
      } finally {
        spec.clearPassword();
      }
      key = new SecretKeySpec(raw, keyAlg);
      Arrays.fill(raw, (byte) 0);
      Cipher cipher = Cipher.getInstance(keyAlg + "/CBC/PKCS5Padding");
      cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(iv));
      return cipher.doFinal(epki.get(1).content());
    } catch (javax.crypto.BadPaddingException e) {
      throw error(source, WRONG_PASSWORD);
    } catch (IllegalArgumentException
        | IndexOutOfBoundsException
        | ArithmeticException
        | GeneralSecurityException e) {
      throw error(source, UNKNOWN_ENCRYPTION);
    } finally {
      destroy(key);
    }
  }

  private static String prf(String oid, String source) {
    switch (oid) {
      case "1.2.840.113549.2.7":
        return "HmacSHA1";
      case "1.2.840.113549.2.8":
        return "HmacSHA224";
      case "1.2.840.113549.2.9":
        return "HmacSHA256";
      case "1.2.840.113549.2.10":
        return "HmacSHA384";
      case "1.2.840.113549.2.11":
        return "HmacSHA512";
      default:
        throw error(source, UNKNOWN_ENCRYPTION);
    }
  }

  private static byte[] decryptPbes1(byte[] der, char[] password, String source) {
    EncryptedPrivateKeyInfo info;
    SecretKeyFactory factory;
    try {
      info = new EncryptedPrivateKeyInfo(der);
      factory = SecretKeyFactory.getInstance(info.getAlgName());
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw error(source, UNKNOWN_ENCRYPTION);
    }
    PBEKeySpec spec = new PBEKeySpec(password);
    SecretKey key = null;
    try {
      key = factory.generateSecret(spec);
      Cipher cipher = Cipher.getInstance(info.getAlgName());
      cipher.init(Cipher.DECRYPT_MODE, key, info.getAlgParameters());
      return info.getKeySpec(cipher).getEncoded();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw error(source, WRONG_PASSWORD);
    } finally {
      spec.clearPassword();
      destroy(key);
    }
  }

  private static void destroy(SecretKey key) {
    if (key != null) {
      try {
        key.destroy();
      } catch (javax.security.auth.DestroyFailedException e) {
        // the JDK's PBE and raw keys cannot always be destroyed; nothing else holds them
      }
    }
  }

  // ---------------------------------------------------------------- PEM text

  /**
   * The blocks of PEM text, as Go's {@code https.FilterPEM} sees them: text before a block is
   * skipped, anything but white space after the last block, or a malformed block, is an error.
   */
  private static List<Block> blocks(String text, String source) {
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    int pos = 0;
    while (m.find()) {
      out.add(block(m.group(1), m.group(2), source));
      pos = m.end();
    }
    if (!text.substring(pos).isBlank()) {
      throw error(source, NO_VALID_PEM);
    }
    return out;
  }

  private static Block block(String type, String body, String source) {
    Map<String, String> headers = new HashMap<>();
    String[] lines = body.split("\\r?\\n", -1);
    int i = 0;
    if (lines.length > 0 && lines[0].indexOf(':') >= 0) {
      for (; i < lines.length && !lines[i].isBlank(); i++) {
        Matcher h = HEADER.matcher(lines[i]);
        if (!h.matches()) {
          throw error(source, NO_VALID_PEM);
        }
        headers.put(h.group(1).trim(), h.group(2).trim());
      }
    }
    StringBuilder b64 = new StringBuilder();
    for (; i < lines.length; i++) {
      b64.append(lines[i].strip());
    }
    try {
      return new Block(type, headers, Base64.getDecoder().decode(b64.toString()));
    } catch (IllegalArgumentException e) {
      throw error(source, NO_VALID_PEM);
    }
  }

  /** PEM text ({@code CERTIFICATE}) of a certificate. */
  public static String encode(X509Certificate cert) {
    try {
      return encode("CERTIFICATE", cert.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode certificate", e);
    }
  }

  /** PEM text ({@code PRIVATE KEY}, PKCS#8) of a private key. Treat the result as a secret. */
  public static String encode(PrivateKey key) {
    byte[] der = key.getEncoded();
    try {
      return encode("PRIVATE KEY", der);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * Writes PEM text to {@code file}, replacing it atomically: the text goes to a temporary file
   * beside it, which is then moved into place. A {@code secret} (a private key) is created with
   * mode 0600 from the start where the file system is POSIX, so it is never readable by others, not
   * even briefly. Blocks on file I/O.
   *
   * @throws IOException if the file cannot be written; no temporary file is left behind
   */
  public static void write(Path file, String pem, boolean secret) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (secret && tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    try {
      Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String encode(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }

  // ---------------------------------------------------------------- helpers

  private static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KesConfigException(
          "cannot read " + what + " file '" + file + "': " + e.getClass().getSimpleName(), e);
    }
  }

  private static final Pattern PRIVATE_KEY_BLOCK =
      Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----");

  private static KesConfigException error(String source, String message) {
    return new KesConfigException(source + ": " + message);
  }

  private static CertificateFactory x509Factory() {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
    }
  }

  private static byte[] utf8(char[] password) {
    java.nio.ByteBuffer bb = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
    byte[] out = new byte[bb.remaining()];
    bb.get(out);
    if (bb.hasArray()) {
      Arrays.fill(bb.array(), (byte) 0);
    }
    return out;
  }

  private static byte[] hex(String s) {
    if (s.length() % 2 != 0) {
      throw new IllegalArgumentException("odd hex");
    }
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(s.charAt(2 * i), 16);
      int lo = Character.digit(s.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("not hex");
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }
}
