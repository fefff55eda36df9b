package dev.kes4j.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kes4j.api.InvalidNameException;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.policy.ApiKey;
import dev.kes4j.policy.NameRules;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fuzz targets for text kes4j reads from users: KES config files, API keys and names. Any exception
 * other than the documented ones is a bug.
 *
 * <p>By default these run as regression tests over the committed seed corpus in {@code
 * src/test/resources/dev/kes4j/core/InputFuzzTestInputs/<method>/}. Fuzz for real with {@code
 * JAZZER_FUZZ=1 ./mvnw -pl kes-core test -Dtest=InputFuzzTest -Djazzer.max_duration=5m}.
 */
class InputFuzzTest {
  private static final KesConfig.Options OPTIONS =
      new KesConfig.Options(
          Map.of("X", "3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22")::get,
          false);

  @FuzzTest
  void parseConfig(byte[] yaml) {
    try {
      KesConfig config = KesConfig.parse(new String(yaml, StandardCharsets.UTF_8), OPTIONS);
      config.policySet();
    } catch (KesConfigException expected) {
      // the only documented failure
    }
  }

  @FuzzTest
  void parseApiKey(byte[] text) {
    try {
      ApiKey key = ApiKey.parse(new String(text, StandardCharsets.UTF_8));
      if (!ApiKey.parse(key.encode()).identity().equals(key.identity())) {
        throw new AssertionError("API key does not round-trip");
      }
    } catch (IllegalArgumentException expected) {
      // documented: malformed keys
    }
  }

  @FuzzTest
  void checkNames(byte[] text) {
    String name = new String(text, StandardCharsets.UTF_8);
    for (NameRules rules : NameRules.values()) {
      try {
        rules.checkKeyName(name);
        rules.checkListPattern(name);
      } catch (InvalidNameException expected) {
        // documented
      }
    }
  }
}
