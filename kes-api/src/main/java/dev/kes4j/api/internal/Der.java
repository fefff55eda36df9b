package dev.kes4j.api.internal;

import java.util.Arrays;

/** Just enough DER to cut the SubjectPublicKeyInfo out of an X.509 certificate, byte-exact. */
public final class Der {
  private Der() {}

  /**
   * Returns the exact DER bytes of the certificate's {@code subjectPublicKeyInfo} element.
   *
   * @throws IllegalArgumentException if the bytes are not a DER X.509 certificate
   */
  public static byte[] subjectPublicKeyInfo(byte[] certificate) {
    int[] cert = header(certificate, 0, 0x30); // Certificate ::= SEQUENCE
    int[] tbs = header(certificate, cert[0], 0x30); // TBSCertificate ::= SEQUENCE
    int pos = tbs[0];
    int end = tbs[0] + tbs[1];
    if (pos < end && (certificate[pos] & 0xff) == 0xa0) { // [0] EXPLICIT version
      pos = skip(certificate, pos);
    }
    // serialNumber, signature, issuer, validity, subject
    for (int i = 0; i < 5; i++) {
      pos = skip(certificate, pos);
    }
    int[] spki = header(certificate, pos, 0x30);
    int spkiEnd = spki[0] + spki[1];
    if (spkiEnd > end) {
      throw new IllegalArgumentException("malformed certificate");
    }
    return Arrays.copyOfRange(certificate, pos, spkiEnd);
  }

  private static int skip(byte[] der, int pos) {
    int[] h = header(der, pos, -1);
    return h[0] + h[1];
  }

  /** Returns {content offset, content length} of the TLV at pos, checking the tag if >= 0. */
  private static int[] header(byte[] der, int pos, int expectedTag) {
    if (pos + 2 > der.length) {
      throw new IllegalArgumentException("malformed certificate");
    }
    int tag = der[pos] & 0xff;
    if (expectedTag >= 0 && tag != expectedTag) {
      throw new IllegalArgumentException("malformed certificate");
    }
    int len = der[pos + 1] & 0xff;
    int off = pos + 2;
    if (len >= 0x80) {
      int n = len & 0x7f;
      if (n == 0 || n > 4 || off + n > der.length) {
        throw new IllegalArgumentException("malformed certificate");
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[off + i] & 0xff);
      }
      off += n;
      if (len < 0) {
        throw new IllegalArgumentException("malformed certificate");
      }
    }
    if ((long) off + len > der.length) {
      throw new IllegalArgumentException("malformed certificate");
    }
    return new int[] {off, len};
  }
}
