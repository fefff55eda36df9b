package dev.kes4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.DataKey;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.server.internal.Pki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: every refused client gets one clear, rate-limited line in the error log ({@code
 * /v1/log/error} subscribers see it), and no line reveals key material.
 */
class RefusalDiagnosticsTest {
  static final Pki.Issued ADMIN = TestCerts.selfSigned("admin", false);
  static final Pki.Issued ALICE = TestCerts.selfSigned("alice", false);
  static final Pki.Issued BOB = TestCerts.selfSigned("bob", true);
  static final Pki.Issued NOBODY = TestCerts.selfSigned("nobody", true);
  static final Pki.Issued CA_ONLY = TestCerts.caOnly("made with openssl req -x509");

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  final MovableClock clock = new MovableClock();
  final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  final List<String> all = new ArrayList<>();
  Kes kes;
  KesHttpApi api;
  Thread subscriber;

  @BeforeEach
  void setUp() throws Exception {
    String yaml =
        "admin:\n  identity: "
            + TestCerts.identity(ADMIN).value()
            + "\npolicy:\n  minio:\n    allow:\n    - /v1/key/create/*\n    - /v1/key/generate/*\n"
            + "    deny:\n    - /v1/key/create/forbidden*\n    identities:\n    - "
            + TestCerts.identity(ALICE).value()
            + "\n  other:\n    allow:\n    - /v1/status\n    identities:\n    - "
            + TestCerts.identity(BOB).value()
            + "\nkeystore:\n  mem: {}\n";
    KesConfig cfg = KesConfig.parse(yaml);
    kes = Kes.builder().keyStore(new MemKeyStore()).policies(cfg.policySet()).build();
    api = KesHttpApi.builder(kes).clock(clock).build();
    ApiResponse stream =
        api.handle(
            ApiRequest.builder("GET", "/v1/log/error")
                .peerCertificates(new X509Certificate[] {ADMIN.certificate()})
                .build());
    subscriber =
        new Thread(
            () -> {
              try {
                stream.stream()
                    .orElseThrow()
                    .run(chunk -> lines.add(new String(chunk, StandardCharsets.UTF_8).trim()));
              } catch (IOException e) {
                // ended
              }
            });
    subscriber.setDaemon(true);
    subscriber.start();
    // wait until the subscription is live
    for (int i = 0; i < 200; i++) {
      api.logError("probe");
      String l = lines.poll(50, TimeUnit.MILLISECONDS);
      if (l != null) {
        break;
      }
    }
    Thread.sleep(100);
    lines.clear();
  }

  @AfterEach
  void tearDown() throws Exception {
    api.close();
    subscriber.join(5000);
    kes.close();
    // no refusal line ever carries key material
    for (String l : all) {
      assertThat(l).doesNotContain(Base64.getEncoder().encodeToString(generated));
    }
  }

  byte[] generated = new byte[32];

  String next() throws InterruptedException {
    String l = lines.poll(5, TimeUnit.SECONDS);
    assertThat(l).as("a log line").isNotNull();
    all.add(l);
    return l;
  }

  ApiResponse request(String method, String path, X509Certificate... chain) {
    ApiRequest.Builder b = ApiRequest.builder(method, path).remoteAddress("192.0.2.7");
    if (chain != null) {
      b.peerCertificates(chain);
    }
    return api.handle(b.build());
  }

  @Test
  void noClientCertificate() throws Exception {
    assertThat(request("GET", "/v1/status").status()).isEqualTo(400);
    assertThat(next())
        .contains("refused client 192.0.2.7: GET /v1/status: no client certificate")
        .contains("API key");
  }

  @Test
  void caFirstCertificate() throws Exception {
    assertThat(request("GET", "/v1/status", CA_ONLY.certificate()).status()).isEqualTo(400);
    assertThat(next())
        .contains("first certificate is a CA certificate")
        .contains("'CN=made with openssl req -x509' CA:TRUE")
        .contains("never by a CA:TRUE one")
        .contains("'openssl req -x509' marks certificates as CA by default");
  }

  @Test
  void moreThanOneLeaf() throws Exception {
    assertThat(request("GET", "/v1/status", ALICE.certificate(), BOB.certificate()).status())
        .isEqualTo(400);
    assertThat(next()).contains("more than one non-CA certificate").contains("send the leaf first");
  }

  @Test
  void identityWithoutPolicy() throws Exception {
    assertThat(request("GET", "/v1/status", NOBODY.certificate()).status()).isEqualTo(403);
    assertThat(next())
        .contains("identity " + TestCerts.identity(NOBODY).value())
        .contains("is not assigned to any policy (policies: minio, other)");
  }

  @Test
  void deniedByRuleAndByNoAllowRule() throws Exception {
    DataKey dek;
    kes.createKey("k");
    dek = kes.generateKey("k", new byte[0]);
    generated = dek.plaintext();
    assertThat(request("POST", "/v1/key/create/forbidden-1", ALICE.certificate()).status())
        .isEqualTo(403);
    assertThat(next())
        .contains("POST identity " + TestCerts.identity(ALICE).value().substring(0, 8))
        .contains("policy 'minio': denied by deny rule '/v1/key/create/forbidden*'")
        .contains("for /v1/key/create/forbidden-1");
    assertThat(request("DELETE", "/v1/key/delete/k", ALICE.certificate()).status()).isEqualTo(403);
    assertThat(next())
        .contains("policy 'minio': denied, no allow rule matches for /v1/key/delete/k");
  }

  @Test
  void rateLimitedPerIdentityAndReason() throws Exception {
    for (int i = 0; i < 5; i++) {
      request("GET", "/v1/metrics", NOBODY.certificate());
    }
    assertThat(next()).contains("not assigned");
    // another identity is not held back by the first one's limit
    request("GET", "/v1/metrics", BOB.certificate());
    assertThat(next()).contains("policy 'other'");
    assertThat(lines.poll(300, TimeUnit.MILLISECONDS)).isNull();
    clock.millis.addAndGet(Duration.ofSeconds(KesHttpApi.REFUSAL_LOG_SECONDS + 1).toMillis());
    request("GET", "/v1/metrics", NOBODY.certificate());
    assertThat(next()).contains("not assigned").contains("(4 similar suppressed)");
  }

  // ---- TLS layer (real handshakes)
  // ---------------------------------------------------------------

  @Test
  void tlsRefusalsAreExplained() throws Exception {
    TestCerts certs = new TestCerts();
    try (KesServer server =
        KesServer.builder(api)
            .address("127.0.0.1:0")
            .certificate(certs.server.privateKey(), List.of(certs.server.certificate()))
            .clientAuth(KesServer.ClientAuth.VERIFY, List.of(certs.ca.certificate()))
            .systemRoots(false)
            .start()) {
      int port = server.address().getPort();
      // a self-signed client certificate: not issued by tls.ca
      handshake(alwaysPresenting(certs, ALICE), port);
      String untrusted = next();
      assertThat(untrusted)
          .contains("refused client 127.0.0.1: TLS handshake: client certificate 'CN=alice'")
          .contains("identity " + TestCerts.identity(ALICE).value())
          .contains("issued by 'CN=alice'")
          .contains("expected an issuer among tls.ca 'CN=test CA'");
      // no certificate at all
      handshake(certs.clientContext(null), port);
      assertThat(next()).contains("no client certificate");
      // the client does not trust the server's certificate
      SSLContext distrusting = new TestCerts().clientContext(certs.issued("app"));
      handshake(distrusting, port);
      assertThat(next()).contains("the client rejected the server's certificate").contains("--ca");
    }
  }

  /**
   * A context that presents {@code client} whatever CAs the server names (as Go and kes4j clients
   * do; the JDK's default key manager would send nothing).
   */
  private static SSLContext alwaysPresenting(TestCerts certs, Pki.Issued client) throws Exception {
    javax.net.ssl.X509ExtendedKeyManager km =
        new javax.net.ssl.X509ExtendedKeyManager() {
          @Override
          public String[] getClientAliases(String t, java.security.Principal[] i) {
            return new String[] {"c"};
          }

          @Override
          public String chooseClientAlias(
              String[] t, java.security.Principal[] i, java.net.Socket s) {
            return "c";
          }

          @Override
          public String[] getServerAliases(String t, java.security.Principal[] i) {
            return null;
          }

          @Override
          public String chooseServerAlias(
              String t, java.security.Principal[] i, java.net.Socket s) {
            return null;
          }

          @Override
          public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {client.certificate()};
          }

          @Override
          public java.security.PrivateKey getPrivateKey(String alias) {
            return client.privateKey();
          }
        };
    javax.net.ssl.TrustManagerFactory tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", certs.ca.certificate());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(new javax.net.ssl.KeyManager[] {km}, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static void handshake(SSLContext ctx, int port) {
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.startHandshake();
      s.getOutputStream().write("GET /version HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
      s.getOutputStream().flush();
      s.getInputStream().read(); // TLS 1.3: the server's verdict arrives after the handshake
    } catch (IOException e) {
      // expected: refused
    }
  }
}
