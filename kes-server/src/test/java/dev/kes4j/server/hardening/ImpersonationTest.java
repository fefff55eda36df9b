package dev.kes4j.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.Identity;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.internal.pki.Pki;
import dev.kes4j.server.KesServer;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14 / spec §2.1 "don't mirror": a client is identified by the first certificate of its chain
 * — the one whose key signed the handshake — and never by a later one. Real handshakes against a
 * real {@link KesServer} on loopback, with both TLS providers, with {@code tls.auth} off and on,
 * for the admin and for a policy identity as victims. Every certificate is minted here.
 *
 * <p>The attacker holds only its own key. It presents {@code [its own CA:TRUE certificate, X]}
 * where X is the victim's real (public) certificate or a forgery carrying the victim's public key
 * signed by the attacker. Go KES skips the CA certificate and takes X; kes4j refuses the chain.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImpersonationTest {
  // ECDSA throughout: BoringSSL does not accept Ed25519 client certificates
  static final Pki.Issued ADMIN = issue("admin", Pki.Usage.CLIENT, null);
  static final Pki.Issued APP = issue("app", Pki.Usage.CLIENT, Fixture.CA);

  /** An intermediate CA under the trusted CA, and an honest client it issued. */
  static final Pki.Issued INTERMEDIATE = issue("intermediate CA", Pki.Usage.CA, Fixture.CA);

  static final Pki.Issued HONEST = issue("honest", Pki.Usage.CLIENT, INTERMEDIATE);

  /** With auth off: the attacker's own self-signed CA certificate, as `openssl req -x509` makes. */
  static final Pki.Issued SELF_SIGNED_CA = issue("attacker", Pki.Usage.CA, null);

  /** With auth on: a CA:TRUE certificate the trusted CA issued to the attacker. */
  static final Pki.Issued ISSUED_CA = issue("attacker", Pki.Usage.CA, Fixture.CA);

  enum Auth {
    OFF,
    ON
  }

  enum Victim {
    ADMIN,
    POLICY_IDENTITY
  }

  enum Second {
    /** The victim's real certificate (public information: the dev server writes it 0644). */
    VICTIMS_CERTIFICATE,
    /** A forgery: the victim's public key, the victim's name, signed by the attacker's CA key. */
    FORGED_WITH_VICTIMS_KEY
  }

  private final Map<KesServer.TlsProvider, Map<Auth, KesServer>> servers =
      new EnumMap<>(KesServer.TlsProvider.class);
  private final Map<KesServer, Kes> engines = new HashMap<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final AtomicInteger names = new AtomicInteger();

  static Pki.Issued issue(String cn, Pki.Usage usage, Pki.Issued issuer) {
    return Fixture.issue(Pki.Algorithm.ECDSA_P256, cn, usage, issuer);
  }

  @BeforeAll
  void start() {
    String yaml =
        "admin:\n  identity: "
            + id(ADMIN)
            + "\npolicy:\n  app:\n    allow:\n    - /v1/key/*\n    identities:\n    - "
            + id(APP)
            + "\n    - "
            + id(HONEST)
            + "\nkeystore:\n  mem: {}\n";
    for (KesServer.TlsProvider provider : KesServer.TlsProvider.values()) {
      Map<Auth, KesServer> byAuth = new EnumMap<>(Auth.class);
      for (Auth auth : Auth.values()) {
        KesConfig config = KesConfig.parse(yaml);
        Kes kes = Kes.builder().keyStore(new MemKeyStore()).policies(config.policySet()).build();
        open.add(kes);
        kes.createKey("shared");
        KesServer s =
            Fixture.builder(KesHttpApi.builder(kes).build())
                .clientAuth(
                    auth == Auth.ON ? KesServer.ClientAuth.VERIFY : KesServer.ClientAuth.ANY,
                    List.of(Fixture.CA.certificate()))
                .systemRoots(false)
                .tlsProvider(provider)
                .start();
        open.add(s);
        engines.put(s, kes);
        byAuth.put(auth, s);
      }
      servers.put(provider, byAuth);
    }
  }

  @AfterAll
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  static String id(Pki.Issued who) {
    return Identity.of(who.certificate()).value();
  }

  Stream<Arguments> attacks() {
    List<Arguments> out = new ArrayList<>();
    for (KesServer.TlsProvider provider : KesServer.TlsProvider.values()) {
      for (Auth auth : Auth.values()) {
        for (Victim victim : Victim.values()) {
          for (Second second : Second.values()) {
            out.add(Arguments.of(provider, auth, victim, second));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, auth {1}: [attacker CA, {3} of {2}]")
  @MethodSource("attacks")
  void aCaFirstChainNeverActsAsALaterCertificate(
      KesServer.TlsProvider provider, Auth auth, Victim victim, Second second) throws Exception {
    KesServer server = servers.get(provider).get(auth);
    assertThat(server.tlsProvider())
        .startsWith(provider == KesServer.TlsProvider.JDK ? "JDK" : "O");
    Pki.Issued victimCert = victim == Victim.ADMIN ? ADMIN : APP;
    Pki.Issued attackerCa = auth == Auth.ON ? ISSUED_CA : SELF_SIGNED_CA;
    X509Certificate carried =
        second == Second.VICTIMS_CERTIFICATE
            ? victimCert.certificate()
            : Pki.issue(
                    new KeyPair(victimCert.keyPair().getPublic(), null),
                    victim == Victim.ADMIN ? "admin" : "app",
                    Pki.Usage.CLIENT,
                    List.of(),
                    List.of(),
                    Duration.ofDays(1),
                    attackerCa)
                .certificate();
    assertThat(Identity.of(carried).value()).isEqualTo(id(victimCert)); // the bait is right
    // the attacker's chain, its own key
    HttpClient attacker = Fixture.client(attackerCa, carried);

    HttpResponse<String> self =
        Fixture.send(attacker, server, "GET", "/v1/identity/self/describe", null);
    assertThat(self.body()).doesNotContain(id(victimCert)).doesNotContain("\"admin\":true");
    assertThat(self.statusCode()).isNotEqualTo(200);

    String name = "stolen-" + names.incrementAndGet();
    HttpResponse<String> create =
        Fixture.send(attacker, server, "POST", "/v1/key/create/" + name, null);
    assertThat(create.statusCode()).isEqualTo(400);
    assertThat(create.body()).isEqualTo(Fixture.error("tls: client certificate is required"));
    HttpResponse<String> generate =
        Fixture.send(attacker, server, "POST", "/v1/key/generate/shared", "{}");
    assertThat(generate.statusCode()).isEqualTo(400);
    assertThat(generate.body()).isEqualTo(Fixture.error("tls: client certificate is required"));

    // nothing was written
    assertThatThrownBy(() -> engines.get(server).describeKey(name))
        .isInstanceOf(KeyNotFoundException.class);
  }

  Stream<Arguments> servers() {
    List<Arguments> out = new ArrayList<>();
    for (KesServer.TlsProvider provider : KesServer.TlsProvider.values()) {
      for (Auth auth : Auth.values()) {
        out.add(Arguments.of(provider, auth));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, auth {1}")
  @MethodSource("servers")
  void honestClientsAreIdentifiedByTheirLeaf(KesServer.TlsProvider provider, Auth auth)
      throws Exception {
    KesServer server = servers.get(provider).get(auth);
    // [leaf, intermediate] and [leaf, intermediate, root]: the leaf is the identity
    for (HttpClient c :
        List.of(
            Fixture.client(HONEST, INTERMEDIATE.certificate()),
            Fixture.client(HONEST, INTERMEDIATE.certificate(), Fixture.CA.certificate()))) {
      HttpResponse<String> self =
          Fixture.send(c, server, "GET", "/v1/identity/self/describe", null);
      assertThat(self.statusCode()).isEqualTo(200);
      assertThat(self.body()).contains("\"identity\":\"" + id(HONEST) + "\"").contains("app");
      assertThat(Fixture.send(c, server, "POST", "/v1/key/generate/shared", "{}").statusCode())
          .isEqualTo(200);
      assertThat(Fixture.send(c, server, "GET", "/v1/status", null).statusCode())
          .isEqualTo(403); // a policy identity, not the admin
    }
    // a policy identity with a one-certificate chain issued by the trusted CA
    assertThat(
            Fixture.send(Fixture.client(APP), server, "POST", "/v1/key/generate/shared", "{}")
                .statusCode())
        .isEqualTo(200);
    if (auth == Auth.OFF) {
      // the self-signed admin (no chain verification with auth off)
      HttpResponse<String> self =
          Fixture.send(Fixture.client(ADMIN), server, "GET", "/v1/identity/self/describe", null);
      assertThat(self.body()).contains("\"admin\":true");
      String name = "made-" + names.incrementAndGet();
      assertThat(
              Fixture.send(Fixture.client(ADMIN), server, "POST", "/v1/key/create/" + name, null)
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(KesServer.TlsProvider.class)
  void aLoneCaCertificateIsRefused(KesServer.TlsProvider provider) throws Exception {
    KesServer server = servers.get(provider).get(Auth.OFF);
    HttpResponse<String> r =
        Fixture.send(
            Fixture.client(SELF_SIGNED_CA), server, "GET", "/v1/key/describe/shared", null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo(Fixture.error("tls: client certificate is required"));
  }
}
