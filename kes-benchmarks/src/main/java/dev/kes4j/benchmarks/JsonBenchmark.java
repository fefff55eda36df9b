package dev.kes4j.benchmarks;

import dev.kes4j.api.internal.KesJson;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The shared KES JSON codec on the HTTP hot path: decoding a decrypt request body and quoting a
 * string for a response. Compare with {@link HttpApiBenchmark} for its share of a request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class JsonBenchmark {
  byte[] decryptBody =
      ("{\"ciphertext\":\""
              + "QUJD".repeat(26)
              + "\",\"context\":\"eyJidWNrZXQiOiJidWNrZXQvb2JqZWN0In0=\"}")
          .getBytes(StandardCharsets.UTF_8);

  @Benchmark
  public Object decodeDecryptRequest() throws Exception {
    KesJson.Obj f = KesJson.firstObject(decryptBody);
    return new byte[][] {f.bytes("ciphertext"), f.bytes("context")};
  }

  @Benchmark
  public String quote() {
    return KesJson.quote("bench-key/with <html> & \"quotes\"");
  }
}
