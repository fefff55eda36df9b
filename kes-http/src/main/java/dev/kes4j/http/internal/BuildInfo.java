package dev.kes4j.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the build recorded about itself: the git commit the jar was built from, for {@code /version}
 * (Go KES reports its commit there). The build writes {@code git rev-parse HEAD} into the resource
 * {@code commit} next to this class when it runs in a git checkout; a source tree without git, or a
 * jar built elsewhere, reports {@link #UNKNOWN}. Thread-safe, read once.
 */
public final class BuildInfo {
  /** The commit when the build did not record one. */
  public static final String UNKNOWN = "unknown";

  private static final String COMMIT = load();

  private BuildInfo() {}

  /** The 40-digit lower-case hex commit id, or {@link #UNKNOWN}. */
  public static String commit() {
    return COMMIT;
  }

  private static String load() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("commit")) {
      if (in == null) {
        return UNKNOWN;
      }
      return parse(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return UNKNOWN;
    }
  }

  /** The commit in {@code git rev-parse HEAD}'s output, or {@link #UNKNOWN} for anything else. */
  static String parse(String output) {
    String s = output.trim().toLowerCase(Locale.ROOT);
    return s.matches("[0-9a-f]{40}") ? s : UNKNOWN;
  }
}
