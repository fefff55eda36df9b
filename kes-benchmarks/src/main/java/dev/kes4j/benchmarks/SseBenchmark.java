package dev.kes4j.benchmarks;

import dev.kes4j.sse.Dare;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * kes-sse's DARE 2.0 streams (AES-256-GCM) against the floor: one plain AES-256-GCM pass over the
 * same bytes with a reused JDK {@link Cipher}, into a preallocated output array — as one message
 * ({@code floorGcm*}) and as 64 KiB messages ({@code floorGcm64k*}, the floor of any chunked
 * format). Time per object; MB/s = size / time. The DARE encrypt writes to a discarding stream (its
 * own package buffer is the output array of the floor); the DARE decrypt reads from a byte-array
 * stream into a 64 KiB caller buffer, as a server copying to a socket would.
 *
 * <p>Run: {@code java -jar kes-benchmarks/target/benchmarks.jar SseBenchmark -f1 -wi 2 -i 3}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SseBenchmark {
  @Param({"1048576", "67108864"})
  public int size;

  private final byte[] key = new byte[32];
  private byte[] plaintext;
  private byte[] dareCiphertext;
  private byte[] gcmOut;
  private byte[] gcmCiphertext;
  private final byte[] readBuffer = new byte[64 * 1024];
  private Cipher cipher;
  private SecretKeySpec keySpec;
  private final byte[] iv = new byte[12];
  private final byte[] ivUsed = new byte[12];
  private long counter;
  private static final int CHUNK = 64 * 1024;
  private final byte[] chunkOut = new byte[CHUNK + 16];
  private byte[] chunkCiphertext;

  @Setup
  public void setup() throws IOException, GeneralSecurityException {
    Random r = new Random(1);
    r.nextBytes(key);
    plaintext = new byte[size];
    r.nextBytes(plaintext);
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + size / 1000 + 64);
    try (OutputStream enc = Dare.encrypt(out, key)) {
      enc.write(plaintext);
    }
    dareCiphertext = out.toByteArray();
    keySpec = new SecretKeySpec(key, "AES");
    cipher = Cipher.getInstance("AES/GCM/NoPadding");
    gcmOut = new byte[size + 16];
    cipher.init(Cipher.ENCRYPT_MODE, keySpec, new GCMParameterSpec(128, ivUsed));
    gcmCiphertext = cipher.doFinal(plaintext);
    // every chunk under the same IV: fine for a decryption benchmark, never for real data
    chunkCiphertext = new byte[size / CHUNK * (CHUNK + 16)];
    Cipher fresh = Cipher.getInstance("AES/GCM/NoPadding");
    for (int i = 0; i < size / CHUNK; i++) {
      fresh.init(Cipher.ENCRYPT_MODE, keySpec, new GCMParameterSpec(128, ivUsed));
      fresh.doFinal(plaintext, i * CHUNK, CHUNK, chunkCiphertext, i * (CHUNK + 16));
      fresh = Cipher.getInstance("AES/GCM/NoPadding");
    }
  }

  @Benchmark
  public long dareEncrypt() throws IOException {
    try (OutputStream enc = Dare.encrypt(OutputStream.nullOutputStream(), key)) {
      enc.write(plaintext);
    }
    return plaintext.length;
  }

  @Benchmark
  public long dareDecrypt() throws IOException {
    long total = 0;
    try (InputStream in = Dare.decrypt(new ByteArrayInputStream(dareCiphertext), key)) {
      for (int n; (n = in.read(readBuffer)) >= 0; ) {
        total += n;
      }
    }
    return total;
  }

  /** The floor for a chunked format: the same bytes as 64 KiB GCM messages, no framing. */
  @Benchmark
  public long floorGcm64kEncrypt() throws GeneralSecurityException {
    long total = 0;
    for (int off = 0; off < plaintext.length; off += CHUNK) {
      ByteBuffer.wrap(iv).putLong(4, ++counter);
      cipher.init(Cipher.ENCRYPT_MODE, keySpec, new GCMParameterSpec(128, iv));
      total += cipher.doFinal(plaintext, off, CHUNK, chunkOut, 0);
    }
    return total;
  }

  @Benchmark
  public long floorGcm64kDecrypt() throws GeneralSecurityException {
    long total = 0;
    for (int off = 0; off < chunkCiphertext.length; off += CHUNK + 16) {
      cipher.init(Cipher.DECRYPT_MODE, keySpec, new GCMParameterSpec(128, ivUsed));
      total += cipher.doFinal(chunkCiphertext, off, CHUNK + 16, chunkOut, 0);
    }
    return total;
  }

  @Benchmark
  public int floorGcmEncrypt() throws GeneralSecurityException {
    // a fresh IV every time: the JDK refuses to encrypt twice with one key and IV
    ByteBuffer.wrap(iv).putLong(4, ++counter);
    cipher.init(Cipher.ENCRYPT_MODE, keySpec, new GCMParameterSpec(128, iv));
    return cipher.doFinal(plaintext, 0, plaintext.length, gcmOut, 0);
  }

  @Benchmark
  public int floorGcmDecrypt() throws GeneralSecurityException {
    cipher.init(Cipher.DECRYPT_MODE, keySpec, new GCMParameterSpec(128, ivUsed));
    return cipher.doFinal(gcmCiphertext, 0, gcmCiphertext.length, gcmOut, 0);
  }
}
