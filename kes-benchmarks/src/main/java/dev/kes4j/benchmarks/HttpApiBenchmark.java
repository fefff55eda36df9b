package dev.kes4j.benchmarks;

import dev.kes4j.api.ApiPath;
import dev.kes4j.core.Kes;
import dev.kes4j.http.ApiRequest;
import dev.kes4j.http.ApiResponse;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.ApiKey;
import dev.kes4j.policy.PolicySet;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One KES HTTP request handled in-process, without a socket: identity from the peer certificate,
 * authorization, request JSON parsing, the engine call and the response JSON. The difference to
 * {@link EngineBenchmark} is what the HTTP face adds per request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HttpApiBenchmark {

  /** An API over a warm engine, with a ciphertext to decrypt. */
  @State(Scope.Benchmark)
  public static class Api {
    Kes kes;
    KesHttpApi api;
    X509Certificate[] chain;
    byte[] generateBody =
        "{\"context\":\"eyJidWNrZXQiOiJidWNrZXQvb2JqZWN0In0=\"}".getBytes(StandardCharsets.UTF_8);
    byte[] decryptBody;

    @Setup(Level.Trial)
    public void setUp() {
      ApiKey admin = ApiKey.generate();
      chain = new X509Certificate[] {admin.selfSignedCertificate()};
      kes =
          Kes.builder()
              .keyStore(new MemKeyStore())
              .policies(PolicySet.builder().admin(admin.identity()).build())
              .build();
      api = KesHttpApi.builder(kes).build();
      kes.createKey("bench-key");
      ApiResponse r = api.handle(request(ApiPath.KEY_GENERATE.of("bench-key"), generateBody));
      String json = new String(r.body(), StandardCharsets.UTF_8);
      String ct = json.replaceAll(".*\"ciphertext\":\"([^\"]*)\".*\\s*", "$1").trim();
      decryptBody =
          ("{\"ciphertext\":\"" + ct + "\",\"context\":\"eyJidWNrZXQiOiJidWNrZXQvb2JqZWN0In0=\"}")
              .getBytes(StandardCharsets.UTF_8);
    }

    ApiRequest request(String path, byte[] body) {
      return ApiRequest.builder("POST", path)
          .peerCertificates(chain)
          .header("Content-Type", "application/json")
          .body(body)
          .remoteAddress("127.0.0.1")
          .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      api.close();
      kes.close();
    }
  }

  /** POST /v1/key/generate/bench-key as MinIO sends it. */
  @Benchmark
  public int generate(Api a) {
    return a.api
        .handle(a.request(ApiPath.KEY_GENERATE.of("bench-key"), a.generateBody))
        .bodyLength();
  }

  /** POST /v1/key/decrypt/bench-key as MinIO sends it. */
  @Benchmark
  public int decrypt(Api a) {
    return a.api.handle(a.request(ApiPath.KEY_DECRYPT.of("bench-key"), a.decryptBody)).bodyLength();
  }
}
