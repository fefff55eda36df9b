package dev.kes4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.DecryptRequest;
import dev.kes4j.api.DecryptionException;
import dev.kes4j.api.InvalidNameException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyInfo;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyService;
import dev.kes4j.api.Page;
import dev.kes4j.api.ServiceStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every {@link KeyService} shows, whether it runs in-process (the engine) or on a
 * remote server (the client): same results, same exception types, statuses and messages. A subclass
 * provides the service; the tests use fresh, unique key names so they may share it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KeyServiceContract {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final byte[] CONTEXT = "{\"bucket\":\"b\"}".getBytes(StandardCharsets.UTF_8);

  /** The service under test; the same instance for every test of the class. */
  protected abstract KeyService service();

  /** A key name no other test uses. */
  static String unique(String base) {
    return base + "-" + COUNTER.incrementAndGet() + "-" + ProcessHandle.current().pid();
  }

  String createdKey() {
    String name = unique("k");
    service().createKey(name);
    return name;
  }

  @Test
  void createdKeyIsDescribed() {
    Instant before = Instant.now().minusSeconds(60);
    String name = createdKey();
    KeyInfo info = service().describeKey(name);
    assertThat(info.name()).isEqualTo(name);
    assertThat(info.algorithm()).isEqualTo(KeyAlgorithm.AES256);
    assertThat(info.createdAt()).isAfter(before);
  }

  @Test
  void createExistingKeyFails() {
    String name = createdKey();
    assertThatThrownBy(() -> service().createKey(name))
        .isInstanceOf(KeyExistsException.class)
        .hasMessage(KeyExistsException.MESSAGE)
        .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(400));
  }

  @Test
  void deletedKeyIsGone() {
    String name = createdKey();
    service().deleteKey(name);
    assertThatThrownBy(() -> service().describeKey(name)).isInstanceOf(KeyNotFoundException.class);
    assertThatThrownBy(() -> service().deleteKey(name)).isInstanceOf(KeyNotFoundException.class);
  }

  static Stream<Arguments> operationsOnAKey() {
    List<Arguments> out = new ArrayList<>();
    out.add(op("describe", (s, n) -> s.describeKey(n)));
    out.add(op("delete", (s, n) -> s.deleteKey(n)));
    out.add(op("generate", (s, n) -> s.generateKey(n, null)));
    out.add(op("encrypt", (s, n) -> s.encrypt(n, new byte[] {1}, null)));
    out.add(op("decrypt", (s, n) -> s.decrypt(n, new byte[] {1, 2, 3}, null)));
    out.add(op("decryptAll", (s, n) -> s.decryptAll(n, List.of())));
    out.add(op("hmac", (s, n) -> s.hmac(n, new byte[] {1})));
    return out.stream();
  }

  interface Op {
    void run(KeyService s, String name);
  }

  private static Arguments op(String label, Op op) {
    return Arguments.of(label, op);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operationsOnAKey")
  void missingKeyIsNotFound(String label, Op op) {
    assertThatThrownBy(() -> op.run(service(), unique("missing")))
        .isInstanceOf(KeyNotFoundException.class)
        .hasMessage(KeyNotFoundException.MESSAGE)
        .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(404));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operationsOnAKey")
  void invalidNameIsRejected(String label, Op op) {
    assertThatThrownBy(() -> op.run(service(), "bad name!"))
        .isInstanceOf(InvalidNameException.class)
        .hasMessage(InvalidNameException.keyName("bad name!").getMessage());
  }

  @Test
  void invalidNameOnCreate() {
    assertThatThrownBy(() -> service().createKey("-dash"))
        .isInstanceOf(InvalidNameException.class)
        .hasMessage(InvalidNameException.keyName("-dash").getMessage());
  }

  @Test
  void generatedKeyDecryptsWithItsContextOnly() {
    String name = createdKey();
    DataKey dek = service().generateKey(name, CONTEXT);
    assertThat(dek.plaintext()).hasSize(32);
    assertThat(service().decrypt(name, dek.ciphertext(), CONTEXT)).isEqualTo(dek.plaintext());
    assertThatThrownBy(() -> service().decrypt(name, dek.ciphertext(), new byte[] {9}))
        .isInstanceOf(DecryptionException.class)
        .hasMessage(DecryptionException.MESSAGE);
    assertThatThrownBy(() -> service().decrypt(name, dek.ciphertext(), null))
        .isInstanceOf(DecryptionException.class);
  }

  @Test
  void nullAndEmptyContextAreTheSame() {
    String name = createdKey();
    byte[] ct = service().encrypt(name, new byte[] {1, 2, 3}, null);
    assertThat(service().decrypt(name, ct, new byte[0])).containsExactly(1, 2, 3);
    byte[] ct2 = service().encrypt(name, new byte[0], new byte[0]);
    assertThat(service().decrypt(name, ct2, null)).isEmpty();
  }

  @Test
  void tamperedCiphertextFails() {
    String name = createdKey();
    byte[] ct = service().encrypt(name, "secret".getBytes(StandardCharsets.UTF_8), CONTEXT);
    byte[] bad = ct.clone();
    bad[bad.length / 2] ^= 1;
    assertThatThrownBy(() -> service().decrypt(name, bad, CONTEXT))
        .isInstanceOf(DecryptionException.class);
    assertThatThrownBy(() -> service().decrypt(name, new byte[0], CONTEXT))
        .isInstanceOf(DecryptionException.class);
  }

  @Test
  void ciphertextOfAnotherKeyFails() {
    String a = createdKey();
    String b = createdKey();
    byte[] ct = service().encrypt(a, new byte[] {7}, null);
    assertThatThrownBy(() -> service().decrypt(b, ct, null))
        .isInstanceOf(DecryptionException.class);
  }

  @Test
  void importedKeysKeepTheirAlgorithm() {
    byte[] material = new byte[32];
    material[0] = 42;
    for (KeyAlgorithm alg : KeyAlgorithm.values()) {
      String name = unique("imported");
      service().importKey(name, alg, material);
      assertThat(service().describeKey(name).algorithm()).isEqualTo(alg);
      byte[] ct = service().encrypt(name, new byte[] {1, 2}, CONTEXT);
      assertThat(service().decrypt(name, ct, CONTEXT)).containsExactly(1, 2);
      assertThatThrownBy(() -> service().importKey(name, alg, material))
          .isInstanceOf(KeyExistsException.class);
    }
  }

  @Test
  void importOfWrongSizeIsRejected() {
    assertThatThrownBy(
            () -> service().importKey(unique("short"), KeyAlgorithm.AES256, new byte[31]))
        .isInstanceOf(KesException.class)
        .hasMessage("invalid key size for 'AES256'")
        .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(406));
  }

  @Test
  void bulkDecryptKeepsOrder() {
    String name = createdKey();
    List<DecryptRequest> requests = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] ctx = i % 2 == 0 ? null : new byte[] {(byte) i};
      requests.add(DecryptRequest.of(service().encrypt(name, new byte[] {(byte) i}, ctx), ctx));
    }
    List<byte[]> out = service().decryptAll(name, requests);
    assertThat(out).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(out.get(i)).containsExactly(i);
    }
    assertThat(service().decryptAll(name, List.of())).isEmpty();
  }

  @Test
  void bulkDecryptFailsAsAWhole() {
    String name = createdKey();
    byte[] good = service().encrypt(name, new byte[] {1}, null);
    assertThatThrownBy(
            () ->
                service()
                    .decryptAll(
                        name,
                        List.of(DecryptRequest.of(good, null), DecryptRequest.of(good, CONTEXT))))
        .isInstanceOf(DecryptionException.class);
  }

  @Test
  void bulkDecryptRefusesMoreThan1000Items() {
    String name = createdKey();
    byte[] good = service().encrypt(name, new byte[] {1}, null);
    List<DecryptRequest> many = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      many.add(DecryptRequest.of(good, null));
    }
    assertThatThrownBy(() -> service().decryptAll(name, many))
        .isInstanceOf(KesException.class)
        .hasMessage("too many ciphertexts")
        .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(400));
  }

  @Test
  void hmacIsDeterministicPerKeyAndMessage() {
    String a = createdKey();
    String b = createdKey();
    byte[] m = "message".getBytes(StandardCharsets.UTF_8);
    byte[] h = service().hmac(a, m);
    assertThat(h).hasSize(32);
    assertThat(service().hmac(a, m)).isEqualTo(h);
    assertThat(service().hmac(a, new byte[] {1})).isNotEqualTo(h);
    assertThat(service().hmac(b, m)).isNotEqualTo(h);
  }

  @Test
  void listingFiltersByPrefixAndPages() {
    String prefix = unique("list") + "-";
    List<String> names = List.of(prefix + "a", prefix + "b", prefix + "c");
    names.forEach(n -> service().createKey(n));
    assertThat(service().listKeys(prefix, "", 0).items()).containsExactlyElementsOf(names);
    assertThat(service().listKeys(prefix + "*", "", 0).items()).containsExactlyElementsOf(names);
    Page<String> first = service().listKeys(prefix, "", 2);
    assertThat(first.items()).containsExactly(names.get(0), names.get(1));
    assertThat(first.continueAt()).isEqualTo(names.get(2));
    Page<String> second = service().listKeys(prefix, first.continueAt(), 2);
    assertThat(second.items()).containsExactly(names.get(2));
    assertThat(second.hasMore()).isFalse();
    assertThat(service().listKeys(unique("nothing"), "", 0).items()).isEmpty();
  }

  @Test
  void listingWithEmptyPrefixListsEverything() {
    String name = createdKey();
    List<String> all = new ArrayList<>();
    String next = "";
    do {
      Page<String> p = service().listKeys("", next, 0);
      all.addAll(p.items());
      next = p.continueAt();
    } while (!next.isEmpty());
    assertThat(all).contains(name).isSorted();
  }

  @Test
  void invalidListingPatternIsRejected() {
    assertThatThrownBy(() -> service().listKeys("a*b", "", 0))
        .isInstanceOf(InvalidNameException.class)
        .hasMessage(InvalidNameException.listPattern("a*b").getMessage());
  }

  @Test
  void statusReportsAReachableKeyStore() {
    ServiceStatus s = service().status();
    assertThat(s.version()).isNotEmpty();
    assertThat(s.keyStoreReachable()).isTrue();
    assertThat(s.uptime().isNegative()).isFalse();
  }

  @Test
  void nullArgumentsAreRejected() {
    Consumer<Runnable> npe =
        r -> assertThatThrownBy(r::run).isInstanceOf(NullPointerException.class);
    npe.accept(() -> service().createKey(null));
    npe.accept(() -> service().encrypt("k", null, null));
    npe.accept(() -> service().listKeys(null, "", 0));
  }
}
