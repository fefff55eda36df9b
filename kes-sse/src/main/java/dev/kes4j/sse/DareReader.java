package dev.kes4j.sse;

import static dev.kes4j.sse.DareFormat.HEADER;
import static dev.kes4j.sse.DareFormat.MAX_PACKAGES;
import static dev.kes4j.sse.DareFormat.MAX_PAYLOAD;
import static dev.kes4j.sse.DareFormat.NONCE;
import static dev.kes4j.sse.DareFormat.TAG;

import dev.kes4j.sse.ObjectAuthenticationException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reader side of DARE 2.0: reads one package at a time, checks its header against the stream's
 * first package, authenticates it, and only then hands out its plaintext. Three modes:
 *
 * <ul>
 *   <li>whole stream ({@code limit < 0}): from package 0 to the final package, then nothing may
 *       follow; an empty input is a truncation, as in sio;
 *   <li>range ({@code limit >= 0}): from package {@code firstSequence}, skipping {@code skip} bytes
 *       of its plaintext, exactly {@code limit} bytes; reaching the final package or the end of the
 *       input first is a truncation;
 *   <li>with a known last package ({@code finalSequence >= 0}, from the object metadata): package
 *       {@code finalSequence} must be final and no earlier one may be.
 * </ul>
 *
 * Not thread-safe. Package-private: see {@link Dare} and {@link ObjectEncryptor}.
 */
final class DareReader extends InputStream {
  private final InputStream in;
  private final boolean closeIn;
  private final byte[] key;
  private final String label;
  private final long limit;
  private final long finalSequence;
  private final byte[] buf = new byte[DareFormat.MAX_PACKAGE];
  private final byte[] plain = new byte[MAX_PAYLOAD];
  private byte[] reference; // header of the first package read: suite and random value
  private CipherSuite suite;
  private SecretKeySpec keySpec;
  private Cipher cipher;
  private long sequence;
  private int skip;
  private int pos;
  private int end;
  private long delivered; // plaintext bytes made available (range mode)
  private boolean finished;
  private boolean closed;
  private ObjectAuthenticationException failure;

  DareReader(
      InputStream in,
      boolean closeIn,
      byte[] key,
      String label,
      long firstSequence,
      int skip,
      long limit,
      long finalSequence) {
    this.in = in;
    this.closeIn = closeIn;
    this.key = key.clone();
    this.label = label;
    this.sequence = firstSequence;
    this.skip = skip;
    this.limit = limit;
    this.finalSequence = finalSequence;
    this.finished = limit == 0;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("stream closed");
    }
    if (failure != null) {
      throw failure;
    }
    if (len == 0) {
      return 0;
    }
    while (pos == end) {
      if (finished) {
        return -1;
      }
      // A caller reading whole packages of a whole stream gets them decrypted straight into its
      // buffer (one copy less per package). If anything about the package fails, that part of
      // its buffer is zeroed before the exception, so it never holds unauthentic plaintext.
      boolean direct = len >= MAX_PAYLOAD && skip == 0 && limit < 0;
      try {
        int n = next(direct ? b : plain, direct ? off : 0);
        if (direct) {
          return n;
        }
      } catch (IOException e) {
        if (e instanceof ObjectAuthenticationException a) {
          failure = a;
        }
        Arrays.fill(plain, (byte) 0);
        if (direct) {
          Arrays.fill(b, off, off + MAX_PAYLOAD, (byte) 0);
        }
        pos = end = 0;
        throw e;
      }
    }
    int n = Math.min(len, end - pos);
    System.arraycopy(plain, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return end - pos;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      Arrays.fill(plain, (byte) 0);
      Arrays.fill(key, (byte) 0);
      if (closeIn) {
        in.close();
      }
    }
  }

  /**
   * Reads, checks, authenticates and decrypts the next package into {@code target} at {@code
   * offset}: {@code plain} (then {@code pos}/{@code end} frame what to hand out) or, for whole
   * streams, the caller's buffer.
   *
   * @return the number of plaintext bytes the package holds
   */
  private int next(byte[] target, int offset) throws IOException {
    int h = in.readNBytes(buf, 0, HEADER);
    if (h == 0 && limit < 0 && finalSequence < 0 && sequence == 0) {
      // as sio.Decrypt: a stream has at least one package; an empty plaintext is stored as
      // nothing, and nothing cannot be told from a stream cut to nothing
      throw fail(
          Reason.TRUNCATED,
          "the data is empty: a DARE stream has at least one package (truncated; an empty"
              + " plaintext encrypts to no package, store its size and do not decrypt it)");
    }
    if (h < HEADER) {
      throw fail(
          Reason.TRUNCATED,
          "the data ends "
              + (h == 0 ? "before" : "inside the header of")
              + " package "
              + sequence
              + ", before the final package (truncated)");
    }
    if (buf[0] != DareFormat.VERSION) {
      throw fail(
          Reason.MALFORMED,
          String.format(
              "package %d is not a DARE 2.0 package (version byte 0x%02x)", sequence, buf[0]));
    }
    CipherSuite packageSuite = CipherSuite.byId(buf[1] & 0xff);
    if (packageSuite == null) {
      throw fail(
          Reason.MALFORMED,
          String.format("package %d names an unknown cipher suite 0x%02x", sequence, buf[1]));
    }
    boolean last = DareFormat.isFinal(buf);
    int length = DareFormat.payloadLength(buf);
    if (!last && length != MAX_PAYLOAD) {
      throw fail(
          Reason.TAMPERED,
          "package " + sequence + " is shorter than 64 KiB but not the final package (tampered)");
    }
    if (reference == null) {
      reference = Arrays.copyOf(buf, HEADER);
      suite = packageSuite;
      keySpec = DareFormat.keySpec(suite, key);
      cipher = DareFormat.newCipher(suite);
    } else if (packageSuite != suite || !sameRandom(buf, reference)) {
      throw fail(
          Reason.TAMPERED,
          "package "
              + sequence
              + " has another cipher suite or nonce than the stream's first package"
              + " (taken from another stream)");
    }
    int n = in.readNBytes(buf, HEADER, length + TAG);
    if (n < length + TAG) {
      throw fail(Reason.TRUNCATED, "the data ends inside package " + sequence + " (truncated)");
    }
    int plainLength;
    try {
      DareFormat.init(cipher, suite, Cipher.DECRYPT_MODE, keySpec, buf, sequence);
      // GCM and ChaCha20-Poly1305 verify the tag before doFinal returns (the JDK zeroes what it
      // wrote when the tag is wrong); the bytes are handed out only after every check below.
      plainLength = cipher.doFinal(buf, HEADER, length + TAG, target, offset);
    } catch (AEADBadTagException e) {
      throw fail(
          Reason.TAMPERED,
          "package "
              + sequence
              + " is not authentic: modified, reordered, from another stream, or the wrong key");
    } catch (GeneralSecurityException e) {
      throw new IOException(suite + " decryption failed", e);
    }
    // From here on the header is authentic: the final flag is part of the nonce.
    if (finalSequence >= 0 && last != (sequence == finalSequence)) {
      throw last
          ? fail(
              Reason.TRUNCATED,
              "package "
                  + sequence
                  + " is final, but the metadata records "
                  + (finalSequence + 1)
                  + " packages (truncated)")
          : fail(
              Reason.EXTENDED,
              "package "
                  + sequence
                  + " is not final, but the metadata records it as the last package (extended)");
    }
    if (last && limit < 0 && finalSequence < 0 && in.read() >= 0) {
      throw fail(Reason.EXTENDED, "data follows the final package " + sequence + " (extended)");
    }
    int start = skip;
    skip = 0;
    int stop = plainLength;
    if (limit >= 0) {
      long want = limit - delivered;
      if (plainLength - start < want && last) {
        throw fail(
            Reason.TRUNCATED,
            "the stream ends at package "
                + sequence
                + ", before the end of the requested range (truncated, or the range is past the"
                + " end)");
      }
      stop = (int) Math.min(plainLength, start + want);
      delivered += stop - start;
      if (delivered == limit) {
        finished = true;
      }
    }
    if (last) {
      finished = true;
    }
    sequence++;
    if (!finished && sequence >= MAX_PACKAGES) {
      throw fail(Reason.MALFORMED, "the stream has more than 2^32 packages");
    }
    if (target == plain) {
      pos = start;
      end = stop;
    }
    return plainLength;
  }

  private static boolean sameRandom(byte[] header, byte[] reference) {
    // bit 7 of byte 4 is the final flag, the rest is the stream's random value
    if (((header[4] ^ reference[4]) & 0x7f) != 0) {
      return false;
    }
    return Arrays.equals(header, 5, 4 + NONCE, reference, 5, 4 + NONCE);
  }

  private ObjectAuthenticationException fail(Reason reason, String what) {
    return new ObjectAuthenticationException(reason, label + ": " + what);
  }
}
