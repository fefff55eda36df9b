package dev.kes4j.server.internal;

import dev.kes4j.api.KesConfigException;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the server's Netty {@link SslContext}: TLS 1.2/1.3, BoringSSL when available (JDK
 * otherwise), ALPN offering {@code h2} before {@code http/1.1} (when HTTP/2 is on; a client that
 * offers neither, or no ALPN at all, gets HTTP/1.1), client certificates required (or only
 * requested when some route skips authentication), accepted without verification (KES's default) or
 * verified against the system roots plus configured CAs. Thread-safe.
 */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * Starts loading the JDK's and Netty's TLS set-up on a daemon thread, for a process that is about
   * to start a server and has other start-up work (parsing its command line, making keys) to do
   * meanwhile: on the first {@link #server} call Netty's JDK context reads the JDK's CA store and
   * Netty's server context builds a throw-away key store (≈ 0.3 s together on a cold JVM). Returns
   * at once; a failure is left for {@link #server} to report.
   */
  public static void warmUp() {
    Thread t =
        new Thread(
            () -> {
              try {
                ClassLoader loader = TlsContexts.class.getClassLoader();
                Class.forName("io.netty.handler.ssl.JdkSslContext", true, loader);
                // its static check builds a throw-away key store (PKCS12: 10,000 PBKDF2 rounds)
                Class.forName("io.netty.handler.ssl.JdkSslServerContext", true, loader);
              } catch (ClassNotFoundException | LinkageError e) {
                // server() meets the same failure and reports it
              }
            },
            "kes4j-tls-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** The context and the provider's name. */
  public record Result(SslContext context, String provider) {}

  /**
   * The server context.
   *
   * @param http2 whether ALPN offers {@code h2} (then {@code http/1.1}); false: no ALPN at all
   * @throws KesConfigException if the key and certificate do not work together or TLS setup fails
   */
  public static Result server(
      PrivateKey key,
      List<X509Certificate> chain,
      boolean verify,
      List<X509Certificate> cas,
      boolean systemRoots,
      boolean requireCertificate,
      boolean preferOpenSsl,
      boolean http2) {
    boolean openSsl = preferOpenSsl && OpenSsl.isAvailable();
    try {
      SslContextBuilder b =
          SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
              .sslProvider(openSsl ? SslProvider.OPENSSL : SslProvider.JDK)
              // Netty hands the key to the TLS provider through an in-memory key store, never
              // written anywhere: JKS protects the entry cheaply, where PKCS12 (the default) runs
              // 10,000 PBKDF2 iterations to put it in and as many to take it out (≈ 0.2 s of a
              // start)
              .keyStoreType("JKS")
              .protocols("TLSv1.3", "TLSv1.2")
              .clientAuth(requireCertificate ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
      if (http2) {
        // the client's ALPN list is matched against ours in our order (h2 first); no common
        // protocol or no ALPN extension: nothing is selected and the connection falls back to
        // HTTP/1.1 (NO_ADVERTISE / ACCEPT are what both the JDK and BoringSSL support)
        b.applicationProtocolConfig(
            new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                ApplicationProtocolNames.HTTP_2,
                ApplicationProtocolNames.HTTP_1_1));
      }
      if (verify) {
        // issue 11: a chain that does not verify is logged with its issuer and the expected CAs
        b.trustManager(verifyingTrust(cas, systemRoots));
      } else {
        b.trustManager(InsecureTrustManagerFactory.INSTANCE);
      }
      SslContext ctx = b.build();
      String name = openSsl ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
      return new Result(ctx, name);
    } catch (SSLException | IllegalArgumentException e) {
      throw new KesConfigException(
          "tls: cannot use the server key and certificate: " + e.getMessage(), e);
    }
  }

  private static TrustManager verifyingTrust(List<X509Certificate> cas, boolean systemRoots) {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      if (systemRoots) {
        TrustManagerFactory sys =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        sys.init((KeyStore) null);
        for (TrustManager tm : sys.getTrustManagers()) {
          if (tm instanceof X509TrustManager x) {
            for (X509Certificate c : x.getAcceptedIssuers()) {
              ks.setCertificateEntry("system-" + i++, c);
            }
          }
        }
      }
      int roots = i;
      for (X509Certificate c : cas) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          return new TlsDiagnostics.Verifying(x, cas, roots);
        }
      }
      throw new KesConfigException("tls: the JDK offers no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new KesConfigException("tls: cannot build the client CA trust store: " + e, e);
    }
  }
}
