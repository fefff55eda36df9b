package dev.kes4j.cli.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Expands a leading {@code ~/} (or a lone {@code ~}) in a path option to the user's home directory,
 * as a shell would: {@code --config=~/x.yaml} reaches the program with the {@code ~} intact because
 * the shell expands {@code ~} only at the start of a word. Remembers each expansion so that an
 * error about the file can say what {@code ~} became. Thread-safe.
 */
public final class HomePaths {
  private static final int MAX_REMEMBERED = 256;
  private static final Map<String, String> EXPANDED = new ConcurrentHashMap<>();

  private HomePaths() {}

  /**
   * The path for an option value: {@code ~} and {@code ~/rest} relative to {@code user.home}, any
   * other text as given ({@code ~user/} forms are left alone).
   *
   * @param text the option value
   * @return the path
   * @throws java.nio.file.InvalidPathException if the text is not a path
   */
  public static Path expand(String text) {
    String home = System.getProperty("user.home");
    if (home == null || home.isEmpty() || !(text.equals("~") || text.startsWith("~/"))) {
      return Path.of(text);
    }
    Path p = text.equals("~") ? Path.of(home) : Path.of(home, text.substring(2));
    if (EXPANDED.size() < MAX_REMEMBERED) {
      EXPANDED.put(p.toString(), text);
    }
    return p;
  }

  /** The option text that {@link #expand} turned into {@code path}, if it expanded a {@code ~}. */
  public static Optional<String> expandedFrom(String path) {
    return Optional.ofNullable(EXPANDED.get(path));
  }
}
