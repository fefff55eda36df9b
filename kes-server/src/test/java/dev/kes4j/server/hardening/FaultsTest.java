package dev.kes4j.server.hardening;

import static dev.kes4j.server.hardening.Fixture.ADMIN;
import static dev.kes4j.server.hardening.Fixture.APP1;
import static dev.kes4j.server.hardening.Fixture.APP2;
import static dev.kes4j.server.hardening.Fixture.APP3;
import static dev.kes4j.server.hardening.Fixture.error;
import static dev.kes4j.server.hardening.Fixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.core.CacheConfig;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.gcp.GcpSecretManagerKeyStore;
import dev.kes4j.keystore.gcp.fake.FakeSecretManager;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.server.KesServer;
import dev.kes4j.testkit.FaultyKeyStore;
import io.grpc.Status;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Key-store faults over real HTTP/TLS (issue 10): a store that is down, slow, flapping or failing
 * half of its calls, and the GCP store over the Secret Manager fake. Cached keys keep serving,
 * uncached calls fail with 502/504 (or the route's timeout), recovery needs no restart, a failed
 * create leaves nothing usable, and concurrent creates of one name have exactly one winner.
 */
class FaultsTest {
  static final String CTX = "{\"context\":\"YnVja2V0L29iamVjdA==\"}";
  static final String FAILED_READ = error("failed to read key");
  static final String FAILED_CREATE = error("failed to create key");

  final HttpClient admin = Fixture.client(ADMIN);
  final HttpClient app = Fixture.client(APP1);
  Kes kes;
  KesServer server;
  FakeSecretManager fake;

  void start(KeyStore store, String extraConfig) {
    KesConfig cfg = Fixture.config(extraConfig);
    kes =
        Kes.builder()
            .keyStore(store)
            .policies(cfg.policySet())
            // offline mode on: while the store is down, cached keys never expire
            .cache(new CacheConfig(Duration.ofMinutes(5), Duration.ZERO, Duration.ofHours(1)))
            .probeInterval(Duration.ofMillis(100))
            .build();
    server = Fixture.start(KesHttpApi.fromConfig(kes, cfg));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (kes != null) {
      kes.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  HttpResponse<String> call(HttpClient c, String method, String path, String body)
      throws Exception {
    return send(c, server, method, path, body);
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  static String field(String json, String name) {
    return HostileInputTest.field(json, name);
  }

  String decryptBody(String generated) {
    return "{\"ciphertext\":\""
        + field(generated, "ciphertext")
        + "\",\"context\":\"YnVja2V0L29iamVjdA==\"}";
  }

  @Test
  void storeDownCachedKeysServeUncachedFail502AndRecoveryIsAutomatic() throws Exception {
    FaultyKeyStore store = FaultyKeyStore.wrap(new MemKeyStore());
    start(store, "");
    kes.createKey("cached");
    kes.createKey("uncached");
    String gen = call(app, "POST", "/v1/key/generate/cached", CTX).body();
    assertThat(kes.isCached("cached")).isTrue();

    store.outage();
    await(kes::offline, "the engine notices the outage");
    for (int i = 0; i < 20; i++) {
      assertThat(call(app, "POST", "/v1/key/generate/cached", CTX).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> dec = call(app, "POST", "/v1/key/decrypt/cached", decryptBody(gen));
    assertThat(dec.statusCode()).isEqualTo(200);
    assertThat(field(dec.body(), "plaintext")).isEqualTo(field(gen, "plaintext"));
    HttpResponse<String> uncached = call(app, "POST", "/v1/key/generate/uncached", CTX);
    assertThat(uncached.statusCode()).isEqualTo(502);
    assertThat(uncached.body()).isEqualTo(FAILED_READ);
    HttpResponse<String> create = call(app, "POST", "/v1/key/create/new", null);
    assertThat(create.statusCode()).isEqualTo(502);
    assertThat(create.body()).isEqualTo(FAILED_CREATE);
    HttpResponse<String> ready = call(admin, "GET", "/v1/ready", null);
    assertThat(ready.statusCode()).isEqualTo(504);
    assertThat(ready.body()).isEqualTo(error("key store is not reachable"));
    assertThat(call(admin, "GET", "/v1/status", null).body())
        .contains("\"keystore_unreachable\":true");

    store.recover();
    await(() -> !kes.offline(), "the engine notices the recovery");
    assertThat(call(app, "POST", "/v1/key/generate/uncached", CTX).statusCode()).isEqualTo(200);
    assertThat(call(app, "POST", "/v1/key/create/new", null).statusCode()).isEqualTo(200);
    assertThat(call(admin, "GET", "/v1/ready", null).statusCode()).isEqualTo(200);
  }

  @Test
  void slowStoreIsCutAtTheRouteTimeoutWhileCachedKeysKeepServing() throws Exception {
    FaultyKeyStore store = FaultyKeyStore.wrap(new MemKeyStore());
    start(store, "api:\n  /v1/key/generate/:\n    timeout: 1s\n");
    kes.createKey("cached");
    kes.createKey("slow");
    assertThat(call(app, "POST", "/v1/key/generate/cached", CTX).statusCode()).isEqualTo(200);
    store.only(FaultyKeyStore.Operation.GET).latency(Duration.ofSeconds(4));

    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<HttpResponse<String>> slow =
          pool.submit(() -> call(app, "POST", "/v1/key/generate/slow", CTX));
      for (int i = 0; i < 10; i++) { // not blocked by the slow call
        assertThat(call(app, "POST", "/v1/key/generate/cached", CTX).statusCode()).isEqualTo(200);
      }
      HttpResponse<String> r = slow.get();
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo(error("request timeout"));
    } finally {
      pool.shutdownNow();
    }
    store.latency(Duration.ZERO);
    await(() -> kes.isCached("slow"), "the late fetch fills the cache");
    assertThat(call(app, "POST", "/v1/key/generate/slow", CTX).statusCode()).isEqualTo(200);
  }

  @Test
  void flappingStoreNeverBreaksCachedKeysAndFailsUncachedOnlyWith502() throws Exception {
    FaultyKeyStore store = FaultyKeyStore.wrap(new MemKeyStore());
    start(store, "");
    kes.createKey("cached");
    List<String> fresh = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      kes.createKey("fresh-" + i);
      fresh.add("fresh-" + i);
    }
    assertThat(call(app, "POST", "/v1/key/generate/cached", CTX).statusCode()).isEqualTo(200);
    store.flapping(Duration.ofMillis(60), Duration.ofMillis(60));
    int failures = 0;
    for (String name : fresh) {
      assertThat(call(app, "POST", "/v1/key/generate/cached", CTX).statusCode()).isEqualTo(200);
      HttpResponse<String> r = call(app, "POST", "/v1/key/generate/" + name, CTX);
      if (r.statusCode() != 200) {
        failures++;
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).isEqualTo(FAILED_READ);
      }
      Thread.sleep(17);
    }
    store.recover();
    for (String name : fresh) {
      assertThat(call(app, "POST", "/v1/key/generate/" + name, CTX).statusCode()).isEqualTo(200);
    }
    assertThat(store.failures(FaultyKeyStore.Operation.GET) + failures).isPositive();
  }

  @Test
  void storeFailingHalfOfCallsLeavesNoPartialKey() throws Exception {
    FaultyKeyStore store = FaultyKeyStore.wrap(new MemKeyStore());
    start(store, "");
    store.failRate(0.5, 42);
    List<String> created = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String name = "half-" + i;
      HttpResponse<String> r = call(app, "POST", "/v1/key/create/" + name, null);
      if (r.statusCode() == 200) {
        created.add(name);
      } else {
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).isEqualTo(FAILED_CREATE);
        failed.add(name);
      }
      HttpResponse<String> g = call(app, "POST", "/v1/key/generate/" + name, CTX);
      assertThat(g.statusCode()).isIn(200, 404, 502);
      if (g.statusCode() == 200) {
        assertThat(created).contains(name); // a failed create is never usable
      }
    }
    assertThat(created).isNotEmpty();
    assertThat(failed).isNotEmpty();
    store.recover();
    for (String name : created) {
      assertThat(call(app, "POST", "/v1/key/generate/" + name, CTX).statusCode()).isEqualTo(200);
    }
    for (String name : failed) {
      HttpResponse<String> g = call(app, "POST", "/v1/key/generate/" + name, CTX);
      assertThat(g.statusCode()).isEqualTo(404);
      assertThat(g.body()).isEqualTo(error("key does not exist"));
      assertThat(call(app, "POST", "/v1/key/create/" + name, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void concurrentCreatesOfOneNameHaveExactlyOneWinner() throws Exception {
    FaultyKeyStore store = FaultyKeyStore.wrap(new MemKeyStore());
    store.only(FaultyKeyStore.Operation.CREATE).latency(Duration.ofMillis(5));
    start(store, "");
    assertRaces(8);
  }

  void assertRaces(int rounds) throws Exception {
    List<HttpClient> clients =
        List.of(admin, app, Fixture.client(APP2), Fixture.client(APP3), Fixture.client(ADMIN));
    int racers = 12;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      for (int round = 0; round < rounds; round++) {
        String name = "race-" + round;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
          HttpClient c = clients.get(i % clients.size());
          Callable<HttpResponse<String>> create =
              () -> {
                go.await();
                return call(c, "POST", "/v1/key/create/" + name, null);
              };
          results.add(pool.submit(create));
        }
        go.countDown();
        int winners = 0;
        for (Future<HttpResponse<String>> f : results) {
          HttpResponse<String> r = f.get();
          if (r.statusCode() == 200) {
            winners++;
          } else {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo(error("key does already exist"));
          }
        }
        assertThat(winners).as("winners of %s", name).isEqualTo(1);
        assertThat(call(app, "POST", "/v1/key/generate/" + name, CTX).statusCode()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The GCP store over the Secret Manager fake, behind the real server. */
  @Test
  void gcpStoreFaultsOverHttp() throws Exception {
    fake = new FakeSecretManager().start();
    GcpSecretManagerKeyStore gcp =
        GcpSecretManagerKeyStore.builder()
            .projectId(fake.projectId())
            .endpoint(fake.endpoint())
            .timeout(Duration.ofSeconds(1))
            .build();
    // opening the channel to a cold fake can take longer than the 1 s bound on a loaded machine
    await(
        () -> {
          try {
            return !gcp.status().isNegative();
          } catch (KeyStoreUnreachableException e) {
            return false;
          }
        },
        "the store reaches the fake");
    start(gcp, "");
    kes.createKey("cached");
    kes.createKey("uncached");
    assertThat(call(app, "POST", "/v1/key/generate/cached", CTX).statusCode()).isEqualTo(200);

    // slow: the store's 1 s bound answers 504 long before the fake's 3 s delay
    fake.delay(FakeSecretManager.Method.ACCESS_SECRET_VERSION, Duration.ofSeconds(3));
    HttpResponse<String> slow = call(app, "POST", "/v1/key/generate/uncached", CTX);
    assertThat(slow.statusCode()).isEqualTo(504);
    assertThat(slow.body()).isEqualTo(FAILED_READ);
    assertThat(call(app, "POST", "/v1/key/generate/cached", CTX).statusCode()).isEqualTo(200);
    fake.delay(FakeSecretManager.Method.ACCESS_SECRET_VERSION, Duration.ZERO);

    // down: reads fail (502 UNAVAILABLE, or 504 when the retries use up the bound)
    fake.failNext(FakeSecretManager.Method.ACCESS_SECRET_VERSION, Status.Code.UNAVAILABLE, 1000);
    HttpResponse<String> down = call(app, "POST", "/v1/key/generate/uncached", CTX);
    assertThat(down.statusCode()).isIn(502, 504);
    assertThat(down.body()).isEqualTo(FAILED_READ);
    assertThat(call(app, "POST", "/v1/key/generate/cached", CTX).statusCode()).isEqualTo(200);
    fake.clearFaults();
    assertThat(call(app, "POST", "/v1/key/generate/uncached", CTX).statusCode()).isEqualTo(200);

    // failing between CreateSecret and AddSecretVersion: nothing usable is left behind
    fake.failNext(FakeSecretManager.Method.ADD_SECRET_VERSION, Status.Code.UNAVAILABLE, 1);
    HttpResponse<String> half = call(app, "POST", "/v1/key/create/half", null);
    assertThat(half.statusCode()).isEqualTo(502);
    assertThat(half.body()).isEqualTo(FAILED_CREATE);
    assertThat(fake.secretIds()).doesNotContain("half");
    assertThat(call(app, "POST", "/v1/key/generate/half", CTX).statusCode()).isEqualTo(404);
    assertThat(call(app, "POST", "/v1/key/create/half", null).statusCode()).isEqualTo(200);
    assertThat(call(app, "POST", "/v1/key/generate/half", CTX).statusCode()).isEqualTo(200);

    // corrupted payloads are refused, never used
    kes.createKey("corrupt");
    fake.corruptChecksums(true);
    HttpResponse<String> corrupt = call(app, "POST", "/v1/key/generate/corrupt", CTX);
    assertThat(corrupt.statusCode()).isEqualTo(502);
    assertThat(corrupt.body()).isEqualTo(FAILED_READ);
    fake.corruptChecksums(false);

    assertRaces(3);
    assertThat(Set.copyOf(fake.secretIds())).contains("race-0", "race-1", "race-2");
  }
}
