package dev.kes4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.core.Kes;
import dev.kes4j.http.ApiRequest;
import dev.kes4j.http.ApiResponse;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.internal.pki.Pki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 at the TLS layer: a failed handshake gets one clear line in the error log ({@code
 * /v1/log/error} subscribers see it). The API-level refusals are tested in kes-http.
 */
class TlsRefusalDiagnosticsTest {
  static final Pki.Issued ADMIN = TestCerts.selfSigned("admin", false);
  static final Pki.Issued ALICE = TestCerts.selfSigned("alice", false);

  final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  Kes kes;
  KesHttpApi api;
  Thread subscriber;

  @BeforeEach
  void setUp() throws Exception {
    kes =
        Kes.builder()
            .keyStore(new MemKeyStore())
            .policies(dev.kes4j.policy.PolicySet.builder().admin(TestCerts.identity(ADMIN)).build())
            .build();
    api = KesHttpApi.builder(kes).build();
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
      if (lines.poll(50, TimeUnit.MILLISECONDS) != null) {
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
  }

  String next() throws InterruptedException {
    String l = lines.poll(5, TimeUnit.SECONDS);
    assertThat(l).as("a log line").isNotNull();
    return l;
  }

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

  @Test
  void everyRefusalLineHasAReason() throws Exception {
    // issue 16: "http: TLS handshake error from 127.0.0.1: " with nothing after it
    for (Throwable t :
        List.of(
            new java.nio.channels.ClosedChannelException(),
            new javax.net.ssl.SSLHandshakeException(null),
            new io.netty.handler.codec.DecoderException(
                new javax.net.ssl.SSLException((String) null)),
            new javax.net.ssl.SSLPeerUnverifiedException(""),
            new java.io.IOException())) {
      String line =
          dev.kes4j.server.internal.TlsDiagnostics.handshakeFailure("127.0.0.1", t).message();
      assertThat(line).as(t.toString()).doesNotEndWith(": ").doesNotEndWith(":");
      assertThat(line.substring(line.lastIndexOf(": ") + 2)).as(line).matches("[a-z][a-z /]+");
    }
    assertThat(
            dev.kes4j.server.internal.TlsDiagnostics.handshakeFailure(
                    "127.0.0.1", new java.nio.channels.ClosedChannelException())
                .message())
        .isEqualTo("http: TLS handshake error from 127.0.0.1: connection closed during handshake");
    assertThat(
            dev.kes4j.server.internal.TlsDiagnostics.handshakeFailure(
                    "127.0.0.1", new javax.net.ssl.SSLHandshakeException(null))
                .message())
        .isEqualTo("http: TLS handshake error from 127.0.0.1: ssl handshake exception");
  }

  @Test
  void aClientThatHangsUpInTheHandshakeGetsAReason() throws Exception {
    TestCerts certs = new TestCerts();
    try (KesServer server =
        KesServer.builder(api)
            .address("127.0.0.1:0")
            .certificate(certs.server.privateKey(), List.of(certs.server.certificate()))
            .start()) {
      // half a ClientHello, then the client hangs up; and a client that connects and leaves
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.address().getPort())) {
        s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00});
        s.getOutputStream().flush();
      }
      String line = next();
      assertThat(line).contains("127.0.0.1");
      assertThat(line.substring(line.lastIndexOf(':') + 1).trim()).as(line).isNotEmpty();
      assertThat(line).doesNotContain("\"message\":\"\"");
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
