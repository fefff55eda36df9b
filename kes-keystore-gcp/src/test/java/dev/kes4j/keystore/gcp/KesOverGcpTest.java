package dev.kes4j.keystore.gcp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.core.CacheConfig;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.crypto.KeyBlobs;
import dev.kes4j.keystore.gcp.fake.FakeSecretManager;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine end to end over the real Google client, real gRPC and the loopback fake. */
class KesOverGcpTest {
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

  GcpSecretManagerKeyStore store() {
    return GcpSecretManagerKeyStore.builder()
        .projectId(fake.projectId())
        .endpoint(fake.endpoint())
        .timeout(Duration.ofSeconds(2))
        .build();
  }

  @Test
  void readsAKeyThatKes016StoredAndDecryptsItsCiphertext() {
    fake.createSecret("legacy-key");
    fake.addSecretVersion(
        "legacy-key",
        "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}".getBytes(UTF_8));
    // kes-vectors.md §1 J0, sealed by KES under the zero key
    byte[] j0 =
        ("{\"aead\":\"AES-256-GCM-HMAC-SHA-256\",\"iv\":\"xLxIN3tSCkg2xMafuvwUwg==\","
                + "\"nonce\":\"gu0mGwUkwcvMEoi5\","
                + "\"bytes\":\"WVgRjeIJm3w50C/l+y7y2i6mbNg5NCAqN1zvOYWZKmc=\"}")
            .getBytes(UTF_8);
    try (Kes kes = Kes.builder().keyStore(store()).build()) {
      assertThat(kes.decrypt("legacy-key", j0, null)).isEqualTo(new byte[16]);
    }
  }

  @Test
  void keysCreatedByKes4jAreLaidOutAsKesLaysThemOut() {
    try (Kes kes = Kes.builder().keyStore(store()).build()) {
      kes.createKey("minio-key");
      DataKey dek = kes.generateKey("minio-key", CTX);
      assertThat(kes.decrypt("minio-key", dek.ciphertext(), CTX)).isEqualTo(dek.plaintext());
    }
    assertThat(fake.secretIds()).containsExactly("minio-key");
    assertThat(fake.versionCount("minio-key")).isEqualTo(1);
    byte[] payload = fake.payload("minio-key", 1).orElseThrow();
    assertThat(KeyBlobs.parse(payload).hasHmac()).isTrue();
  }

  @Test
  void offlineCacheKeepsServingCachedKeysAndUncachedCallsFailWithinTheBound() {
    FixedClock clock = new FixedClock();
    try (Kes kes =
        Kes.builder()
            .keyStore(store())
            .cache(
                new CacheConfig(
                    Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofHours(1)))
            .clock(clock)
            .manualMaintenance()
            .build()) {
      kes.createKey("cached");
      kes.createKey("uncached");
      DataKey dek = kes.generateKey("cached", CTX);

      for (FakeSecretManager.Method m : FakeSecretManager.Method.values()) {
        fake.failNext(m, Status.Code.UNAVAILABLE, 1_000);
      }
      clock.advance(Duration.ofSeconds(10));
      kes.runMaintenance(); // the probe finds the store unreachable
      assertThat(kes.offline()).isTrue();
      assertThat(kes.status().keyStoreReachable()).isFalse();

      clock.advance(Duration.ofMinutes(10)); // far past any/unused: suspended while offline
      kes.runMaintenance();
      assertThat(kes.decrypt("cached", dek.ciphertext(), CTX)).isEqualTo(dek.plaintext());

      long start = System.nanoTime();
      assertThatThrownBy(() -> kes.generateKey("uncached", CTX))
          .isInstanceOf(KeyStoreUnreachableException.class)
          .hasMessage("failed to read key");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

      fake.clearFaults();
      clock.advance(Duration.ofSeconds(10));
      kes.runMaintenance();
      assertThat(kes.offline()).isFalse();
      assertThat(kes.generateKey("uncached", CTX).plaintext()).hasSize(32);
    }
  }

  @Test
  void aKesConfigSelectsThisStoreThroughServiceLoader() {
    String yaml =
        "admin:\n  identity: disabled\n"
            + "keys:\n  - name: startup-key\n"
            + "keystore:\n  gcp:\n    secretmanager:\n"
            + "      project_id: "
            + fake.projectId()
            + "\n      endpoint: "
            + fake.endpoint()
            + "\n";
    KesConfig config =
        KesConfig.parse(yaml, new KesConfig.Options(Map.<String, String>of()::get, true));
    try (Kes kes = Kes.fromConfig(config, KeyStores.discover(), b -> {})) {
      assertThat(kes.listKeys("*", "", 0).items()).containsExactly("startup-key");
    }
    assertThat(fake.secretIds()).containsExactly("startup-key");
  }

  static final class FixedClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-27T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
