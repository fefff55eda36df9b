package dev.kes4j.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.KeyService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * What a user of the in-process mode has on the class path: kes-junit without its optional
 * dependencies. Runs in its own surefire execution whose class path excludes kes-server, kes-http,
 * kes-client, the GCP store and fake, Netty and gRPC (see this module's POM); the first test checks
 * that they are really gone. Skipped in the ordinary test run, where they are there.
 */
@EnabledIfSystemProperty(named = "kes4j.junit.withoutOptionalDependencies", matches = "true")
class WithoutOptionalDependenciesTest {

  @Test
  void theOptionalJarsAreNotOnThisClassPath() {
    for (String name :
        new String[] {
          "io.netty.channel.Channel",
          "io.grpc.Server",
          "dev.kes4j.server.KesServer",
          "dev.kes4j.http.KesHttpApi",
          "dev.kes4j.client.KesClient",
          "dev.kes4j.keystore.gcp.GcpSecretManagerKeyStore",
          "dev.kes4j.keystore.gcp.fake.FakeSecretManager"
        }) {
      assertThatThrownBy(() -> Class.forName(name)).isInstanceOf(ClassNotFoundException.class);
    }
  }

  @Test
  void theInProcessModeWorksWithoutThem() {
    EngineExecutionResults r = EngineRuns.run(InProcess.class);
    assertThat(EngineRuns.failures(r)).isEmpty();
    r.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
  }

  @Test
  void theServerModeNamesTheMissingArtifact() {
    EngineExecutionResults r = EngineRuns.run(Server.class);
    EngineRuns.onlyFailureMessage(r, ExtensionConfigurationException.class)
        .isEqualTo(
            "@KesTest(mode = SERVER) needs dev.kes4j:kes-server, which is not on the test class"
                + " path: add <dependency><groupId>dev.kes4j</groupId><artifactId>kes-server"
                + "</artifactId><scope>test</scope></dependency> (version from kes-bom)");
    r.testEvents().assertStatistics(s -> s.started(0));
  }

  @Test
  void theGcpFakeStoreNamesTheMissingArtifact() {
    EngineExecutionResults r = EngineRuns.run(Gcp.class);
    EngineRuns.onlyFailureMessage(r, ExtensionConfigurationException.class)
        .startsWith("@KesTest(store = GCP_FAKE) needs dev.kes4j:kes-keystore-gcp, which is not");
  }

  @KesTest(keys = "my-key")
  static class InProcess {
    @Test
    void roundTrip(KeyService kms) {
      DataKey dek = kms.generateKey("my-key", null);
      assertThat(kms.decrypt("my-key", dek.ciphertext(), null)).isEqualTo(dek.plaintext());
    }
  }

  @KesTest(mode = KesTest.Mode.SERVER)
  static class Server {
    @Test
    void test(KeyService kms) {}
  }

  @KesTest(store = KesTest.Store.GCP_FAKE)
  static class Gcp {
    @Test
    void test(KeyService kms) {}
  }
}
