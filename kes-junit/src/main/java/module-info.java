/**
 * A JUnit 5 extension for the test suites of applications that use KES: {@link
 * dev.kes4j.junit.KesTest} gives a test class an in-process kes4j engine, or a real mTLS {@code
 * KesServer} on a random loopback port with a connected {@code KesClient}, with fresh keys for
 * every test.
 *
 * <p>Only the in-process mode's modules are required. The server and client modules are {@code
 * requires static}: an application that runs its tests in-process does not get Netty, and one that
 * asks for {@code mode = SERVER} without them fails with a message that names the missing artifact.
 * On the module path they must also be resolved ({@code --add-modules dev.kes4j.server,
 * dev.kes4j.client}), since nothing else requires them. The GCP store and its fake ({@code store =
 * GCP_FAKE}) have no module descriptor (gRPC splits packages) and are not named here: the store is
 * found through the {@code KeyStoreProvider} service, the fake by reflection.
 */
module dev.kes4j.junit {
  requires transitive dev.kes4j.core;
  requires transitive org.junit.jupiter.api;
  requires dev.kes4j.keystore.mem;
  requires static dev.kes4j.server;
  requires static dev.kes4j.http;
  requires static transitive dev.kes4j.client; // KesFixture.client() returns a KesClient

  exports dev.kes4j.junit;
}
