package dev.kes4j.keystore.gcp.hardening;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.core.CacheConfig;
import dev.kes4j.core.Kes;
import dev.kes4j.keystore.gcp.GcpSecretManagerKeyStore;
import dev.kes4j.keystore.gcp.fake.FakeSecretManager;
import dev.kes4j.testkit.FaultyKeyStore;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GCP key-store faults of issue 10 over the real Google client and the loopback fake: a failure
 * between {@code CreateSecret} and {@code AddSecretVersion} never leaves a usable key, a slow
 * service is cut at the configured bound with 504, a store failing half of its calls loses nothing
 * it acknowledged, and concurrent creates of one name through two engines have one winner.
 */
class GcpFaultsTest {
  static final byte[] CTX = "{\"bucket/object\":\"\"}".getBytes(UTF_8);

  FakeSecretManager fake;

  @BeforeEach
  void start() {
    fake = new FakeSecretManager().start();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  GcpSecretManagerKeyStore store(Duration timeout) {
    return GcpSecretManagerKeyStore.builder()
        .projectId(fake.projectId())
        .endpoint(fake.endpoint())
        .timeout(timeout)
        .build();
  }

  Kes engine(dev.kes4j.api.spi.KeyStore store) {
    return Kes.builder()
        .keyStore(store)
        .cache(CacheConfig.none())
        .probeInterval(Duration.ZERO)
        .build();
  }

  @Test
  void failureBetweenCreateSecretAndAddSecretVersionLeavesNothingBehind() {
    try (Kes kes = engine(store(Duration.ofSeconds(2)))) {
      fake.failNext(FakeSecretManager.Method.ADD_SECRET_VERSION, Status.Code.UNAVAILABLE, 1);
      assertThatThrownBy(() -> kes.createKey("half"))
          .isInstanceOf(KesException.class)
          .hasMessage("failed to create key")
          .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(502));
      assertThat(fake.secretIds()).doesNotContain("half"); // the empty secret was deleted again
      assertThatThrownBy(() -> kes.generateKey("half", CTX))
          .isInstanceOf(KeyNotFoundException.class);
      kes.createKey("half"); // the name is free again
      assertThat(kes.generateKey("half", CTX).plaintext()).hasSize(32);
      assertThat(fake.versionCount("half")).isEqualTo(1);
    }
  }

  @Test
  void whenTheCleanupFailsTooTheEmptySecretIsNeverUsable() {
    try (Kes kes = engine(store(Duration.ofSeconds(2)));
        Kes other = engine(store(Duration.ofSeconds(2)))) {
      fake.failNext(FakeSecretManager.Method.ADD_SECRET_VERSION, Status.Code.INTERNAL, 1);
      fake.failNext(FakeSecretManager.Method.DELETE_SECRET, Status.Code.UNAVAILABLE, 1);
      KesException failure = null;
      try {
        kes.createKey("stuck");
      } catch (KesException e) {
        failure = e;
      }
      assertThat(failure).isNotNull().hasMessage("failed to create key");
      assertThat(failure.getSuppressed()).hasSize(1); // the failed cleanup is reported
      assertThat(fake.secretIds()).contains("stuck");
      assertThat(fake.versionCount("stuck")).isZero();
      for (Kes k : List.of(kes, other)) {
        assertThatThrownBy(() -> k.generateKey("stuck", CTX))
            .isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> k.describeKey("stuck")).isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> k.hmac("stuck", new byte[1]))
            .isInstanceOf(KeyNotFoundException.class);
      }
      // as with KES: the name stays taken until an operator deletes the secret
      assertThatThrownBy(() -> kes.createKey("stuck")).isInstanceOf(KeyExistsException.class);
      kes.deleteKey("stuck");
      kes.createKey("stuck");
      assertThat(other.generateKey("stuck", CTX).plaintext()).hasSize(32);
    }
  }

  @Test
  void aSlowServiceIsCutAtTheConfiguredBoundWith504() {
    try (Kes setup = engine(store(Duration.ofSeconds(10)));
        Kes kes = engine(store(Duration.ofSeconds(1)))) {
      setup.createKey("slow");
      warmUp(kes);
      fake.delay(FakeSecretManager.Method.ACCESS_SECRET_VERSION, Duration.ofSeconds(4));
      long start = System.nanoTime();
      assertThatThrownBy(() -> kes.generateKey("slow", CTX))
          .isInstanceOf(KeyStoreUnreachableException.class)
          .hasMessage("failed to read key")
          .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(504));
      // generous: the bound is 1 s, the service would take 4 s
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3500));
      fake.delay(FakeSecretManager.Method.ACCESS_SECRET_VERSION, Duration.ZERO);
      assertThat(kes.generateKey("slow", CTX).plaintext()).hasSize(32); // recovers by itself
    }
  }

  /** Opens the gRPC channel (its first call may take longer than 1 s on a loaded machine). */
  private static void warmUp(Kes kes) {
    for (int i = 0; ; i++) {
      try {
        kes.listKeys("", "", 1);
        return;
      } catch (KeyStoreUnreachableException e) {
        if (i == 5) {
          throw e;
        }
      }
    }
  }

  @Test
  void aStoreFailingHalfOfItsCallsLosesNothingItAcknowledged() {
    FaultyKeyStore faulty = FaultyKeyStore.wrap(store(Duration.ofSeconds(2))).failRate(0.5, 7);
    try (Kes kes = engine(faulty)) {
      List<String> created = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String name = "half-" + i;
        try {
          kes.createKey(name);
          created.add(name);
        } catch (KeyStoreUnreachableException e) {
          assertThat(e.status()).isEqualTo(502);
          failed.add(name);
        }
      }
      assertThat(created).isNotEmpty();
      assertThat(failed).isNotEmpty();
      faulty.recover();
      for (String name : created) {
        assertThat(kes.generateKey(name, CTX).plaintext()).hasSize(32);
      }
      for (String name : failed) {
        assertThatThrownBy(() -> kes.generateKey(name, CTX))
            .isInstanceOf(KeyNotFoundException.class);
      }
      assertThat(fake.secretIds()).containsExactlyInAnyOrderElementsOf(created);
    }
  }

  @Test
  void concurrentCreatesOfOneNameThroughTwoEnginesHaveOneWinner() throws Exception {
    fake.delay(FakeSecretManager.Method.CREATE_SECRET, Duration.ofMillis(10));
    try (Kes a = engine(store(Duration.ofSeconds(5)));
        Kes b = engine(store(Duration.ofSeconds(5)))) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        for (int round = 0; round < 3; round++) {
          String name = "race-" + round;
          CountDownLatch go = new CountDownLatch(1);
          List<Future<Boolean>> results = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            Kes kes = i % 2 == 0 ? a : b;
            results.add(
                pool.submit(
                    () -> {
                      go.await();
                      try {
                        kes.createKey(name);
                        return true;
                      } catch (KeyExistsException e) {
                        return false;
                      }
                    }));
          }
          go.countDown();
          int winners = 0;
          for (Future<Boolean> f : results) {
            winners += f.get() ? 1 : 0;
          }
          assertThat(winners).as(name).isEqualTo(1);
          assertThat(fake.versionCount(name)).isEqualTo(1);
          assertThat(b.generateKey(name, CTX).plaintext()).hasSize(32);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
