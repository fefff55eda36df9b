package dev.kes4j.api;

import dev.kes4j.api.internal.Der;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A KES identity: the lowercase hex SHA-256 of a certificate's DER SubjectPublicKeyInfo (spec
 * §2.1). The same public key always yields the same identity, whatever certificate carries it.
 *
 * <p>An identity may also hold a configured value that is not a hash (such as {@code disabled} for
 * a disabled admin); {@link #isHash()} tells the two apart. Identities are public values, but they
 * are compared in constant time anyway. Immutable and thread-safe.
 */
public final class Identity implements Comparable<Identity> {
  private final String value;
  private final byte[] bytes;

  private Identity(String value) {
    this.value = value;
    this.bytes = value.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * An identity from its string form, as written in a KES config.
   *
   * @throws IllegalArgumentException if {@code value} is empty
   */
  public static Identity of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("identity must not be empty");
    }
    return new Identity(value);
  }

  /**
   * The identity of a certificate: SHA-256 over the SubjectPublicKeyInfo exactly as encoded in the
   * certificate (not re-encoded), for any key type.
   *
   * @throws IllegalArgumentException if the certificate cannot be encoded or parsed
   */
  public static Identity of(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    try {
      return ofSubjectPublicKeyInfo(Der.subjectPublicKeyInfo(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot encode certificate", e);
    }
  }

  /**
   * The identity of a DER-encoded SubjectPublicKeyInfo (such as {@code PublicKey.getEncoded()}).
   */
  public static Identity ofSubjectPublicKeyInfo(byte[] spki) {
    Objects.requireNonNull(spki, "spki");
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(spki);
      return new Identity(HexFormat.of().formatHex(hash));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The string form: 64 lowercase hex characters for a certificate identity. */
  public String value() {
    return value;
  }

  /** Whether this is a certificate identity (64 lowercase hex characters). */
  public boolean isHash() {
    if (value.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Identity other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public int compareTo(Identity o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
