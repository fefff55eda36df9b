package dev.kes4j.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.core.Kes;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.testkit.FaultyKeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Another key store through {@code customizeEngine}: kes-testkit's FaultyKeyStore. */
@ResourceLock(providers = KesLocks.class)
class CustomKeyStoreTest {
  static final FaultyKeyStore STORE = FaultyKeyStore.wrap(new MemKeyStore());

  @RegisterExtension
  static KesExtension kes =
      KesExtension.builder().keys("my-key").customizeEngine(b -> b.keyStore(STORE)).build();

  @Test
  void theEngineRunsOnTheGivenStoreAndItsFaults(Kes kes) {
    assertThat(STORE.delegate().list("", "", 0).items()).containsExactly("my-key");
    STORE.outage();
    try {
      assertThatThrownBy(() -> kes.createKey("during-outage"))
          .isInstanceOf(KeyStoreUnreachableException.class);
    } finally {
      STORE.recover();
    }
  }
}
