package dev.kes4j.client.internal;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.policy.internal.pki.Pem;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds the client's {@link SSLContext}. Stateless and thread-safe. */
public final class Tls {
  private static final String ALIAS = "kes-client";

  private Tls() {}

  /**
   * A TLS context presenting {@code key}/{@code chain} (if not null) and trusting {@code cas}, or
   * the JDK's system roots when {@code cas} is empty, or everything when {@code insecure}.
   *
   * @throws KesConfigException if the JDK refuses the setup
   */
  public static SSLContext context(
      PrivateKey key, List<X509Certificate> chain, List<X509Certificate> cas, boolean insecure) {
    return context(
        key == null ? null : keyManager(key, chain), insecure ? new TrustAll() : trustManager(cas));
  }

  /**
   * A TLS context with these managers ({@code keys} null: no client certificate).
   *
   * @throws KesConfigException if the JDK refuses the setup
   */
  public static SSLContext context(X509ExtendedKeyManager keys, X509ExtendedTrustManager trust) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(
          keys == null ? null : new javax.net.ssl.KeyManager[] {keys},
          new TrustManager[] {trust},
          null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new KesConfigException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * The client's key manager: always offers the one certificate {@code chain} (leaf first) for
   * {@code key}, whatever CAs the server names, when the key type is one the server accepts.
   */
  public static X509ExtendedKeyManager keyManager(PrivateKey key, List<X509Certificate> chain) {
    return new SingleKey(key, chain);
  }

  /**
   * The client's trust manager: {@code cas}, or the JDK's system roots when {@code cas} is empty.
   *
   * @throws KesConfigException if the JDK refuses the setup
   */
  public static X509ExtendedTrustManager trustManager(List<X509Certificate> cas) {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (cas.isEmpty()) {
        tmf.init((KeyStore) null);
      } else {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
          store.setCertificateEntry("ca-" + i, cas.get(i));
        }
        tmf.init(store);
      }
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager) {
          return (X509ExtendedTrustManager) tm;
        }
      }
      throw new KesConfigException("cannot set up TLS: the JDK has no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new KesConfigException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * Always offers the one client certificate, whatever CAs the server names (KES servers that do
   * not verify chains name none; a Go client sends its certificate regardless), as long as the key
   * type is one the server can accept.
   */
  private static final class SingleKey extends X509ExtendedKeyManager {
    private final PrivateKey key;
    private final X509Certificate[] chain;

    SingleKey(PrivateKey key, List<X509Certificate> chain) {
      this.key = key;
      this.chain = chain.toArray(new X509Certificate[0]);
    }

    private String choose(String[] keyTypes) {
      String family = Pem.family(key.getAlgorithm());
      if (keyTypes == null) {
        return ALIAS;
      }
      for (String t : keyTypes) {
        if (Pem.family(t).equals(family)) {
          return ALIAS;
        }
      }
      return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return choose(new String[] {keyType}) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return choose(keyType);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return choose(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }
  }

  /**
   * Trusts every server certificate and, being an extended trust manager, also skips the host name
   * check the JDK would otherwise make: {@code insecure}, as {@code kes -k}.
   */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
