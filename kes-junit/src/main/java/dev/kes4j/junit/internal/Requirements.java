package dev.kes4j.junit.internal;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Checks, before anything starts, that the optional artifacts a mode needs are there, so that a
 * missing one is reported by name instead of as a {@link NoClassDefFoundError} from deep inside.
 * Stateless.
 */
public final class Requirements {
  private Requirements() {}

  /**
   * Requires the artifacts of {@code @KesTest(mode = SERVER)}.
   *
   * @throws ExtensionConfigurationException naming the missing artifact
   */
  public static void server() {
    require("mode = SERVER", "kes-server", "dev.kes4j.server", "dev.kes4j.server.KesServer");
    require("mode = SERVER", "kes-client", "dev.kes4j.client", "dev.kes4j.client.KesClient");
  }

  /**
   * Requires the artifacts of {@code @KesTest(store = GCP_FAKE)}.
   *
   * @throws ExtensionConfigurationException naming the missing artifact
   */
  public static void gcpFake() {
    require(
        "store = GCP_FAKE",
        "kes-keystore-gcp",
        "dev.kes4j.keystore.gcp",
        "dev.kes4j.keystore.gcp.GcpSecretManagerKeyStore");
    require(
        "store = GCP_FAKE",
        "kes-keystore-gcp-fake",
        "dev.kes4j.keystore.gcp.fake",
        "dev.kes4j.keystore.gcp.fake.FakeSecretManager");
  }

  /** Whether a class is visible to kes-junit (without initializing it). */
  public static boolean present(String className) {
    try {
      Class.forName(className, false, Requirements.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static void require(String what, String artifact, String module, String className) {
    if (present(className)) {
      return;
    }
    StringBuilder message =
        new StringBuilder()
            .append("@KesTest(")
            .append(what)
            .append(") needs dev.kes4j:")
            .append(artifact)
            .append(", which is not on the test class path: add <dependency><groupId>dev.kes4j")
            .append("</groupId><artifactId>")
            .append(artifact)
            .append("</artifactId><scope>test</scope></dependency> (version from kes-bom)");
    if (Requirements.class.getModule().isNamed()) {
      message
          .append("; on the module path it must also be resolved: --add-modules ")
          .append(module);
    }
    throw new ExtensionConfigurationException(message.toString());
  }
}
