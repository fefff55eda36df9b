package dev.kes4j.cli.internal;

import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.Page;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.crypto.InvalidKeyBlobException;
import dev.kes4j.crypto.KeyBlobs;
import dev.kes4j.policy.internal.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Copies keys from one key store to another as stored bytes ({@code kes4j migrate}): no
 * re-encryption, so every key format (legacy JSON, v0.19 JSON, protobuf) arrives byte for byte.
 *
 * <p>For each source name matching a Go {@code path.Match} pattern (KES's): the value is read,
 * checked to be a KES key (as KES 0.16 did: nothing else is copied), and created at the target with
 * the SPI's atomic {@link KeyStore#create}, so a key is either wholly at the target or not at all.
 * A target key with identical bytes is skipped (a re-run resumes where a failed run stopped); a
 * different one is a failure, unless {@link Mode#MERGE} (keep it) or {@link Mode#FORCE} (delete,
 * then create: for a moment the name is absent at the target, never half-written). A failure of one
 * key is reported and the run goes on; an unreachable store stops the run, since every further key
 * would fail the same way.
 *
 * <p>Blocks on both stores. Not thread-safe; one run at a time. Key bytes are zeroed after use and
 * appear in no message.
 */
public final class Migration {
  /** What to do when the target holds a different key under a name. */
  public enum Mode {
    /** Report it as a failure and leave it. */
    STRICT,
    /** Keep the target's key ({@code --merge}). */
    MERGE,
    /** Replace it with the source's key ({@code --force}). */
    FORCE
  }

  /** What happened to one key. */
  public enum Outcome {
    /** Created at the target (with a dry run: would be). */
    COPIED,
    /** A different key at the target was replaced (with a dry run: would be). */
    REPLACED,
    /** The target holds the same bytes already, or a different key that {@code --merge} keeps. */
    SKIPPED,
    /** Not copied; {@link Listener#key} says why. */
    FAILED
  }

  /** Receives each key's outcome as it happens. */
  public interface Listener {
    /** The names to migrate are known. */
    default void started(int total) {}

    /**
     * One key is done.
     *
     * @param name the key
     * @param outcome what happened
     * @param detail why (for skipped and failed keys), else empty
     */
    void key(String name, Outcome outcome, String detail);
  }

  /**
   * The totals of a run.
   *
   * @param total the matching names at the source
   * @param copied created at the target
   * @param replaced replaced at the target ({@code --force})
   * @param skipped identical at the target, or kept ({@code --merge})
   * @param failed not copied
   * @param stopped why the run ended early (an unreachable store), or null
   */
  public record Result(
      int total, int copied, int replaced, int skipped, int failed, String stopped) {
    /** Whether every matching key is at the target (or would be). */
    public boolean ok() {
      return failed == 0 && stopped == null;
    }
  }

  private final KeyStore from;
  private final KeyStore to;
  private final Glob pattern;
  private final String prefix;
  private final Mode mode;
  private final boolean dryRun;

  /**
   * A migration.
   *
   * @param pattern a Go {@code path.Match} pattern over key names, {@code *} for all
   * @throws IllegalArgumentException if the pattern is malformed
   */
  public Migration(KeyStore from, KeyStore to, String pattern, Mode mode, boolean dryRun) {
    this.from = Objects.requireNonNull(from, "from");
    this.to = Objects.requireNonNull(to, "to");
    try {
      this.pattern = Glob.compile(pattern);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid pattern '" + pattern + "': " + e.getMessage());
    }
    this.prefix = literalPrefix(pattern);
    this.mode = Objects.requireNonNull(mode, "mode");
    this.dryRun = dryRun;
  }

  /** The characters before the first metacharacter: every match starts with them. */
  static String literalPrefix(String pattern) {
    int i = 0;
    while (i < pattern.length() && "*?[\\".indexOf(pattern.charAt(i)) < 0) {
      i++;
    }
    return pattern.substring(0, i);
  }

  /**
   * Runs the migration.
   *
   * @return the totals
   * @throws KesException if the source cannot list its keys (nothing was copied then)
   */
  public Result run(Listener listener) {
    List<String> names = names();
    listener.started(names.size());
    int copied = 0;
    int replaced = 0;
    int skipped = 0;
    int failed = 0;
    for (String name : names) {
      Step step;
      try {
        step = migrate(name);
      } catch (Stop s) {
        failed++;
        listener.key(name, Outcome.FAILED, s.getMessage());
        return new Result(names.size(), copied, replaced, skipped, failed, s.getMessage());
      }
      switch (step.outcome) {
        case COPIED -> copied++;
        case REPLACED -> replaced++;
        case SKIPPED -> skipped++;
        default -> failed++;
      }
      listener.key(name, step.outcome, step.detail);
    }
    return new Result(names.size(), copied, replaced, skipped, failed, null);
  }

  private List<String> names() {
    List<String> names = new ArrayList<>();
    String next = "";
    do {
      Page<String> page;
      try {
        page = from.list(prefix, next, 0);
      } catch (KesException e) {
        throw new KesException(
            e.status(), "cannot list the source's keys: " + ErrorWords.message(e), e);
      }
      for (String n : page.items()) {
        if (pattern.matches(n)) {
          names.add(n);
        }
      }
      next = page.continueAt();
    } while (!next.isEmpty());
    return names;
  }

  private record Step(Outcome outcome, String detail) {}

  /** An unreachable store: the run stops. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stop(String message) {
      super(message, null, false, false);
    }
  }

  private Step migrate(String name) {
    byte[] value;
    try {
      value = from.get(name);
    } catch (KeyNotFoundException e) {
      return new Step(Outcome.SKIPPED, "deleted at the source while migrating");
    } catch (KesException e) {
      return failure("source", e);
    }
    byte[] existing = null;
    try {
      try {
        KeyBlobs.parse(value).destroy();
      } catch (InvalidKeyBlobException e) {
        return new Step(
            Outcome.FAILED, "the source's value is not a KES key in any format: not copied");
      }
      if (dryRun) {
        try {
          existing = to.get(name);
        } catch (KeyNotFoundException e) {
          return new Step(Outcome.COPIED, "");
        }
        return differing(name, value, existing);
      }
      try {
        to.create(name, value);
        return new Step(Outcome.COPIED, "");
      } catch (KeyExistsException e) {
        // compare below
      }
      try {
        existing = to.get(name);
      } catch (KeyNotFoundException e) {
        return new Step(
            Outcome.FAILED,
            "the target has the name but no value (left by an interrupted create?):"
                + (mode == Mode.FORCE ? "" : " use --force to replace it"));
      }
      return differing(name, value, existing);
    } catch (KesException e) {
      return failure("target", e);
    } finally {
      Arrays.fill(value, (byte) 0);
      if (existing != null) {
        Arrays.fill(existing, (byte) 0);
      }
    }
  }

  /** The target holds {@code existing} under the name. */
  private Step differing(String name, byte[] value, byte[] existing) {
    if (Arrays.equals(value, existing)) {
      return new Step(Outcome.SKIPPED, "already at the target");
    }
    switch (mode) {
      case MERGE:
        return new Step(Outcome.SKIPPED, "a different key exists at the target: kept (--merge)");
      case FORCE:
        if (!dryRun) {
          try {
            to.delete(name);
          } catch (KeyNotFoundException e) {
            // deleted meanwhile: create it
          }
          to.create(name, value);
        }
        return new Step(Outcome.REPLACED, "");
      default:
        return new Step(
            Outcome.FAILED,
            "a different key exists at the target: use --force to replace it, or --merge to keep"
                + " it");
    }
  }

  private static Step failure(String which, KesException e) {
    String why = which + ": " + ErrorWords.message(e);
    if (e instanceof KeyStoreUnreachableException) {
      throw new Stop(why + " (stopped: the " + which + " key store is unreachable)");
    }
    return new Step(Outcome.FAILED, why);
  }
}
