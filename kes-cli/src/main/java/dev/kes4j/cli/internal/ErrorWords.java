package dev.kes4j.cli.internal;

import dev.kes4j.client.internal.Env;
import java.io.EOFException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Renders an error as one line of words for the CLI: the message of the error kes4j raised, with
 * the technical cause (a Java exception's class name and text, such as {@code
 * ClosedChannelException} or {@code PKIX path building failed: sun.security…}) replaced by what it
 * means — "connection refused", "no such file: PATH", "its certificate is not issued by a CA this
 * client trusts: set MINIO_KMS_KES_CAPATH …" (the client's wording). No Java class name ever
 * appears in the result. Stateless and thread-safe.
 */
public final class ErrorWords {
  private static final int MAX_DEPTH = 12;

  /** A fully qualified JDK/library class name, with an optional trailing ": ". */
  private static final Pattern QUALIFIED =
      Pattern.compile(
          "\\b(?:java|javax|jdk|sun|com\\.sun|io\\.grpc|io\\.netty|com\\.google|org\\.bouncycastle)"
              + "(?:\\.[A-Za-z_$][\\w$]*)+(?::\\s*)?");

  /** A simple exception class name, with an optional trailing ": ". */
  private static final Pattern SIMPLE =
      Pattern.compile("(?<!')\\b[A-Z][A-Za-z0-9]*(?:Exception|Error)\\b(?!')(?::\\s*)?");

  private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");

  /** The hint for a server certificate the client does not trust. */
  public static final String UNTRUSTED =
      "its certificate is not issued by a CA this client trusts: " + Env.UNTRUSTED_HINT;

  private ErrorWords() {}

  /**
   * The one-line message for an error: never a stack trace, a class name or a secret.
   *
   * @param e the error
   * @return the message
   */
  public static String message(Throwable e) {
    List<Throwable> chain = chain(e);
    String top = e.getMessage();
    String words = null;
    Throwable meant = null;
    for (Throwable t : chain) {
      String w = words(t, chain);
      if (w != null) {
        words = w;
        meant = t;
        break;
      }
    }
    if (words == null) {
      String clean = clean(top);
      for (Throwable t : chain.subList(1, chain.size())) {
        // a key store's "failed to create key" says why in its cause ("CreateSecret: ...")
        String c = clean(t.getMessage());
        if (!c.isEmpty() && !clean.contains(c)) {
          clean = clean.isEmpty() ? c : clean + ": " + c;
          break;
        }
      }
      return clean.isEmpty() ? "unexpected error (" + kind(e) + ")" : clean;
    }
    if (meant == e || top == null) {
      return words;
    }
    String head = clean(headBefore(top, chain.subList(1, chain.size())));
    if (head.isEmpty()) {
      return words;
    }
    // "cannot read config file 'x.yaml': no such file: x.yaml" says the path twice
    if (meant instanceof FileSystemException f && f.getFile() != null) {
      String file = f.getFile();
      if (head.contains(file) && words.contains(": " + file)) {
        words = words.replace(": " + file, "");
      }
    }
    return head + ": " + words;
  }

  private static List<Throwable> chain(Throwable e) {
    List<Throwable> out = new ArrayList<>();
    for (Throwable t = e; t != null && out.size() < MAX_DEPTH && !out.contains(t); ) {
      out.add(t);
      t = t.getCause();
    }
    return out;
  }

  /** The words for one error of the chain, or null if it has no better words than its message. */
  private static String words(Throwable t, List<Throwable> chain) {
    if (t instanceof NoSuchFileException f) {
      return "no such file: " + file(f.getFile());
    }
    if (t instanceof AccessDeniedException f) {
      return "permission denied: " + file(f.getFile());
    }
    if (t instanceof FileAlreadyExistsException f) {
      return f.getReason() != null ? f.getReason() : f.getFile() + " already exists";
    }
    if (t instanceof NotDirectoryException f) {
      return "not a directory: " + f.getFile();
    }
    if (t instanceof FileSystemException f && f.getFile() != null) {
      String reason = f.getReason();
      return (reason == null || reason.isBlank() ? "cannot access the file" : lower(reason))
          + ": "
          + file(f.getFile());
    }
    if (t instanceof SSLException) {
      return tls(t, chain);
    }
    if (t instanceof HttpConnectTimeoutException) {
      return "connection timed out";
    }
    if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
      return "timed out";
    }
    if (t instanceof UnknownHostException) {
      String host = t.getMessage();
      return host == null || host.isBlank() ? "unknown host" : "unknown host: " + clean(host);
    }
    if (t instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (t instanceof BindException) {
      return "address already in use";
    }
    if (t instanceof ConnectException) {
      String m = t.getMessage();
      if (m != null && m.toLowerCase(java.util.Locale.ROOT).contains("timed out")) {
        return "connection timed out";
      }
      return "connection refused";
    }
    if (t instanceof ClosedChannelException) {
      return "the connection was closed";
    }
    if (t instanceof EOFException) {
      return "unexpected end of input";
    }
    if (t instanceof java.io.IOException
        && t.getMessage() != null
        && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connection reset")) {
      return "the server closed the connection";
    }
    return null;
  }

  private static String tls(Throwable t, List<Throwable> chain) {
    for (Throwable c : chain) {
      if (c instanceof CertificateExpiredException) {
        return "the server's certificate has expired";
      }
      if (c instanceof CertificateNotYetValidException) {
        return "the server's certificate is not valid yet (check this machine's clock)";
      }
    }
    for (Throwable c : chain) {
      if (c instanceof CertPathBuilderException
          || c instanceof CertPathValidatorException
          || String.valueOf(c.getMessage()).contains("PKIX path")) {
        return UNTRUSTED;
      }
    }
    String m = String.valueOf(t.getMessage());
    if (m.contains("No subject alternative") || m.contains("No name matching")) {
      return "the server's certificate is not issued for this address (no matching subject"
          + " alternative name): connect with a name or IP address it lists";
    }
    Matcher a = ALERT.matcher(m);
    if (a.find()) {
      String alert = a.group(1);
      if (alert.equals("bad_certificate")
          || alert.equals("certificate_required")
          || alert.equals("unknown_ca")
          || alert.equals("certificate_unknown")
          || alert.equals("access_denied")) {
        return "the server refused the client certificate (TLS alert " + alert + ")";
      }
      return "TLS handshake failed: the server sent the alert " + alert;
    }
    String clean = clean(m);
    return clean.isEmpty() ? "TLS handshake failed" : "TLS handshake failed: " + lower(clean);
  }

  private static String file(String file) {
    return HomePaths.expandedFrom(file)
        .map(from -> file + " (from " + from + ", with ~ expanded to the home directory)")
        .orElse(file);
  }

  /** The part of {@code top} before the text of one of its causes. */
  private static String headBefore(String top, List<Throwable> causes) {
    int cut = -1;
    for (Throwable c : causes) {
      for (String s : List.of(c.toString(), c.getClass().getName(), c.getClass().getSimpleName())) {
        cut = earliest(cut, top.indexOf(": " + s));
      }
      String m = c.getMessage();
      if (m != null && !m.isBlank()) {
        cut = earliest(cut, top.indexOf(": " + m));
      }
    }
    return cut < 0 ? top : top.substring(0, cut);
  }

  private static int earliest(int a, int b) {
    return b < 0 ? a : a < 0 ? b : Math.min(a, b);
  }

  /** The text without class names; empty if nothing remains. */
  static String clean(String text) {
    if (text == null) {
      return "";
    }
    String s = QUALIFIED.matcher(text).replaceAll("");
    s = SIMPLE.matcher(s).replaceAll("");
    s = s.replaceAll("\\s+", " ").trim();
    while (s.endsWith(":")) {
      s = s.substring(0, s.length() - 1).trim();
    }
    // "A: B: B: C (B: C)" (a cause's text repeated by its wrapper) reads "A: B: C"
    int open = s.lastIndexOf(" (");
    if (open > 0 && s.endsWith(")")) {
      String inner = s.substring(open + 2, s.length() - 1).trim();
      if (s.substring(0, open).contains(inner)) {
        s = s.substring(0, open);
      }
    }
    List<String> parts = new ArrayList<>();
    for (String p : s.split(": ")) {
      if (parts.isEmpty() || !parts.get(parts.size() - 1).equals(p)) {
        parts.add(p);
      }
    }
    return String.join(": ", parts);
  }

  private static String lower(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /** A word for an error with no message at all. */
  private static String kind(Throwable e) {
    if (e instanceof OutOfMemoryError) {
      return "out of memory";
    }
    if (e instanceof InterruptedException) {
      return "interrupted";
    }
    return "a bug in kes4j: please report it";
  }
}
