package dev.kes4j.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.CiphertextFormat;
import dev.kes4j.api.DataKey;
import dev.kes4j.api.DecryptRequest;
import dev.kes4j.api.DecryptionException;
import dev.kes4j.api.Identity;
import dev.kes4j.api.InvalidNameException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyInfo;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyService;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.NotAuthorizedException;
import dev.kes4j.api.Page;
import dev.kes4j.api.ServiceStatus;
import dev.kes4j.crypto.KeyBlobFormat;
import dev.kes4j.crypto.KeyBlobs;
import dev.kes4j.crypto.KeyVersion;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.Policies;
import dev.kes4j.policy.PolicyMatching;
import dev.kes4j.policy.PolicySet;
import dev.kes4j.testkit.FaultyKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class KesTest {
  static final Identity ADMIN =
      Identity.of("3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22");
  static final Identity APP =
      Identity.of("ea9826089311fe44d7590408ede9150f7c637b6cab0a91ee6fe1aa5d9fb366f6");
  static final Identity STRANGER =
      Identity.of("0426fa9a04bc2756b92fbe8a97e1a1e07b53ecf04ed33da22c33e5c9faeb8cbb");
  static final byte[] CTX = "{\"bucket\":\"photos\"}".getBytes(UTF_8);

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T00:00:00Z"));
  final List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
  MemKeyStore mem;
  FaultyKeyStore store;
  Kes kes;

  @BeforeEach
  void setUp() {
    mem = new MemKeyStore();
    store = FaultyKeyStore.wrap(mem);
    kes = engine(CacheConfig.kesDefaults(), CiphertextFormat.JSON, KeyBlobFormat.PROTOBUF);
  }

  Kes engine(CacheConfig cache, CiphertextFormat format, KeyBlobFormat keyFormat) {
    PolicySet policies =
        PolicySet.builder()
            .admin(ADMIN)
            .policy(
                "app",
                Policies.of(
                    PolicyMatching.PREFIX,
                    List.of(
                        "/v1/key/create/app-*",
                        "/v1/key/generate/app-*",
                        "/v1/key/decrypt/app-*",
                        "/v1/key/list/*",
                        "/v1/status"),
                    List.of("/v1/key/generate/app-secret*")))
            .assign(APP, "app")
            .build();
    return Kes.builder()
        .keyStore(store)
        .closeKeyStore(false)
        .policies(policies)
        .cache(cache)
        .ciphertextFormat(format)
        .keyFormat(keyFormat)
        .clock(clock)
        .manualMaintenance()
        .auditSink(audit::add)
        .build();
  }

  @AfterEach
  void tearDown() {
    kes.close();
  }

  @Nested
  class Keys {
    @Test
    void createThenDescribe() {
      kes.createKey("my-key");
      KeyInfo info = kes.describeKey("my-key");
      assertThat(info.name()).isEqualTo("my-key");
      assertThat(info.algorithm()).isEqualTo(KeyAlgorithm.AES256);
      assertThat(info.createdAt()).isEqualTo(clock.instant());
      assertThat(info.createdBy()).isEmpty();
    }

    @Test
    void createTwiceFails() {
      kes.createKey("my-key");
      assertThatThrownBy(() -> kes.createKey("my-key")).isInstanceOf(KeyExistsException.class);
    }

    @Test
    void storedBlobIsTheConfiguredFormat() {
      kes.createKey("proto");
      KeyVersion parsed = KeyBlobs.parse(mem.get("proto"));
      assertThat(parsed.hasHmac()).isTrue();
      assertThat(new String(mem.get("proto"), UTF_8)).doesNotStartWith("{");

      Kes legacy = engine(CacheConfig.none(), CiphertextFormat.JSON, KeyBlobFormat.LEGACY_JSON);
      legacy.createKey("legacy");
      assertThat(new String(mem.get("legacy"), UTF_8)).startsWith("{\"bytes\":\"");
      legacy.close();
    }

    @Test
    void deleteRemovesAndEvicts() {
      kes.createKey("k");
      kes.generateKey("k", CTX); // cached now
      kes.deleteKey("k");
      assertThatThrownBy(() -> kes.generateKey("k", CTX)).isInstanceOf(KeyNotFoundException.class);
      assertThatThrownBy(() -> kes.deleteKey("k")).isInstanceOf(KeyNotFoundException.class);
    }

    @Test
    void unknownKeyIsNotFound() {
      assertThatThrownBy(() -> kes.describeKey("nope")).isInstanceOf(KeyNotFoundException.class);
      assertThatThrownBy(() -> kes.decrypt("nope", new byte[60], null))
          .isInstanceOf(KeyNotFoundException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "my.key", "key/", "-key", "key-", "_", "☰"})
    void invalidNamesAreRejectedBeforeTheStore(String name) {
      assertThatThrownBy(() -> kes.createKey(name))
          .isInstanceOf(InvalidNameException.class)
          .hasMessage("key name '" + name + "' is empty, too long or contains invalid characters");
      assertThat(store.calls(FaultyKeyStore.Operation.CREATE)).isZero();
    }

    @Test
    void lenientNamesAcceptWhatKes016Accepted() {
      Kes lenient =
          Kes.builder()
              .keyStore(store)
              .closeKeyStore(false)
              .lenientNames(true)
              .manualMaintenance()
              .build();
      lenient.createKey("my.key");
      assertThat(lenient.describeKey("my.key").name()).isEqualTo("my.key");
      lenient.close();
    }

    @Test
    void listIsSortedPagedAndStripsOneTrailingStar() {
      for (String n : List.of("b-2", "a-1", "b-1", "c-1", "b-3")) {
        kes.createKey(n);
      }
      assertThat(kes.listKeys("*", "", 0).items())
          .containsExactly("a-1", "b-1", "b-2", "b-3", "c-1");
      assertThat(kes.listKeys("b*", "", 0).items()).containsExactly("b-1", "b-2", "b-3");
      assertThat(kes.listKeys("b", "", 0).items()).containsExactly("b-1", "b-2", "b-3");
      Page<String> first = kes.listKeys("", "", 2);
      assertThat(first.items()).containsExactly("a-1", "b-1");
      assertThat(first.continueAt()).isEqualTo("b-2");
      Page<String> second = kes.listKeys("", first.continueAt(), 2);
      assertThat(second.items()).containsExactly("b-2", "b-3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*-*", "my.key", "a*b", "_"})
    void invalidListPatterns(String pattern) {
      assertThatThrownBy(() -> kes.listKeys(pattern, "", 0))
          .isInstanceOf(InvalidNameException.class)
          .hasMessage("listing pattern '" + pattern + "' is empty, too long or is invalid");
    }
  }

  @Nested
  class Crypto {
    @ParameterizedTest
    @EnumSource(CiphertextFormat.class)
    void generateThenDecrypt(CiphertextFormat format) {
      Kes k = engine(CacheConfig.kesDefaults(), format, KeyBlobFormat.PROTOBUF);
      k.createKey("k");
      DataKey dek = k.generateKey("k", CTX);
      assertThat(dek.plaintext()).hasSize(32);
      assertThat(k.decrypt("k", dek.ciphertext(), CTX)).isEqualTo(dek.plaintext());
      if (format == CiphertextFormat.BINARY) {
        assertThat(dek.ciphertext()).hasSize(32 + 44);
      }
      if (format == CiphertextFormat.JSON) {
        assertThat(new String(dek.ciphertext(), UTF_8)).startsWith("{\"aead\":");
      }
      k.close();
    }

    @Test
    void dataKeysAreFresh() {
      kes.createKey("k");
      assertThat(kes.generateKey("k", null).plaintext())
          .isNotEqualTo(kes.generateKey("k", null).plaintext());
    }

    @Test
    void wrongContextOrTamperingFails() {
      kes.createKey("k");
      DataKey dek = kes.generateKey("k", CTX);
      assertThatThrownBy(() -> kes.decrypt("k", dek.ciphertext(), "other".getBytes(UTF_8)))
          .isInstanceOf(DecryptionException.class)
          .hasMessage("decryption failed: ciphertext is not authentic");
      byte[] tampered = dek.ciphertext();
      tampered[tampered.length / 2] ^= 1;
      assertThatThrownBy(() -> kes.decrypt("k", tampered, CTX))
          .isInstanceOf(DecryptionException.class);
    }

    @Test
    void anotherKeyCannotDecrypt() {
      kes.createKey("k1");
      kes.createKey("k2");
      byte[] ct = kes.encrypt("k1", "secret".getBytes(UTF_8), CTX);
      assertThatThrownBy(() -> kes.decrypt("k2", ct, CTX)).isInstanceOf(DecryptionException.class);
      assertThat(kes.decrypt("k1", ct, CTX)).isEqualTo("secret".getBytes(UTF_8));
    }

    @Test
    void nullAndEmptyContextAreTheSame() {
      kes.createKey("k");
      byte[] ct = kes.encrypt("k", new byte[] {1, 2, 3}, null);
      assertThat(kes.decrypt("k", ct, new byte[0])).containsExactly(1, 2, 3);
    }

    @Test
    void decryptsAKes016JsonCiphertextUnderAnImportedZeroKey() {
      kes.importKey("legacy", KeyAlgorithm.AES256, new byte[32]);
      byte[] j0 =
          ("{\"aead\":\"AES-256-GCM-HMAC-SHA-256\",\"iv\":\"xLxIN3tSCkg2xMafuvwUwg==\","
                  + "\"nonce\":\"gu0mGwUkwcvMEoi5\","
                  + "\"bytes\":\"WVgRjeIJm3w50C/l+y7y2i6mbNg5NCAqN1zvOYWZKmc=\"}")
              .getBytes(UTF_8);
      assertThat(kes.decrypt("legacy", j0, null)).isEqualTo(new byte[16]);
    }

    @Test
    void bulkDecryptKeepsOrderAndFailsAsAWhole() {
      kes.createKey("k");
      List<DecryptRequest> requests = new ArrayList<>();
      List<byte[]> expected = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        byte[] ctx = ("ctx" + i).getBytes(UTF_8);
        DataKey dek = kes.generateKey("k", ctx);
        requests.add(DecryptRequest.of(dek.ciphertext(), ctx));
        expected.add(dek.plaintext());
      }
      assertThat(kes.decryptAll("k", requests)).containsExactlyElementsOf(expected);
      requests.set(5, DecryptRequest.of(requests.get(5).ciphertext(), CTX));
      assertThatThrownBy(() -> kes.decryptAll("k", requests))
          .isInstanceOf(DecryptionException.class);
    }

    @Test
    void bulkDecryptIsLimitedTo1000() {
      kes.createKey("k");
      byte[] ct = kes.encrypt("k", new byte[1], null);
      List<DecryptRequest> many = Collections.nCopies(1001, DecryptRequest.of(ct, null));
      assertThatThrownBy(() -> kes.decryptAll("k", many))
          .isInstanceOf(KesException.class)
          .hasMessage("too many ciphertexts")
          .extracting(e -> ((KesException) e).status())
          .isEqualTo(400);
      assertThat(kes.decryptAll("k", many.subList(0, 1000))).hasSize(1000);
    }
  }

  @Nested
  class ImportAndHmac {
    @ParameterizedTest
    @CsvSource({
      "AES256,AES256",
      "AES256-GCM_SHA256,AES256",
      "ChaCha20,CHACHA20",
      "XCHACHA20-POLY1305,CHACHA20"
    })
    void importAcceptsKesAliases(String cipher, KeyAlgorithm expected) {
      byte[] material = new byte[32];
      material[0] = 7;
      kes.importKey("imported", KeyAlgorithm.parse(cipher), material);
      assertThat(kes.describeKey("imported").algorithm()).isEqualTo(expected);
      byte[] ct = kes.encrypt("imported", new byte[] {9}, CTX);
      assertThat(kes.decrypt("imported", ct, CTX)).containsExactly(9);
    }

    @Test
    void importRejectsWrongSizes() {
      assertThatThrownBy(() -> kes.importKey("k", KeyAlgorithm.AES256, new byte[31]))
          .isInstanceOf(KesException.class)
          .hasMessage("invalid key size for 'AES256'")
          .extracting(e -> ((KesException) e).status())
          .isEqualTo(406);
      assertThatThrownBy(() -> KeyAlgorithm.parse("")).hasMessage("algorithm '' is not supported");
    }

    @Test
    void hmacIsStableForAKeyAndDiffersAcrossKeys() {
      kes.createKey("a");
      kes.createKey("b");
      byte[] m = "message".getBytes(UTF_8);
      assertThat(kes.hmac("a", m)).hasSize(32).isEqualTo(kes.hmac("a", m));
      assertThat(kes.hmac("a", m)).isNotEqualTo(kes.hmac("b", m));
    }

    @Test
    void legacyKeysHaveNoHmac() {
      mem.create(
          "old", "{\"bytes\":\"J8qmOyEV2ce2yoAC+5t0Y7CSP/hTMppL7XHpAnyc+0E=\"}".getBytes(UTF_8));
      assertThatThrownBy(() -> kes.hmac("old", new byte[1]))
          .isInstanceOf(KesException.class)
          .hasMessage("key does not support HMAC")
          .extracting(e -> ((KesException) e).status())
          .isEqualTo(409);
    }
  }

  @Nested
  class Authorization {
    @Test
    void adminMayDoAnything() {
      KeyService admin = kes.as(ADMIN);
      admin.createKey("anything");
      admin.deleteKey("anything");
    }

    @Test
    void policyDecidesForAssignedIdentities() {
      KeyService app = kes.as(APP);
      app.createKey("app-key");
      assertThat(kes.describeKey("app-key").createdBy()).isEqualTo(APP.value());
      DataKey dek = app.generateKey("app-key", CTX);
      assertThat(app.decrypt("app-key", dek.ciphertext(), CTX)).isEqualTo(dek.plaintext());
      assertThat(app.listKeys("*", "", 0).items()).contains("app-key");
      assertThatThrownBy(() -> app.deleteKey("app-key")).isInstanceOf(NotAuthorizedException.class);
      assertThatThrownBy(() -> app.createKey("other")).isInstanceOf(NotAuthorizedException.class);
      kes.createKey("app-secret");
      assertThatThrownBy(() -> app.generateKey("app-secret", CTX))
          .isInstanceOf(NotAuthorizedException.class)
          .hasMessage("not authorized: insufficient permissions");
      assertThat(app.status().version()).isEqualTo(Kes.version());
    }

    @Test
    void unknownIdentitiesAreDeniedEverything() {
      KeyService stranger = kes.as(STRANGER);
      assertThatThrownBy(() -> stranger.status()).isInstanceOf(NotAuthorizedException.class);
      assertThatThrownBy(() -> stranger.createKey("app-x"))
          .isInstanceOf(NotAuthorizedException.class);
      assertThat(store.calls(FaultyKeyStore.Operation.CREATE)).isZero();
    }

    @Test
    void policyIsCheckedBeforeNameValidation() {
      // spec §1.1: the policy check comes first, so a refused caller learns nothing about names
      assertThatThrownBy(() -> kes.as(STRANGER).createKey("bad.name"))
          .isInstanceOf(NotAuthorizedException.class);
      assertThatThrownBy(() -> kes.as(ADMIN).createKey("bad.name"))
          .isInstanceOf(InvalidNameException.class);
    }

    @Test
    void preAuthorizedViewRecordsTheCallerWithoutCheckingPolicies() {
      kes.asAuthorized(STRANGER, "10.0.0.1").createKey("x");
      assertThat(kes.describeKey("x").createdBy()).isEqualTo(STRANGER.value());
      assertThat(audit.get(0).clientAddress()).isEqualTo("10.0.0.1");
    }
  }

  @Nested
  class Audit {
    @Test
    void everyOperationEmitsOneEventWithItsOutcome() {
      KeyService app = kes.as(APP);
      app.createKey("app-k");
      app.generateKey("app-k", CTX);
      assertThatThrownBy(() -> app.deleteKey("app-k")).isInstanceOf(NotAuthorizedException.class);
      assertThatThrownBy(() -> kes.describeKey("missing")).isInstanceOf(KeyNotFoundException.class);
      assertThat(audit)
          .extracting(AuditEvent::path, AuditEvent::identity, AuditEvent::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("/v1/key/create/app-k", APP.value(), 200),
              org.assertj.core.groups.Tuple.tuple("/v1/key/generate/app-k", APP.value(), 200),
              org.assertj.core.groups.Tuple.tuple("/v1/key/delete/app-k", APP.value(), 403),
              org.assertj.core.groups.Tuple.tuple("/v1/key/describe/missing", "", 404));
      assertThat(audit).allSatisfy(e -> assertThat(e.time()).isEqualTo(clock.instant()));
    }

    @Test
    void eventsNeverCarryKeyMaterial() {
      kes.createKey("k");
      DataKey dek = kes.generateKey("k", CTX);
      String b64 = Base64.getEncoder().encodeToString(dek.plaintext());
      assertThat(audit).allSatisfy(e -> assertThat(e.toJson()).doesNotContain(b64));
      assertThat(dek.toString()).doesNotContain(b64);
    }
  }

  @Nested
  class Cache {
    @Test
    void concurrentMissesFetchOnce() throws Exception {
      kes.createKey("k");
      store.latency(Duration.ofMillis(200)).only(FaultyKeyStore.Operation.GET);
      store.resetCounters();
      int threads = 8;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<DataKey>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return kes.generateKey("k", CTX);
                }));
      }
      start.countDown();
      for (Future<DataKey> f : results) {
        DataKey dek = f.get(10, TimeUnit.SECONDS);
        assertThat(kes.decrypt("k", dek.ciphertext(), CTX)).isEqualTo(dek.plaintext());
      }
      pool.shutdown();
      assertThat(store.calls(FaultyKeyStore.Operation.GET)).isEqualTo(1);
    }

    @Test
    void concurrentMissesShareTheFailure() throws Exception {
      store.latency(Duration.ofMillis(100)).only(FaultyKeyStore.Operation.GET);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(pool.submit(() -> kes.generateKey("missing", CTX)));
      }
      for (Future<?> f : results) {
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(KeyNotFoundException.class);
      }
      pool.shutdown();
      assertThat(store.calls(FaultyKeyStore.Operation.GET)).isBetween(1L, 4L);
    }

    @Test
    void anyExpiryDropsEverythingOnItsTick() {
      Kes k =
          engine(
              new CacheConfig(Duration.ofMinutes(5), Duration.ZERO, Duration.ZERO),
              CiphertextFormat.JSON,
              KeyBlobFormat.PROTOBUF);
      k.createKey("k");
      k.generateKey("k", CTX);
      store.resetCounters();
      clock.advance(Duration.ofMinutes(4));
      k.runMaintenance();
      k.generateKey("k", CTX);
      assertThat(store.calls(FaultyKeyStore.Operation.GET)).isZero();
      clock.advance(Duration.ofMinutes(1));
      k.runMaintenance();
      k.generateKey("k", CTX);
      assertThat(store.calls(FaultyKeyStore.Operation.GET)).isEqualTo(1);
      k.close();
    }

    @Test
    void unusedExpiryKeepsKeysInUse() {
      Kes k =
          engine(
              new CacheConfig(Duration.ZERO, Duration.ofSeconds(30), Duration.ZERO),
              CiphertextFormat.JSON,
              KeyBlobFormat.PROTOBUF);
      k.createKey("busy");
      k.createKey("idle");
      k.generateKey("busy", CTX);
      k.generateKey("idle", CTX);
      store.resetCounters();
      for (int i = 0; i < 4; i++) { // four sweeps, 15 s apart
        clock.advance(Duration.ofSeconds(15));
        k.generateKey("busy", CTX);
        k.runMaintenance();
      }
      k.generateKey("busy", CTX);
      assertThat(store.calls(FaultyKeyStore.Operation.GET)).isZero();
      k.generateKey("idle", CTX);
      assertThat(store.calls(FaultyKeyStore.Operation.GET)).isEqualTo(1);
      k.close();
    }

    /** An engine whose cache keeps keys for an hour while the store is offline. */
    Kes offlineEngine() {
      return engine(
          new CacheConfig(Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofHours(1)),
          CiphertextFormat.JSON,
          KeyBlobFormat.PROTOBUF);
    }

    @Test
    void offlineModeKeepsServingCachedKeysAndMissesFail() {
      Kes k = offlineEngine();
      k.createKey("cached");
      k.createKey("uncached");
      DataKey before = k.generateKey("cached", CTX);
      store.outage();
      clock.advance(Duration.ofSeconds(10)); // probe due
      k.runMaintenance();
      assertThat(k.offline()).isTrue();
      ServiceStatus status = k.status();
      assertThat(status.keyStoreReachable()).isFalse();
      for (int i = 0; i < 10; i++) { // far beyond any/unused: sweeps are suspended
        clock.advance(Duration.ofSeconds(30));
        k.runMaintenance();
      }
      assertThat(k.decrypt("cached", before.ciphertext(), CTX)).isEqualTo(before.plaintext());
      assertThatThrownBy(() -> k.generateKey("uncached", CTX))
          .isInstanceOf(KeyStoreUnreachableException.class)
          .hasMessage("failed to read key");
      store.recover();
      clock.advance(Duration.ofSeconds(10));
      k.runMaintenance();
      assertThat(k.offline()).isFalse();
      assertThat(k.status().keyStoreReachable()).isTrue();
      k.generateKey("uncached", CTX);
      k.close();
    }

    /** The store goes down and the next probe notices. */
    void goOffline(Kes k) {
      store.outage();
      clock.advance(Duration.ofSeconds(10));
      k.runMaintenance();
      assertThat(k.offline()).isTrue();
    }

    /** Issue 14: readiness lagged 20-30 s behind the store coming back. */
    @Test
    void offlineEndsWithTheFirstAnswerFromTheStoreNotTheNextProbe() {
      Kes k = offlineEngine();
      k.createKey("a");
      goOffline(k);
      store.recover(); // no time passes, so no probe runs from here on
      k.generateKey("a", CTX); // a fetch that reaches the store
      assertThat(k.offline()).isFalse();

      goOffline(k);
      store.recover();
      assertThatThrownBy(() -> k.generateKey("missing", CTX))
          .isInstanceOf(KeyNotFoundException.class); // "not found" is an answer too
      assertThat(k.offline()).isFalse();

      goOffline(k);
      store.recover();
      assertThatThrownBy(() -> k.createKey("a")).isInstanceOf(KeyExistsException.class);
      assertThat(k.offline()).isFalse();
      k.close();
    }

    @Test
    void statusAsksTheStoreInsteadOfRepeatingTheLastProbe() {
      Kes k = offlineEngine();
      goOffline(k);
      store.recover();
      assertThat(k.status().keyStoreReachable()).isTrue();
      assertThat(k.offline()).isFalse();
      store.outage();
      assertThat(k.status().keyStoreReachable()).isFalse(); // without waiting for a probe
      assertThat(k.offline()).isTrue();
      k.close();
    }

    @Test
    void offlineExpiryClearsWhileOffline() {
      Kes k =
          engine(
              new CacheConfig(Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)),
              CiphertextFormat.JSON,
              KeyBlobFormat.PROTOBUF);
      k.createKey("k");
      k.generateKey("k", CTX);
      store.outage();
      clock.advance(Duration.ofSeconds(10));
      k.runMaintenance();
      assertThat(k.offline()).isTrue();
      k.generateKey("k", CTX); // still cached
      clock.advance(Duration.ofMinutes(1));
      k.runMaintenance();
      assertThatThrownBy(() -> k.generateKey("k", CTX))
          .isInstanceOf(KeyStoreUnreachableException.class);
      k.close();
    }

    @Test
    void twoEnginesOverOneStoreSeeADeleteAfterExpiry() {
      Kes a =
          engine(
              new CacheConfig(Duration.ofMinutes(5), Duration.ZERO, Duration.ZERO),
              CiphertextFormat.JSON,
              KeyBlobFormat.PROTOBUF);
      Kes b =
          engine(
              new CacheConfig(Duration.ofMinutes(5), Duration.ZERO, Duration.ZERO),
              CiphertextFormat.JSON,
              KeyBlobFormat.PROTOBUF);
      a.createKey("shared");
      DataKey dek = a.generateKey("shared", CTX);
      assertThat(b.decrypt("shared", dek.ciphertext(), CTX)).isEqualTo(dek.plaintext());
      a.deleteKey("shared");
      assertThatThrownBy(() -> a.generateKey("shared", CTX))
          .isInstanceOf(KeyNotFoundException.class);
      // b still serves its cached copy until its cache expires (spec §8, DESIGN "Scale")
      assertThat(b.decrypt("shared", dek.ciphertext(), CTX)).isEqualTo(dek.plaintext());
      clock.advance(Duration.ofMinutes(5));
      b.runMaintenance();
      assertThatThrownBy(() -> b.decrypt("shared", dek.ciphertext(), CTX))
          .isInstanceOf(KeyNotFoundException.class);
      a.close();
      b.close();
    }

    @Test
    void backgroundMaintenanceRunsWithoutHelp() throws Exception {
      try (Kes k =
          Kes.builder()
              .keyStore(store)
              .closeKeyStore(false)
              .cache(new CacheConfig(Duration.ofMillis(50), Duration.ZERO, Duration.ZERO))
              .build()) {
        k.createKey("k");
        k.generateKey("k", CTX);
        store.resetCounters();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.calls(FaultyKeyStore.Operation.GET) == 0 && System.nanoTime() < deadline) {
          Thread.sleep(20);
          k.generateKey("k", CTX);
        }
        assertThat(store.calls(FaultyKeyStore.Operation.GET)).isPositive();
      }
    }
  }

  @Test
  void closedEngineRefusesCalls() {
    kes.close();
    assertThatThrownBy(() -> kes.createKey("k")).isInstanceOf(IllegalStateException.class);
  }
}
