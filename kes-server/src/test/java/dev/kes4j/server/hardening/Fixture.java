package dev.kes4j.server.hardening;

import dev.kes4j.api.Identity;
import dev.kes4j.core.KesConfig;
import dev.kes4j.http.ApiRequest;
import dev.kes4j.http.ApiResponse;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.policy.internal.pki.Pki;
import dev.kes4j.server.KesServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * What the hardening tests share: generated certificates (a CA, the server, an admin, three policy
 * identities, one identity with an empty policy and one without any), a KES config for them, a
 * loopback mTLS {@link KesServer}, JDK HTTP clients, and a capture of everything the server logs.
 */
final class Fixture {
  static final Pki.Issued CA = issue(Pki.Algorithm.ECDSA_P256, "hardening CA", Pki.Usage.CA, null);
  static final Pki.Issued SERVER =
      Pki.issue(
          Pki.keyPair(Pki.Algorithm.ECDSA_P256),
          "localhost",
          Pki.Usage.SERVER,
          List.of("localhost"),
          List.of("127.0.0.1"),
          Duration.ofDays(1),
          CA);
  static final Pki.Issued ADMIN = issue(Pki.Algorithm.ED25519, "admin", Pki.Usage.CLIENT, null);
  static final Pki.Issued APP1 = issue(Pki.Algorithm.ECDSA_P256, "app1", Pki.Usage.CLIENT, null);
  static final Pki.Issued APP2 = issue(Pki.Algorithm.ED25519, "app2", Pki.Usage.CLIENT, null);
  static final Pki.Issued APP3 = issue(Pki.Algorithm.ECDSA_P256, "app3", Pki.Usage.CLIENT, CA);

  /** Assigned to a policy that allows nothing. */
  static final Pki.Issued EMPTY = issue(Pki.Algorithm.ECDSA_P256, "empty", Pki.Usage.CLIENT, null);

  /** Not assigned to any policy. */
  static final Pki.Issued NOBODY = issue(Pki.Algorithm.ED25519, "nobody", Pki.Usage.CLIENT, null);

  private Fixture() {}

  static Pki.Issued issue(Pki.Algorithm alg, String cn, Pki.Usage usage, Pki.Issued issuer) {
    return Pki.issue(Pki.keyPair(alg), cn, usage, List.of(), List.of(), Duration.ofDays(1), issuer);
  }

  static Identity id(Pki.Issued who) {
    return Identity.of(who.certificate());
  }

  /**
   * A KES config: policy {@code app} (APP1..3) may use every key API, list, status and the API
   * table except creating keys named {@code forbidden*}; policy {@code empty} (EMPTY) allows
   * nothing.
   */
  static KesConfig config(String extra) {
    String yaml =
        "admin:\n  identity: "
            + id(ADMIN).value()
            + "\npolicy:\n  app:\n    allow:\n    - /v1/key/*\n    - /v1/status\n    - /v1/api\n"
            + "    deny:\n    - /v1/key/create/forbidden*\n"
            + "    identities:\n    - "
            + id(APP1).value()
            + "\n    - "
            + id(APP2).value()
            + "\n    - "
            + id(APP3).value()
            + "\n  empty:\n    allow: []\n    identities:\n    - "
            + id(EMPTY).value()
            + "\nkeystore:\n  mem: {}\n"
            + extra;
    return KesConfig.parse(yaml);
  }

  static KesServer start(KesHttpApi api) {
    return builder(api).start();
  }

  /** A loopback server on a free port with the fixture's server certificate, not started. */
  static KesServer.Builder builder(KesHttpApi api) {
    return KesServer.builder(api)
        .address("127.0.0.1:0")
        .certificate(SERVER.privateKey(), List.of(SERVER.certificate(), CA.certificate()))
        .gracePeriod(Duration.ofSeconds(2));
  }

  /**
   * A client context trusting the CA that presents {@code chain} (leaf first, the leaf's private
   * key), or no certificate when {@code chain} is empty.
   */
  static SSLContext sslContext(Pki.Issued leaf, X509Certificate... more) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", CA.certificate());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      if (leaf != null && more.length > 0) {
        // a chain a PKCS12 store refuses (say, two leaves): serve it from a key manager of our own
        X509Certificate[] chain = new X509Certificate[1 + more.length];
        chain[0] = leaf.certificate();
        System.arraycopy(more, 0, chain, 1, more.length);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(
            new KeyManager[] {new FixedKeyManager(leaf.privateKey(), chain)},
            tmf.getTrustManagers(),
            null);
        return ctx;
      }
      KeyManagerFactory kmf = null;
      if (leaf != null) {
        Certificate[] chain = new Certificate[1 + more.length];
        chain[0] = leaf.certificate();
        System.arraycopy(more, 0, chain, 1, more.length);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", leaf.privateKey(), "pw".toCharArray(), chain);
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Presents one fixed key and chain, whatever the server asks for. */
  private static final class FixedKeyManager extends X509ExtendedKeyManager {
    private final PrivateKey key;
    private final X509Certificate[] chain;

    FixedKeyManager(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {"client"};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return "client";
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
      return "client";
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[0];
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }
  }

  static HttpClient client(Pki.Issued who, X509Certificate... more) {
    return HttpClient.newBuilder()
        .sslContext(sslContext(who, more))
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  static HttpResponse<String> send(
      HttpClient c, KesServer s, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.address().getPort() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return c.send(r, HttpResponse.BodyHandlers.ofString());
  }

  /** The exact error body of spec §1.2. */
  static String error(String message) {
    return "{\"message\":\"" + message + "\"\n}";
  }

  /**
   * Everything the server says outside its responses: stderr (slf4j-simple writes there), and the
   * in-process subscriptions of {@code /v1/log/error} and {@code /v1/log/audit}.
   */
  static final class LogCapture implements AutoCloseable {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream original = System.err;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final List<Thread> subscribers = new ArrayList<>();

    LogCapture(KesHttpApi api) {
      OutputStream tee =
          new OutputStream() {
            @Override
            public void write(int b) {
              synchronized (captured) {
                captured.write(b);
              }
              original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              synchronized (captured) {
                captured.write(b, off, len);
              }
              original.write(b, off, len);
            }
          };
      System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
      for (String path : List.of("/v1/log/error", "/v1/log/audit")) {
        ApiResponse r =
            api.handle(
                ApiRequest.builder("GET", path)
                    .peerCertificates(new X509Certificate[] {ADMIN.certificate()})
                    .build());
        ApiResponse.EventStream stream = r.stream().orElseThrow();
        Thread t =
            new Thread(
                () -> {
                  try {
                    stream.run(
                        new ApiResponse.EventSink() {
                          @Override
                          public void send(byte[] chunk) throws IOException {
                            if (!open.get()) {
                              throw new IOException("capture closed");
                            }
                            synchronized (captured) {
                              captured.write(chunk);
                            }
                          }

                          @Override
                          public boolean isOpen() {
                            return open.get();
                          }
                        });
                  } catch (IOException | RuntimeException e) {
                    // capture ended
                  }
                },
                "log-capture" + path.replace('/', '-'));
        t.setDaemon(true);
        t.start();
        subscribers.add(t);
      }
    }

    String text() {
      synchronized (captured) {
        return captured.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() {
      open.set(false);
      System.setErr(original);
    }
  }
}
