package dev.kes4j.server.hardening;

import static dev.kes4j.server.hardening.Fixture.ADMIN;
import static dev.kes4j.server.hardening.Fixture.APP1;
import static dev.kes4j.server.hardening.Fixture.APP2;
import static dev.kes4j.server.hardening.Fixture.APP3;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.internal.pki.Pki;
import dev.kes4j.server.KesServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Load and soak over real mTLS with keep-alive (issue 10): many identities (three policy identities
 * and the admin) send a mix of generate, decrypt, create and list at full speed. Zero errors; every
 * ciphertext produced decrypts to its data key; heap, thread count and open file descriptors do not
 * grow (generous margins, so a loaded 2-core machine does not make it flaky).
 *
 * <p>Runs 10 s by default; {@code -Dkes4j.soak.seconds=600} soaks for ten minutes. Prints the
 * throughput it achieved.
 */
class SoakTest {
  static final int CLIENTS = 8;
  static final Pattern FIELD = Pattern.compile("\"(plaintext|ciphertext)\":\"([^\"]*)\"");

  record Produced(String key, String context, String plaintext, String ciphertext) {}

  @Test
  void mixedLoadFromManyIdentitiesHoldsWithoutErrorsOrGrowth() throws Exception {
    long seconds = Long.getLong("kes4j.soak.seconds", 10);
    KesConfig cfg = Fixture.config("");
    try (Kes kes = Kes.builder().keyStore(new MemKeyStore()).policies(cfg.policySet()).build();
        KesServer server = Fixture.start(KesHttpApi.fromConfig(kes, cfg))) {
      for (int i = 0; i < 4; i++) {
        kes.createKey("shared-" + i);
      }
      Pki.Issued[] who = {ADMIN, APP1, APP2, APP3};
      List<HttpClient> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        clients.add(Fixture.client(who[i % who.length]));
      }
      Queue<Produced> produced = new ConcurrentLinkedQueue<>();
      AtomicLong requests = new AtomicLong();
      List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
      String base = "https://127.0.0.1:" + server.address().getPort();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      try {
        // warm up (JIT, connections, TLS sessions), then take the baseline
        run(pool, clients, base, Duration.ofSeconds(2), produced, requests, errors, 0);
        produced.clear();
        Snapshot before = Snapshot.take();
        long start = System.nanoTime();
        requests.set(0);
        long checked = 0;
        long end = start + Duration.ofSeconds(seconds).toNanos();
        for (int chunk = 1; System.nanoTime() < end && errors.isEmpty(); chunk++) {
          // run in chunks of at most 5 s, verifying and dropping what each produced, so that a
          // long soak does not accumulate ciphertexts on the heap
          long left = Math.min(end - System.nanoTime(), Duration.ofSeconds(5).toNanos());
          run(pool, clients, base, Duration.ofNanos(left), produced, requests, errors, chunk);
          checked += verify(kes, produced);
        }
        double took = (System.nanoTime() - start) / 1e9;
        long n = requests.get();
        assertThat(errors).as("errors under load").isEmpty();
        Snapshot after = Snapshot.take();
        System.out.printf(
            "soak: %d requests in %.1f s = %.0f req/s over %d keep-alive mTLS connections;"
                + " %d ciphertexts verified; heap %d -> %d MiB, threads %d -> %d, fds %d -> %d%n",
            n,
            took,
            n / took,
            CLIENTS,
            checked,
            before.heap >> 20,
            after.heap >> 20,
            before.threads,
            after.threads,
            before.fds,
            after.fds);
        assertThat(checked).isPositive();
        assertThat(after.heap)
            .as("heap after GC")
            .isLessThan(before.heap + Math.max(96L << 20, before.heap));
        assertThat(after.threads).as("live threads").isLessThan(before.threads + 24);
        if (before.fds >= 0) {
          assertThat(after.fds).as("open file descriptors").isLessThan(before.fds + 64);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Decrypts every produced ciphertext in process and drains the queue; returns the count. */
  private static long verify(Kes kes, Queue<Produced> produced) {
    long checked = 0;
    Produced p;
    while ((p = produced.poll()) != null) {
      byte[] plain =
          kes.decrypt(
              p.key(),
              Base64.getDecoder().decode(p.ciphertext()),
              p.context().getBytes(StandardCharsets.UTF_8));
      assertThat(Base64.getEncoder().encodeToString(plain)).isEqualTo(p.plaintext());
      checked++;
    }
    return checked;
  }

  private static void run(
      ExecutorService pool,
      List<HttpClient> clients,
      String base,
      Duration duration,
      Queue<Produced> produced,
      AtomicLong requests,
      List<String> errors,
      long seed)
      throws Exception {
    long end = System.nanoTime() + duration.toNanos();
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < clients.size(); c++) {
      HttpClient client = clients.get(c);
      int id = c;
      futures.add(
          pool.submit(
              () -> {
                SplittableRandom rnd = new SplittableRandom(seed * 1000 + id);
                List<Produced> mine = new ArrayList<>();
                int created = 0;
                while (System.nanoTime() < end && errors.isEmpty()) {
                  int op = rnd.nextInt(100);
                  try {
                    if (op < 50 || mine.isEmpty()) {
                      String key = "shared-" + rnd.nextInt(4);
                      String ctx = "bucket/object-" + rnd.nextInt(1000);
                      String body =
                          "{\"context\":\""
                              + Base64.getEncoder()
                                  .encodeToString(ctx.getBytes(StandardCharsets.UTF_8))
                              + "\"}";
                      String r =
                          call(client, base, "POST", "/v1/key/generate/" + key, body, errors);
                      if (r != null) {
                        Matcher m = FIELD.matcher(r);
                        String plaintext = null;
                        String ciphertext = null;
                        while (m.find()) {
                          if (m.group(1).equals("plaintext")) {
                            plaintext = m.group(2);
                          } else {
                            ciphertext = m.group(2);
                          }
                        }
                        Produced p = new Produced(key, ctx, plaintext, ciphertext);
                        produced.add(p);
                        if (mine.size() < 256) {
                          mine.add(p);
                        } else {
                          mine.set(rnd.nextInt(mine.size()), p);
                        }
                      }
                    } else if (op < 85) {
                      Produced p = mine.get(rnd.nextInt(mine.size()));
                      String body =
                          "{\"ciphertext\":\""
                              + p.ciphertext()
                              + "\",\"context\":\""
                              + Base64.getEncoder()
                                  .encodeToString(p.context().getBytes(StandardCharsets.UTF_8))
                              + "\"}";
                      String r =
                          call(client, base, "POST", "/v1/key/decrypt/" + p.key(), body, errors);
                      if (r != null && !r.contains("\"plaintext\":\"" + p.plaintext() + "\"")) {
                        errors.add("decrypt returned another plaintext");
                      }
                    } else if (op < 93) {
                      call(
                          client,
                          base,
                          "POST",
                          "/v1/key/create/soak-" + seed + "-" + id + "-" + created++,
                          null,
                          errors);
                    } else {
                      call(client, base, "GET", "/v1/key/list/shared-*", null, errors);
                    }
                    requests.incrementAndGet();
                  } catch (Exception e) {
                    errors.add(e.toString());
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
  }

  private static String call(
      HttpClient client, String base, String method, String path, String body, List<String> errors)
      throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> resp = client.send(r, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200) {
      errors.add(method + " " + path + " -> " + resp.statusCode() + " " + resp.body());
      return null;
    }
    return resp.body();
  }

  /** Used heap after GC, live threads, open file descriptors (-1 if unknown). */
  record Snapshot(long heap, int threads, long fds) {
    static Snapshot take() throws InterruptedException {
      MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(100);
      }
      OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      long fds = os instanceof UnixOperatingSystemMXBean u ? u.getOpenFileDescriptorCount() : -1;
      return new Snapshot(
          mem.getHeapMemoryUsage().getUsed(),
          ManagementFactory.getThreadMXBean().getThreadCount(),
          fds);
    }
  }
}
