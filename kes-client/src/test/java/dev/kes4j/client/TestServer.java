package dev.kes4j.client;

import dev.kes4j.api.Identity;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.ApiKey;
import dev.kes4j.server.KesServer;
import java.util.List;

/**
 * A real kes4j server (engine + HTTP API + Netty HTTPS front with mTLS) on 127.0.0.1 and a free
 * port, with an admin API key and an "app" identity bound to a policy.
 */
final class TestServer implements AutoCloseable {
  static final TestPki.Issued CA = TestPki.ca("kes-client test CA");
  static final TestPki.Issued SERVER_CERT = TestPki.server(CA);
  static final ApiKey ADMIN = ApiKey.generate();

  /** An identity with the "app" policy: keys named app-*, no delete. */
  static final TestPki.Issued APP = TestPki.client("app", null, TestPki.ec());

  /** An identity without any policy. */
  static final ApiKey STRANGER = ApiKey.generate();

  static String config() {
    return "admin:\n  identity: "
        + ADMIN.identity().value()
        + "\npolicy:\n  app:\n    allow:\n"
        + "    - /v1/key/create/app-*\n    - /v1/key/generate/app-*\n"
        + "    - /v1/key/encrypt/app-*\n    - /v1/key/decrypt/app-*\n"
        + "    - /v1/key/describe/app-*\n    - /v1/key/list/*\n    - /v1/status\n"
        + "    deny:\n    - /v1/key/create/app-forbidden*\n"
        + "    identities:\n    - "
        + Identity.of(APP.certificate()).value()
        + "\nkeystore:\n  mem: {}\n";
  }

  final Kes kes;
  final KesHttpApi api;
  final KesServer server;

  TestServer(KesConfig.ErrorMessages errors, boolean legacyListing) {
    this(errors, legacyListing, new MemKeyStore());
  }

  TestServer(KesConfig.ErrorMessages errors, boolean legacyListing, KeyStore store) {
    KesConfig cfg = KesConfig.parse(config());
    kes = Kes.builder().keyStore(store).policies(cfg.policySet()).build();
    api = KesHttpApi.builder(kes).errorMessages(errors).legacyListing(legacyListing).build();
    server =
        KesServer.builder(api)
            .address("127.0.0.1:0")
            .certificate(SERVER_CERT.privateKey(), List.of(SERVER_CERT.certificate()))
            .start();
  }

  String endpoint() {
    return "https://127.0.0.1:" + server.address().getPort();
  }

  /** A client builder for this server, trusting its CA, without credentials. */
  KesClient.Builder clientBuilder() {
    return KesClient.builder().endpoints(endpoint()).caCertificates(List.of(CA.certificate()));
  }

  /** An admin client (API key). */
  KesClient admin() {
    return clientBuilder().apiKey(ADMIN.encode()).build();
  }

  @Override
  public void close() {
    server.close();
    kes.close();
  }
}
