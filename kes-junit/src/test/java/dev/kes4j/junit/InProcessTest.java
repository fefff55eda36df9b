package dev.kes4j.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.KeyService;
import dev.kes4j.core.Kes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The in-process mode, used the way a user's test suite would use it. */
@KesTest(keys = {"my-key", "other-key"})
class InProcessTest {
  private static final byte[] CONTEXT = "{\"bucket/object\":\"\"}".getBytes(StandardCharsets.UTF_8);

  static Kes seenInBeforeAll;

  @BeforeAll
  static void beforeAll(Kes kes) {
    seenInBeforeAll = kes;
    kes.createKey("class-wide-key"); // exists before every test, so it is kept
  }

  private final Kes fromConstructor;

  InProcessTest(Kes kes) {
    this.fromConstructor = kes;
  }

  @Test
  void aTestGetsAnEngineWithTheDeclaredKeys(KeyService kms) {
    DataKey dek = kms.generateKey("my-key", CONTEXT);
    assertThat(kms.decrypt("my-key", dek.ciphertext(), CONTEXT)).isEqualTo(dek.plaintext());
    assertThat(kms.listKeys("*", "", 0).items())
        .containsExactly("class-wide-key", "my-key", "other-key");
  }

  @Test
  void inProcessTheKeyServiceIsTheEngineItself(KeyService kms, Kes kes, KesFixture fixture) {
    assertThat(kms).isSameAs(kes).isSameAs(fixture.kes()).isSameAs(fixture.keyService());
    assertThat(kes).isSameAs(seenInBeforeAll).isSameAs(fromConstructor);
    assertThat(fixture.mode()).isEqualTo(KesTest.Mode.IN_PROCESS);
    assertThat(fixture.store()).isEqualTo(KesTest.Store.MEMORY);
    assertThat(fixture.declaredKeys()).containsExactly("my-key", "other-key");
  }

  @RepeatedTest(3)
  void everyTestStartsWithFreshDeclaredKeysAndNoneOfAnotherTestsKeys(Kes kes) {
    // whichever repetition runs first, none sees what another created or changed
    assertThat(kes.listKeys("*", "", 0).items())
        .containsExactly("class-wide-key", "my-key", "other-key");
    kes.createKey("scratch");
    kes.deleteKey("other-key");
  }

  @Test
  void uniqueKeyNamesDoNotRepeat(KesFixture fixture, Kes kes) {
    String a = fixture.uniqueKeyName("orders");
    String b = fixture.uniqueKeyName("orders");
    assertThat(a).startsWith("orders-").isNotEqualTo(b);
    kes.createKey(a); // a valid key name; deleted after the test
    kes.createKey(b);
  }

  @Nested
  class ANestedClass {
    Kes seenBefore;

    @BeforeEach
    void before(Kes kes) {
      seenBefore = kes;
    }

    @Test
    void sharesTheEnclosingClassesEngineAndKeys(Kes kes) {
      assertThat(kes).isSameAs(seenBefore).isSameAs(seenInBeforeAll);
      assertThat(kes.listKeys("*", "", 0).items())
          .containsExactly("class-wide-key", "my-key", "other-key");
      kes.createKey("nested-scratch");
    }

    @AfterEach
    void after(Kes kes) {
      // @AfterEach runs before the extension cleans up
      assertThat(kes.listKeys("nested-", "", 0).items()).containsExactly("nested-scratch");
    }
  }

  @Nested
  @KesTest(keys = "nested-key")
  class ANestedClassWithItsOwnKesTest {
    @Test
    void getsAnEngineOfItsOwn(Kes kes) {
      assertThat(kes).isNotSameAs(seenInBeforeAll);
      assertThat(kes.listKeys("*", "", 0).items()).containsExactly("nested-key");
    }
  }
}
