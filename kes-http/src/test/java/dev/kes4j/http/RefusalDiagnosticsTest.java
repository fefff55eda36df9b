package dev.kes4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.DataKey;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.keystore.mem.MemKeyStore;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: every refused client gets one clear, rate-limited line in the error log ({@code
 * /v1/log/error} subscribers see it), and no line reveals key material.
 */
class RefusalDiagnosticsTest {
  static final TestCerts.Issued ADMIN = TestCerts.selfSigned("admin", false);
  static final TestCerts.Issued ALICE = TestCerts.selfSigned("alice", false);
  static final TestCerts.Issued BOB = TestCerts.selfSigned("bob", true);
  static final TestCerts.Issued NOBODY = TestCerts.selfSigned("nobody", true);
  static final TestCerts.Issued CA_ONLY = TestCerts.caOnly("made with openssl req -x509");

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

  // the TLS layer's refusals (real handshakes) are tested in kes-server
}
