package dev.kes4j.cli.internal;

import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.api.spi.KeyStoreConfig;
import dev.kes4j.api.spi.KeyStoreProvider;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.core.KesConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kes4j migrate --from A.yml --to B.yml [-f|--merge] [--dry-run] [-q] [PATTERN]}, also
 * {@code kes4j tool migrate} (KES 0.16): copies the keys of one configured key store into another,
 * as stored bytes ({@link Migration}). Progress goes to stderr as a bar on a terminal; a summary
 * line to stdout. Exit codes: 0 every matching key is at the target, 1 a key failed or a store
 * failed, 2 usage error. Not thread-safe.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Copy keys from the key store of one KES config (--from) to that of another (--to), as"
          + " stored bytes: no re-encryption, every key format kept. Idempotent: a key the target"
          + " holds with the same bytes is skipped, so a failed run is resumed by running it again.",
      "A different key under the same name at the target fails that key, unless --force"
          + " (replace it) or --merge (keep it)."
    },
    footer = {
      "",
      "Examples:",
      "  kes4j migrate --from kes-gcp.yml --to kes-fs.yml",
      "  kes4j migrate --from a.yml --to b.yml --dry-run 'minio-*'",
      "",
      "Exit codes: 0 ok, 1 a key or a store failed (re-run to resume), 2 usage error."
    })
public final class Migrate implements Callable<Integer>, Io.Aware {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", paramLabel = "FILE", description = "KES config of the source store.")
  Path from;

  @Option(names = "--to", paramLabel = "FILE", description = "KES config of the target store.")
  Path to;

  @Option(
      names = {"-f", "--force"},
      description = "Replace a different key of the same name at the target (delete, then create).")
  boolean force;

  @Option(
      names = "--merge",
      description = "Keep a different key of the same name at the target (skip it).")
  boolean merge;

  @Option(names = "--dry-run", description = "Show what would be copied; write nothing.")
  boolean dryRun;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress and no summary; errors only.")
  boolean quiet;

  @Parameters(
      arity = "0..1",
      paramLabel = "PATTERN",
      defaultValue = "*",
      description =
          "Key names to migrate, a KES (Go path.Match) pattern (default: ${DEFAULT-VALUE}).")
  String pattern;

  private Io io;

  /** Picocli creates it. */
  public Migrate() {}

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (from == null) {
      throw new IllegalArgumentException(
          "no migration source specified: use --from to name its KES config file");
    }
    if (to == null) {
      throw new IllegalArgumentException(
          "no migration target specified: use --to to name its KES config file");
    }
    if (force && merge) {
      throw new IllegalArgumentException("--force and --merge are mutually exclusive");
    }
    if (sameFile(from, to)) {
      throw new IllegalArgumentException("--from and --to name the same config file");
    }
    Migration.Mode mode =
        force ? Migration.Mode.FORCE : merge ? Migration.Mode.MERGE : Migration.Mode.STRICT;
    // check both configs before opening any store
    KesConfig source = load(from, err);
    KesConfig target = load(to, err);
    Migration migration;
    KeyStores stores = providers();
    try (KeyStore src = open(stores, source, from, "source", err);
        KeyStore dst = open(stores, target, to, "target", err)) {
      migration = new Migration(src, dst, pattern, mode, dryRun);
      boolean bar = !quiet && System.console() != null;
      if (bar) {
        err.println(
            (dryRun ? "Dry run: " : "")
                + "migrating keys matching '"
                + pattern
                + "' from "
                + from
                + " ("
                + kind(source)
                + ") to "
                + to
                + " ("
                + kind(target)
                + ")");
        err.flush();
      }
      Progress progress = new Progress(err, bar, dryRun);
      Migration.Result r = migration.run(progress);
      progress.done();
      if (!quiet) {
        out.println(summary(r, dryRun, pattern));
        out.flush();
      }
      if (r.stopped() != null || r.failed() > 0) {
        err.println(
            "kes4j: "
                + (r.stopped() != null ? "stopped" : r.failed() + " key(s) not migrated")
                + ": fix the cause and run the same command again; keys already at the target"
                + " are skipped");
        err.flush();
        return Exit.ERROR;
      }
      return Exit.OK;
    }
  }

  /** The summary line, e.g. {@code copied 3, skipped 1, failed 0 (4 keys matching '*')}. */
  static String summary(Migration.Result r, boolean dryRun, String pattern) {
    String tail =
        " ("
            + r.total()
            + (r.total() == 1 ? " key" : " keys")
            + " matching '"
            + pattern
            + "'"
            + (r.stopped() != null ? "; stopped early" : "")
            + ")";
    if (dryRun) {
      return "dry run: would copy "
          + r.copied()
          + ", would replace "
          + r.replaced()
          + ", would skip "
          + r.skipped()
          + ", would fail "
          + r.failed()
          + tail
          + "; nothing was written";
    }
    return "copied "
        + r.copied()
        + (r.replaced() > 0 ? ", replaced " + r.replaced() : "")
        + ", skipped "
        + r.skipped()
        + ", failed "
        + r.failed()
        + tail;
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static KesConfig load(Path file, PrintWriter err) throws NoSuchFileException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    KesConfig c = KesConfig.load(file);
    for (String w : c.warnings()) {
      err.println("kes4j: warning: " + file + ": " + w);
    }
    err.flush();
    return c;
  }

  /** The providers on the class path, without the discovery log lines a server prints. */
  private static KeyStores providers() {
    return KeyStores.of(
        ServiceLoader.load(KeyStoreProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .toArray(KeyStoreProvider[]::new));
  }

  private static KeyStore open(
      KeyStores stores, KesConfig c, Path file, String which, PrintWriter err) {
    if (c.keyStore().isEmpty()) {
      err.println(
          "kes4j: note: "
              + file
              + " has no keystore section: the "
              + which
              + " is an empty in-memory store"
              + (which.equals("target") ? " and the copied keys are lost when kes4j exits" : ""));
      err.flush();
    }
    return stores.open(
        c.keyStore().orElseGet(() -> KeyStoreConfig.of("keystore", Map.of("mem", Map.of()))));
  }

  /** The store's provider path, e.g. {@code gcp.secretmanager}. */
  private static String kind(KesConfig c) {
    if (c.keyStore().isEmpty() || c.keyStore().get().keys().isEmpty()) {
      return "in-memory";
    }
    KeyStoreConfig s = c.keyStore().get();
    String k = s.keys().iterator().next();
    try {
      java.util.Optional<KeyStoreConfig> sub = s.section(k);
      if (sub.isPresent() && sub.get().keys().size() == 1) {
        String k2 = sub.get().keys().iterator().next();
        if (sub.get().section(k2).isPresent()) {
          return k + "." + k2;
        }
      }
    } catch (RuntimeException e) {
      // a scalar: the provider is the first key
    }
    return k;
  }

  /** Failure lines as they happen, and a progress bar on a terminal. */
  static final class Progress implements Migration.Listener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean bar;
    private final boolean dryRun;
    private int total;
    private int done;
    private int copied;
    private int skipped;
    private int failed;

    Progress(PrintWriter err, boolean bar, boolean dryRun) {
      this.err = err;
      this.bar = bar;
      this.dryRun = dryRun;
    }

    @Override
    public void started(int total) {
      this.total = total;
      draw();
    }

    @Override
    public void key(String name, Migration.Outcome outcome, String detail) {
      done++;
      switch (outcome) {
        case COPIED, REPLACED -> copied++;
        case SKIPPED -> skipped++;
        default -> failed++;
      }
      if (outcome == Migration.Outcome.FAILED) {
        if (bar) {
          err.print("\r" + " ".repeat(line().length()) + "\r");
        }
        err.println("kes4j: error: key '" + name + "': " + detail);
      }
      draw();
    }

    void done() {
      if (bar) {
        err.println();
        err.flush();
      }
    }

    private void draw() {
      if (bar) {
        err.print("\r" + line());
        err.flush();
      } else {
        err.flush();
      }
    }

    /** The bar line, e.g. {@code [#######-------] 7/14 copied 6 skipped 1 failed 0}. */
    String line() {
      int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
      return "["
          + "#".repeat(filled)
          + "-".repeat(WIDTH - filled)
          + "]  "
          + done
          + "/"
          + total
          + (dryRun ? "  would copy " : "  copied ")
          + copied
          + "  skipped "
          + skipped
          + "  failed "
          + failed;
    }
  }
}
