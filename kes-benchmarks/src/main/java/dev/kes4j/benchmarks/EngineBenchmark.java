package dev.kes4j.benchmarks;

import dev.kes4j.api.ApiPath;
import dev.kes4j.api.CiphertextFormat;
import dev.kes4j.api.Identity;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.core.Kes;
import dev.kes4j.crypto.KeyBlobFormat;
import dev.kes4j.crypto.KeyBlobs;
import dev.kes4j.crypto.KeyVersion;
import dev.kes4j.keystore.gcp.GcpSecretManagerKeyStore;
import dev.kes4j.keystore.gcp.fake.FakeSecretManager;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.Decision;
import dev.kes4j.policy.PolicyMatching;
import dev.kes4j.policy.PolicySet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's hot paths on a warm cache over the in-memory store and over the GCP store on the
 * loopback Secret Manager fake: {@code generateKey} and {@code decrypt} (what MinIO calls per
 * object), a policy check, and stored-key parsing. A warm cache never calls the store, so the two
 * stores should measure alike; a difference would show work that leaks onto the hot path.
 *
 * <p>Run: {@code java -jar kes-benchmarks/target/benchmarks.jar EngineBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EngineBenchmark {

  /** A warm engine with one key and a ring of ciphertexts to decrypt. */
  @State(Scope.Benchmark)
  public static class Engine {
    @Param({"JSON", "BINARY"})
    public CiphertextFormat format;

    /** {@code mem}, or {@code gcp}: the GCP store on the loopback Secret Manager fake. */
    @Param({"mem", "gcp"})
    public String store;

    FakeSecretManager fake;
    Kes kes;
    byte[] context = "{\"bucket/object\":\"\"}".getBytes(StandardCharsets.UTF_8);
    byte[][] ciphertexts = new byte[256][];

    @Setup(Level.Trial)
    public void setUp() {
      KeyStore keyStore;
      if (store.equals("gcp")) {
        fake = new FakeSecretManager().start();
        keyStore =
            GcpSecretManagerKeyStore.builder()
                .projectId(fake.projectId())
                .endpoint(fake.endpoint())
                .build();
      } else {
        keyStore = new MemKeyStore();
      }
      kes = Kes.builder().keyStore(keyStore).ciphertextFormat(format).build();
      kes.createKey("bench-key");
      for (int i = 0; i < ciphertexts.length; i++) {
        ciphertexts[i] = kes.generateKey("bench-key", context).ciphertext();
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      kes.close();
      if (fake != null) {
        fake.close();
      }
    }
  }

  /** Per-thread cursor, so threads do not share a counter. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  /** A policy set shaped like MinIO's. */
  @State(Scope.Benchmark)
  public static class Policies {
    @Param({"PREFIX", "GLOB"})
    public PolicyMatching matching;

    PolicySet set;
    Identity minio =
        Identity.of("ea9826089311fe44d7590408ede9150f7c637b6cab0a91ee6fe1aa5d9fb366f6");

    @Setup(Level.Trial)
    public void setUp() {
      set =
          PolicySet.builder()
              .adminDisabled()
              .policy(
                  "minio",
                  matching,
                  List.of(
                      "/v1/key/create/*",
                      "/v1/key/generate/*",
                      "/v1/key/decrypt/*",
                      "/v1/key/bulk/decrypt/*",
                      "/v1/status"),
                  List.of("/v1/key/delete/*"))
              .assign(minio, "minio")
              .build();
    }
  }

  /** One stored key in both blob formats. */
  @State(Scope.Benchmark)
  public static class Blobs {
    byte[] protobufBlob;
    byte[] legacyBlob;

    @Setup(Level.Trial)
    public void setUp() {
      KeyVersion key = KeyVersion.generate(KeyAlgorithm.AES256, Instant.now(), "");
      protobufBlob = KeyBlobs.encode(key, KeyBlobFormat.PROTOBUF);
      legacyBlob = KeyBlobs.encode(key, KeyBlobFormat.LEGACY_JSON);
    }
  }

  /** What MinIO asks for on every PUT. */
  @Benchmark
  public byte[] generateKey(Engine e) {
    return e.kes.generateKey("bench-key", e.context).ciphertext();
  }

  /** What MinIO asks for on every GET. */
  @Benchmark
  public byte[] decrypt(Engine e, Cursor c) {
    byte[] ct = e.ciphertexts[c.next++ & 255];
    return e.kes.decrypt("bench-key", ct, e.context);
  }

  /** The allow path of a policy check (no allocation expected). */
  @Benchmark
  public Decision authorize(Policies p) {
    return p.set.authorize(p.minio, ApiPath.KEY_GENERATE.of("my-minio-key"));
  }

  /** Decoding a stored key on a cache miss: current protobuf form. */
  @Benchmark
  public KeyVersion parseProtobufBlob(Blobs p) {
    return KeyBlobs.parse(p.protobufBlob);
  }

  /** Decoding a stored key on a cache miss: KES 0.16 JSON form. */
  @Benchmark
  public KeyVersion parseLegacyBlob(Blobs p) {
    return KeyBlobs.parse(p.legacyBlob);
  }
}
