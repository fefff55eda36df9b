package dev.kes4j.keystore.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.cloud.secretmanager.v1.Secret;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.keystore.gcp.fake.FakeSecretManager;
import dev.kes4j.keystore.gcp.fake.FakeSecretManager.Method;
import io.grpc.Status;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The store against the fake over loopback TCP, with the real client: layout, interop, faults. */
class GcpSecretManagerKeyStoreTest {
  /** What KES ≤ 0.18 (0.16.1 included) stores for a key (spec §5.2). */
  private static final byte[] KES_016_VALUE =
      "{\"bytes\":\"J8qmOyEV2ce2yoAC+5t0Y7CSP/hTMppL7XHpAnyc+0E=\"}"
          .getBytes(StandardCharsets.UTF_8);

  /** A generous correctness ceiling for a 1 s bound (not a performance assertion). */
  private static final Duration CEILING = Duration.ofSeconds(10);

  private FakeSecretManager fake;
  private GcpSecretManagerKeyStore store; // 5 s: the machine is shared, first calls may be slow
  private GcpSecretManagerKeyStore fast; // 1 s: for the tests that expect the bound to pass

  @BeforeEach
  void start() {
    fake = new FakeSecretManager().start();
    store = storeWithTimeout(Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    if (fast != null) {
      fast.close();
    }
    store.close();
    fake.close();
  }

  private GcpSecretManagerKeyStore storeWithTimeout(Duration timeout) {
    return GcpSecretManagerKeyStore.builder()
        .projectId(fake.projectId())
        .endpoint(fake.endpoint())
        .timeout(timeout)
        .build();
  }

  /** A store with a 1 s bound, for tests where the bound must pass. */
  private GcpSecretManagerKeyStore fast() {
    if (fast == null) {
      fast = storeWithTimeout(Duration.ofSeconds(1));
    }
    return fast;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Neither the error nor any cause is a gRPC or gax type (STYLE §3). */
  private static void assertNoClientTypes(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      assertThat(c.getClass().getName()).doesNotStartWith("io.grpc").doesNotStartWith("com.google");
      for (Throwable s : c.getSuppressed()) {
        assertNoClientTypes(s);
      }
    }
  }

  private static Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  @Nested
  @DisplayName("interop with KES")
  class Interop {
    @Test
    @DisplayName("reads a key written by KES 0.16 (payload in version 1) byte-exact")
    void readsKes016Key() {
      fake.createSecret("my-key");
      fake.addSecretVersion("my-key", KES_016_VALUE);
      assertThat(store.get("my-key")).isEqualTo(KES_016_VALUE);
      assertThat(
              Base64.getDecoder()
                  .decode(
                      new String(store.get("my-key"), StandardCharsets.UTF_8)
                          .replaceAll(".*\"bytes\":\"([^\"]+)\".*", "$1")))
          .hasSize(32);
    }

    @Test
    @DisplayName("always reads version 1, never latest")
    void readsVersionOne() {
      fake.createSecret("my-key");
      fake.addSecretVersion("my-key", KES_016_VALUE);
      fake.addSecretVersion("my-key", utf8("a later version"));
      assertThat(store.get("my-key")).isEqualTo(KES_016_VALUE);
    }

    @Test
    @DisplayName("a secret without version 1 reads as not found")
    void secretWithoutVersion() {
      fake.createSecret("half-key");
      assertThatThrownBy(() -> store.get("half-key")).isInstanceOf(KeyNotFoundException.class);
    }

    @Test
    @DisplayName("lists ids although the service names secrets by project number")
    void listsLastSegment() {
      fake.createSecret("b-key");
      fake.createSecret("a-key");
      fake.createSecret("other");
      assertThat(store.list("", "", 0).items()).containsExactly("a-key", "b-key", "other");
      assertThat(store.list("a-", "", 0).items()).containsExactly("a-key");
    }

    @Test
    @DisplayName("lists across many pages of the service")
    void listsAllPages() {
      fake.maxPageSize(3);
      List<String> expected = new ArrayList<>();
      for (int i = 9; i >= 0; i--) {
        fake.createSecret("k" + i);
        expected.add(0, "k" + i);
      }
      assertThat(store.list("k", "", 0).items()).containsExactlyElementsOf(expected);
      assertThat(fake.calls(Method.LIST_SECRETS)).isEqualTo(4);
      assertThat(store.list("k", "k3", 4).items()).containsExactly("k3", "k4", "k5", "k6");
      assertThat(store.list("k", "k3", 4).continueAt()).isEqualTo("k7");
    }

    @Test
    @DisplayName("two stores over one project see each other's keys")
    void sharedProject() {
      try (GcpSecretManagerKeyStore other = storeWithTimeout(Duration.ofSeconds(1))) {
        store.create("shared", utf8("v"));
        assertThat(other.get("shared")).isEqualTo(utf8("v"));
        other.delete("shared");
        assertThatThrownBy(() -> store.get("shared")).isInstanceOf(KeyNotFoundException.class);
      }
    }
  }

  @Nested
  @DisplayName("layout (spec §5.3)")
  class Layout {
    @Test
    @DisplayName("create: secret id = name, only version 1 = the bytes, automatic, no labels")
    void createLayout() {
      byte[] value = utf8("{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}");
      store.create("my-key", value);
      assertThat(fake.secretIds()).containsExactly("my-key");
      Secret secret = fake.secret("my-key").orElseThrow();
      assertThat(secret.getName())
          .isEqualTo("projects/" + fake.projectNumber() + "/secrets/my-key");
      assertThat(secret.getReplication().hasAutomatic()).isTrue();
      assertThat(secret.getLabelsMap()).isEmpty();
      assertThat(secret.getAnnotationsMap()).isEmpty();
      assertThat(fake.versionCount("my-key")).isEqualTo(1);
      assertThat(fake.payload("my-key", 1)).hasValueSatisfying(p -> assertThat(p).isEqualTo(value));
      assertThat(fake.versionHadChecksum("my-key", 1)).as("data_crc32c sent").isTrue();
      assertThat(fake.calls(Method.CREATE_SECRET)).isEqualTo(1);
      assertThat(fake.calls(Method.ADD_SECRET_VERSION)).isEqualTo(1);
    }

    @Test
    @DisplayName("delete removes the whole secret")
    void deleteRemovesSecret() {
      store.create("my-key", utf8("v"));
      store.delete("my-key");
      assertThat(fake.secretIds()).isEmpty();
    }

    @Test
    @DisplayName("a name that cannot be a secret id: create → 502, get/delete → not found")
    void invalidSecretIds() {
      for (String name : List.of("a.b", "a/b", "x/versions/latest", "", "ä")) {
        Throwable t = catchThrowable(() -> store.create(name, utf8("v")));
        assertThat(t).isExactlyInstanceOf(KesException.class).hasMessage("failed to create key");
        assertThat(((KesException) t).status()).isEqualTo(502);
        assertThatThrownBy(() -> store.get(name)).isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> store.delete(name)).isInstanceOf(KeyNotFoundException.class);
      }
      assertThat(fake.calls(Method.CREATE_SECRET)).isZero();
    }

    @Test
    @DisplayName("a secret that is not a KES key blocks the name: create → KeyExistsException")
    void foreignSecretBlocksName() {
      fake.createSecret("taken");
      assertThatThrownBy(() -> store.create("taken", utf8("v")))
          .isInstanceOf(KeyExistsException.class);
    }
  }

  @Nested
  @DisplayName("bounded calls and retries")
  class Faults {
    @Test
    @DisplayName("an unreachable endpoint fails every operation within the bound, 502")
    void unreachableEndpoint() throws IOException {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      try (GcpSecretManagerKeyStore dead =
          GcpSecretManagerKeyStore.builder()
              .projectId("p")
              .endpoint("http://127.0.0.1:" + port)
              .timeout(Duration.ofSeconds(1))
              .build()) {
        List<Runnable> calls =
            List.of(
                () -> dead.create("k", utf8("v")),
                () -> dead.get("k"),
                () -> dead.delete("k"),
                () -> dead.list("", "", 0),
                dead::status);
        List<String> messages =
            List.of(
                "failed to create key",
                "failed to read key",
                "failed to delete key",
                "failed to list keys",
                "key store is not reachable");
        for (int i = 0; i < calls.size(); i++) {
          long start = System.nanoTime();
          Throwable t = catchThrowable(calls.get(i)::run);
          assertThat(elapsedSince(start)).isLessThan(CEILING);
          assertThat(t)
              .isInstanceOf(KeyStoreUnreachableException.class)
              .hasMessage(messages.get(i));
          assertThat(((KesException) t).status()).isIn(502, 504);
          assertNoClientTypes(t);
        }
      }
    }

    @Test
    @DisplayName("UNAVAILABLE on every attempt → KeyStoreUnreachableException 502 within the bound")
    void unavailable() {
      store.create("k", utf8("v"));
      fake.failNext(Method.ACCESS_SECRET_VERSION, Status.Code.UNAVAILABLE, 100);
      GcpSecretManagerKeyStore bounded = fast();
      long start = System.nanoTime();
      Throwable t = catchThrowable(() -> bounded.get("k"));
      assertThat(elapsedSince(start)).isLessThan(CEILING);
      assertThat(t)
          .isInstanceOf(KeyStoreUnreachableException.class)
          .hasMessage("failed to read key");
      assertThat(((KesException) t).status()).isEqualTo(502);
      assertThat(t.getCause()).hasMessageContaining("UNAVAILABLE");
      assertNoClientTypes(t);
      assertThat(fake.calls(Method.ACCESS_SECRET_VERSION)).as("bounded attempts").isEqualTo(3);
    }

    @Test
    @DisplayName("latency above the timeout → unreachable with status 504, within the bound")
    void deadline() {
      store.create("k", utf8("v"));
      fake.delay(Method.ACCESS_SECRET_VERSION, Duration.ofSeconds(3));
      GcpSecretManagerKeyStore bounded = fast();
      long start = System.nanoTime();
      Throwable t = catchThrowable(() -> bounded.get("k"));
      assertThat(elapsedSince(start)).isLessThan(CEILING);
      assertThat(t)
          .isInstanceOf(KeyStoreUnreachableException.class)
          .hasMessage("failed to read key");
      assertThat(((KesException) t).status()).isEqualTo(504);
      assertNoClientTypes(t);
    }

    @Test
    @DisplayName("latency above the timeout on create → 504 and nothing readable is left")
    void slowCreate() {
      fake.delay(Method.ADD_SECRET_VERSION, Duration.ofSeconds(3));
      Throwable t = catchThrowable(() -> fast().create("k", utf8("v")));
      assertThat(t)
          .isInstanceOf(KeyStoreUnreachableException.class)
          .hasMessage("failed to create key");
      assertThat(((KesException) t).status()).isEqualTo(504);
      fake.clearFaults();
      assertThatThrownBy(() -> store.get("k")).isInstanceOf(KeyNotFoundException.class);
      assertThat(fake.secretIds()).as("cleaned up").isEmpty();
    }

    @Test
    @DisplayName("get retries UNAVAILABLE once and then succeeds")
    void getRetries() {
      store.create("k", utf8("v"));
      fake.failNext(Method.ACCESS_SECRET_VERSION, Status.Code.UNAVAILABLE, 1);
      assertThat(store.get("k")).isEqualTo(utf8("v"));
      assertThat(fake.calls(Method.ACCESS_SECRET_VERSION)).isEqualTo(2);
    }

    @Test
    @DisplayName("list and status retry UNAVAILABLE")
    void listRetries() {
      store.create("k", utf8("v"));
      fake.failNext(Method.LIST_SECRETS, Status.Code.UNAVAILABLE, 1);
      assertThat(store.list("", "", 0).items()).containsExactly("k");
      fake.failNext(Method.LIST_SECRETS, Status.Code.UNAVAILABLE, 2);
      assertThat(store.status().isNegative()).isFalse();
      assertThat(fake.calls(Method.LIST_SECRETS)).isEqualTo(5);
    }

    @Test
    @DisplayName("create is never retried: one CreateSecret for an UNAVAILABLE")
    void createNotRetried() {
      fake.failNext(Method.CREATE_SECRET, Status.Code.UNAVAILABLE, 1);
      assertThatThrownBy(() -> store.create("k", utf8("v")))
          .isInstanceOf(KeyStoreUnreachableException.class)
          .hasMessage("failed to create key");
      assertThat(fake.calls(Method.CREATE_SECRET)).isEqualTo(1);
      store.create("k", utf8("v"));
      assertThat(store.get("k")).isEqualTo(utf8("v"));
    }

    @Test
    @DisplayName("add-version and delete are never retried")
    void addAndDeleteNotRetried() {
      fake.failNext(Method.ADD_SECRET_VERSION, Status.Code.UNAVAILABLE, 1);
      assertThatThrownBy(() -> store.create("k", utf8("v")))
          .isInstanceOf(KeyStoreUnreachableException.class);
      assertThat(fake.calls(Method.ADD_SECRET_VERSION)).isEqualTo(1);
      store.create("k", utf8("v"));
      fake.failNext(Method.DELETE_SECRET, Status.Code.UNAVAILABLE, 1);
      assertThatThrownBy(() -> store.delete("k"))
          .isInstanceOf(KeyStoreUnreachableException.class)
          .hasMessage("failed to delete key");
      assertThat(fake.calls(Method.DELETE_SECRET)).as("1 cleanup + 1 delete").isEqualTo(2);
      assertThat(store.get("k")).isEqualTo(utf8("v"));
    }

    static Stream<Arguments> otherCodes() {
      return Stream.of(
          Arguments.of(Status.Code.PERMISSION_DENIED),
          Arguments.of(Status.Code.INTERNAL),
          Arguments.of(Status.Code.INVALID_ARGUMENT),
          Arguments.of(Status.Code.RESOURCE_EXHAUSTED),
          Arguments.of(Status.Code.UNAUTHENTICATED),
          Arguments.of(Status.Code.FAILED_PRECONDITION));
    }

    @ParameterizedTest(name = "{0} → KesException 502 with the operation's message")
    @MethodSource("otherCodes")
    void otherErrors(Status.Code code) {
      store.create("k", utf8("v"));
      Map<Method, Runnable> calls =
          Map.of(
              Method.CREATE_SECRET, () -> store.create("k2", utf8("v")),
              Method.ACCESS_SECRET_VERSION, () -> store.get("k"),
              Method.DELETE_SECRET, () -> store.delete("k"),
              Method.LIST_SECRETS, () -> store.list("", "", 0));
      Map<Method, String> messages =
          Map.of(
              Method.CREATE_SECRET, "failed to create key",
              Method.ACCESS_SECRET_VERSION, "failed to read key",
              Method.DELETE_SECRET, "failed to delete key",
              Method.LIST_SECRETS, "failed to list keys");
      for (Map.Entry<Method, Runnable> call : calls.entrySet()) {
        fake.failNext(call.getKey(), code, 1);
        Throwable t = catchThrowable(call.getValue()::run);
        assertThat(t)
            .as("%s", call.getKey())
            .isExactlyInstanceOf(KesException.class)
            .hasMessage(messages.get(call.getKey()));
        assertThat(((KesException) t).status()).isEqualTo(502);
        assertThat(t.getCause()).hasMessageContaining(code.name());
        assertNoClientTypes(t);
      }
    }

    @Test
    @DisplayName("status: any answer of the service is reachable; an injected delay is 504")
    void status() {
      fake.failNext(Method.LIST_SECRETS, Status.Code.PERMISSION_DENIED, 1);
      assertThat(store.status().isNegative()).isFalse();
      fake.delay(Method.LIST_SECRETS, Duration.ofSeconds(3));
      Throwable t = catchThrowable(fast()::status);
      assertThat(t).isInstanceOf(KeyStoreUnreachableException.class);
      assertThat(((KesException) t).status()).isEqualTo(504);
    }
  }

  @Nested
  @DisplayName("partial create")
  class PartialCreate {
    @Test
    @DisplayName("AddSecretVersion fails → error, the secret is deleted, get → not found")
    void cleanedUp() {
      fake.failNext(Method.ADD_SECRET_VERSION, Status.Code.INTERNAL, 1);
      Throwable t = catchThrowable(() -> store.create("k", utf8("v")));
      assertThat(t).isExactlyInstanceOf(KesException.class).hasMessage("failed to create key");
      assertThat(fake.calls(Method.DELETE_SECRET)).isEqualTo(1);
      assertThat(fake.secretIds()).isEmpty();
      assertThatThrownBy(() -> store.get("k")).isInstanceOf(KeyNotFoundException.class);
      store.create("k", utf8("v2"));
      assertThat(store.get("k")).isEqualTo(utf8("v2"));
    }

    @Test
    @DisplayName("cleanup fails too → the half key still never reads, failure attached")
    void cleanupFails() {
      fake.failNext(Method.ADD_SECRET_VERSION, Status.Code.INTERNAL, 1);
      fake.failNext(Method.DELETE_SECRET, Status.Code.UNAVAILABLE, 1);
      Throwable t = catchThrowable(() -> store.create("k", utf8("v")));
      assertThat(t).isExactlyInstanceOf(KesException.class).hasMessage("failed to create key");
      assertThat(t.getSuppressed()).hasSize(1);
      assertThat(t.getSuppressed()[0]).hasMessageContaining("DeleteSecret");
      assertNoClientTypes(t);
      assertThat(fake.versionCount("k")).isZero();
      assertThatThrownBy(() -> store.get("k")).isInstanceOf(KeyNotFoundException.class);
    }
  }

  @Nested
  @DisplayName("checksums")
  class Checksums {
    @Test
    @DisplayName("a CRC32C mismatch on read is an error, never a corrupted key")
    void mismatch() {
      store.create("k", utf8("v"));
      fake.corruptChecksums(true);
      Throwable t = catchThrowable(() -> store.get("k"));
      assertThat(t).isExactlyInstanceOf(KesException.class).hasMessage("failed to read key");
      assertThat(((KesException) t).status()).isEqualTo(502);
      assertThat(t.getCause()).hasMessageContaining("CRC32C");
      fake.corruptChecksums(false);
      assertThat(store.get("k")).isEqualTo(utf8("v"));
    }
  }

  @Nested
  @DisplayName("concurrency")
  class Concurrency {
    @Test
    @DisplayName("concurrent creates of one name: exactly one winner, one version")
    void oneWinner() throws Exception {
      int threads = 8;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          byte[] value = utf8("v" + i);
          results.add(
              pool.submit(
                  () -> {
                    go.await();
                    try {
                      store.create("race", value);
                      return true;
                    } catch (KeyExistsException e) {
                      return false;
                    }
                  }));
        }
        go.countDown();
        int winners = 0;
        for (Future<Boolean> f : results) {
          winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(winners).isEqualTo(1);
        assertThat(fake.calls(Method.CREATE_SECRET)).isEqualTo(threads);
        assertThat(fake.calls(Method.ADD_SECRET_VERSION)).isEqualTo(1);
        assertThat(fake.versionCount("race")).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Nested
  @DisplayName("lifecycle")
  class Lifecycle {
    @Test
    @DisplayName("use after close is an IllegalStateException naming the store")
    void useAfterClose() {
      store.close();
      assertThatThrownBy(() -> store.get("k"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }

    @Test
    @DisplayName("toString names project and endpoint, never credentials")
    void toStringIsSafe() {
      assertThat(store.toString())
          .contains(fake.projectId())
          .contains("127.0.0.1:" + fake.port())
          .contains("emulator");
    }
  }
}
