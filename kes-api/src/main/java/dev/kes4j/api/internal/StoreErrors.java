package dev.kes4j.api.internal;

import dev.kes4j.api.KesException;
import java.io.FileNotFoundException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;

/**
 * Key store failures in words, for the server log and startup errors (never for a client, whose
 * body keeps KES's fixed text, spec §1.2): {@code failed to create key "my-key": permission denied
 * by the key store: Permission 'secretmanager.secrets.create' denied for resource 'projects/p'}.
 *
 * <p>The reason comes from the failure's cause chain: each message once, outermost first, with the
 * JDK's I/O and network exceptions named in words ({@code permission denied}, {@code no such file
 * or directory}, {@code connection refused} …) instead of by class. Stores write their causes
 * without secrets (KeyStore SPI), so neither is this text. Stateless and thread-safe.
 */
public final class StoreErrors {
  private StoreErrors() {}

  /**
   * {@code <message> "<name>": <reason>}; without the name when {@code name} is empty, without the
   * reason when there is no cause.
   */
  public static String describe(KesException e, String name) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    if (name != null && !name.isEmpty()) {
      sb.append(" \"").append(name).append('"');
    }
    String reason = reason(e.getCause());
    if (!reason.isEmpty()) {
      sb.append(": ").append(reason);
    }
    return sb.toString();
  }

  /** The cause chain in words; empty for null. */
  public static String reason(Throwable cause) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = cause; t != null && parts.size() < 6; t = t.getCause()) {
      String part = words(t);
      if (!part.isEmpty() && parts.stream().noneMatch(p -> p.contains(part))) {
        parts.add(part);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return String.join(": ", parts);
  }

  private static String words(Throwable t) {
    String m = t.getMessage() == null ? "" : t.getMessage().trim();
    if (t instanceof FileSystemException f) {
      String what = f.getFile() == null ? "" : f.getFile();
      String kind;
      if (t instanceof AccessDeniedException) {
        kind = "permission denied";
      } else if (t instanceof NoSuchFileException) {
        kind = "no such file or directory";
      } else if (t instanceof NotDirectoryException) {
        kind = "not a directory";
      } else {
        kind = f.getReason() == null ? "file system error" : f.getReason();
      }
      return what.isEmpty() ? kind : kind + ": " + what;
    }
    if (t instanceof FileNotFoundException) {
      return "no such file: " + m;
    }
    if (t instanceof ConnectException) {
      return "connection refused"
          + (m.isEmpty() || m.startsWith("Connection refused") ? "" : " (" + m + ")");
    }
    if (t instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (t instanceof UnknownHostException) {
      return "unknown host " + m;
    }
    if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
      return "timed out";
    }
    return m;
  }
}
