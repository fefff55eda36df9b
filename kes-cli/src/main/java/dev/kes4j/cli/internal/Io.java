package dev.kes4j.cli.internal;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;

/**
 * Where a command writes and reads, and the environment it takes defaults from; injected by the
 * command factory so that tests run commands in-process. Immutable.
 *
 * @param out standard output
 * @param err standard error
 * @param in standard input
 * @param env the environment variables (spec §10)
 * @param terminal whether standard output is an interactive terminal: commands that print secrets
 *     or machine-readable answers choose their form by it, as Go's {@code kes} does
 */
public record Io(
    PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env, boolean terminal) {
  /** Validates and copies. */
  public Io {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(in, "in");
    env = Map.copyOf(env);
  }

  /**
   * Streams and environment; {@link #terminal} is whether this process has a console (standard
   * input and output both terminals).
   */
  public Io(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env) {
    this(out, err, in, env, System.console() != null);
  }

  /** A command that wants the {@link Io}; the factory calls {@link #io(Io)} after creating it. */
  public interface Aware {
    /** Receives the streams and environment. */
    void io(Io io);
  }
}
