package dev.kes4j.server.internal;

import dev.kes4j.api.Identity;
import dev.kes4j.http.internal.RefusalLog;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Explains failed TLS handshakes in one log line each: which client, what went wrong, how to fix
 * it. With {@code tls.auth: on} a {@link Verifying} trust manager wraps the real one and says which
 * issuer the client's certificate has and which CAs were expected. Never logs secrets (only
 * certificates' public fields and identities). Stateless and thread-safe.
 */
public final class TlsDiagnostics {
  private TlsDiagnostics() {}

  /** A log line and the key it is rate-limited by. */
  public record Refusal(String key, String message) {}

  /** What the verifying trust manager throws: a chain that did not verify, explained. */
  public static final class ClientChainRejected extends CertificateException {
    private static final long serialVersionUID = 1L;
    private final String key;

    ClientChainRejected(String key, String explanation, Throwable cause) {
      super(explanation, cause);
      this.key = key;
    }

    /** The rate-limit key (reason and identity). */
    public String key() {
      return key;
    }
  }

  /**
   * Wraps a verifying trust manager so that a rejected client chain comes with an explanation:
   * subject, issuer and identity of the client's certificate, the trusted CAs (the configured ones
   * by name), expiry and CA flag.
   */
  public static final class Verifying extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    private final List<X509Certificate> configured;
    private final int systemRoots;

    /**
     * @param delegate the real trust manager
     * @param configured the CAs of {@code tls.ca}
     * @param systemRoots how many system roots are trusted besides them
     */
    public Verifying(
        X509ExtendedTrustManager delegate, List<X509Certificate> configured, int systemRoots) {
      this.delegate = delegate;
      this.configured = List.copyOf(configured);
      this.systemRoots = systemRoots;
    }

    private ClientChainRejected explain(X509Certificate[] chain, CertificateException e) {
      if (chain == null || chain.length == 0) {
        return new ClientChainRejected(
            "no-certificate", "no client certificate", e); // handled as such by the caller
      }
      X509Certificate leaf = chain[0];
      String id = Identity.of(leaf).value();
      List<String> cas = new ArrayList<>();
      for (X509Certificate c : configured) {
        cas.add("'" + c.getSubjectX500Principal().getName() + "'");
      }
      StringBuilder sb = new StringBuilder(256);
      sb.append("client certificate '")
          .append(leaf.getSubjectX500Principal().getName())
          .append("' (identity ")
          .append(id)
          .append(") issued by '")
          .append(chain[chain.length - 1].getIssuerX500Principal().getName())
          .append("' does not verify (tls.auth: on); expected an issuer among tls.ca ")
          .append(cas.isEmpty() ? "(none configured)" : String.join(", ", cas))
          .append(systemRoots > 0 ? " or the " + systemRoots + " system roots" : "");
      Instant now = Instant.now();
      if (now.isAfter(leaf.getNotAfter().toInstant())) {
        sb.append("; it expired on ").append(leaf.getNotAfter().toInstant());
      } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
        sb.append("; it is not valid before ").append(leaf.getNotBefore().toInstant());
      }
      if (leaf.getBasicConstraints() >= 0) {
        sb.append("; it is a CA certificate (CA:TRUE), which KES never accepts as a client")
            .append(" identity ('openssl req -x509' marks certificates as CA by default)");
      }
      String cause = e.getMessage();
      if (cause != null) {
        sb.append(" [").append(RefusalLog.clean(cause)).append(']');
      }
      return new ClientChainRejected("untrusted:" + id, sb.toString(), e);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      try {
        delegate.checkClientTrusted(chain, authType, socket);
      } catch (CertificateException e) {
        throw explain(chain, e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      try {
        delegate.checkClientTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        throw explain(chain, e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        delegate.checkClientTrusted(chain, authType);
      } catch (CertificateException e) {
        throw explain(chain, e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }

  /**
   * Explains a failed handshake of the client at {@code address}.
   *
   * @param address the client's IP address
   * @param cause what the TLS layer reported (any wrapping)
   */
  public static Refusal handshakeFailure(String address, Throwable cause) {
    String prefix = "refused client " + address + ": TLS handshake: ";
    StringBuilder all = new StringBuilder();
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ClientChainRejected r) {
        if (r.key().equals("no-certificate")) {
          break;
        }
        return new Refusal(r.key(), prefix + r.getMessage());
      }
      // a wrapper's message that is only its cause's class name (and message) adds nothing
      if (t.getMessage() != null
          && !(t.getCause() != null && t.getMessage().equals(t.getCause().toString()))) {
        all.append(t.getMessage()).append(" | ");
      }
    }
    String m = all.toString();
    String lower = m.toLowerCase(Locale.ROOT);
    if (lower.contains("empty client certificate chain")
        || lower.contains("null cert chain")
        || lower.contains("certificate_required")
        || lower.contains("peer did not return a certificate")
        || lower.contains("no client certificate")) {
      return new Refusal(
          "no-certificate:" + address,
          prefix
              + "no client certificate: KES requires one on every connection; configure the client"
              + " with a certificate and key, or an API key");
    }
    String alert = alert(m);
    if (alert != null && (alert.contains("certificate") || alert.equals("unknown_ca"))) {
      return new Refusal(
          "server-cert:" + address,
          prefix
              + "the client rejected the server's certificate (alert "
              + alert
              + "): give the client the CA that issued the server certificate (kes4j --ca FILE,"
              + " MINIO_KMS_KES_CAPATH) or, for tests only, skip verification (kes4j -k)");
    }
    if (lower.contains("not an ssl/tls record") || lower.contains("plaintext connection")) {
      return new Refusal(
          "plain-http:" + address,
          prefix + "the client sent plain HTTP: KES speaks HTTPS only (use https://)");
    }
    if (lower.contains("protocol_version")
        || lower.contains("no appropriate protocol")
        || lower.contains("not enabled or not supported")
        || lower.contains("no cipher suites in common")
        || lower.contains("handshake_failure")) {
      return new Refusal(
          "protocol:" + address,
          prefix
              + "no common TLS version or cipher (KES needs TLS 1.2 or 1.3): "
              + RefusalLog.clean(trim(m)));
    }
    String reason = trim(m).isBlank() ? wordless(cause) : RefusalLog.clean(trim(m));
    return new Refusal(
        "other:" + address, "http: TLS handshake error from " + address + ": " + reason);
  }

  /**
   * A reason for a failure whose exceptions carry no message (issue 16: the refusal line must never
   * end in an empty reason): what the exception types mean, or their names in words.
   */
  static String wordless(Throwable cause) {
    if (cause == null) {
      return "connection closed during handshake";
    }
    Throwable root = cause;
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      root = t;
      if (t instanceof java.nio.channels.ClosedChannelException
          || t instanceof java.io.EOFException) {
        return "connection closed during handshake";
      }
      if (t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
        return "client sent no certificate";
      }
      if (t instanceof java.net.SocketTimeoutException
          || t.getClass().getSimpleName().contains("Timeout")) {
        return "handshake timed out";
      }
    }
    return words(root.getClass().getSimpleName());
  }

  /** {@code SSLHandshakeException} → {@code "ssl handshake exception"}. */
  static String words(String className) {
    if (className.isEmpty()) {
      return "unknown error";
    }
    StringBuilder sb = new StringBuilder(className.length() + 8);
    for (int i = 0; i < className.length(); i++) {
      char c = className.charAt(i);
      boolean upper = Character.isUpperCase(c);
      boolean nextLower =
          i + 1 < className.length() && Character.isLowerCase(className.charAt(i + 1));
      boolean prevLower = i > 0 && Character.isLowerCase(className.charAt(i - 1));
      if (upper && i > 0 && (prevLower || nextLower)) {
        sb.append(' ');
      }
      sb.append(Character.toLowerCase(c));
    }
    return sb.toString();
  }

  private static String trim(String m) {
    return m.endsWith(" | ") ? m.substring(0, m.length() - 3) : m;
  }

  private static String alert(String message) {
    String marker = "Received fatal alert: ";
    int i = message.indexOf(marker);
    if (i < 0) {
      return null;
    }
    String rest = message.substring(i + marker.length());
    int end = 0;
    while (end < rest.length()
        && (Character.isLetterOrDigit(rest.charAt(end)) || rest.charAt(end) == '_')) {
      end++;
    }
    return rest.substring(0, end);
  }
}
