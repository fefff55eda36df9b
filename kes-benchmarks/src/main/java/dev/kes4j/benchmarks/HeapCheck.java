package dev.kes4j.benchmarks;

import dev.kes4j.api.DataKey;
import dev.kes4j.core.Kes;
import dev.kes4j.keystore.mem.MemKeyStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;

/**
 * Steady-state memory check: runs N generate+decrypt pairs on a warm engine and prints the heap
 * used after a full GC at the start, half-way and at the end. A flat heap means no per-operation
 * retention. Run: {@code java -cp kes-benchmarks/target/benchmarks.jar
 * dev.kes4j.benchmarks.HeapCheck 1000000}.
 */
public final class HeapCheck {
  private HeapCheck() {}

  /** Entry point; the optional argument is the number of operations (default 1,000,000). */
  public static void main(String[] args) {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    byte[] context = "{\"bucket\":\"bucket/object\"}".getBytes(StandardCharsets.UTF_8);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (Kes kes = Kes.builder().keyStore(new MemKeyStore()).build()) {
      kes.createKey("heap-key");
      long start = System.nanoTime();
      for (long i = 0; i <= n; i++) {
        if (i % (n / 2) == 0) {
          System.gc();
          System.out.printf(
              "after %,d generate+decrypt: heap used %,d KiB%n",
              i, memory.getHeapMemoryUsage().getUsed() / 1024);
        }
        DataKey dek = kes.generateKey("heap-key", context);
        kes.decrypt("heap-key", dek.ciphertext(), context);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("%,.0f generate+decrypt pairs per second on one thread%n", n / seconds);
    }
  }
}
