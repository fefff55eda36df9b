package dev.kes4j.cli.internal;

import dev.kes4j.client.KesClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Base of the commands that talk to a KES server: the shared connection flags, {@code --json}, and
 * the {@link Io}. Subclasses implement {@link #run(KesClient)}; errors escape to the exit code
 * mapping of {@link Exit}. Not thread-safe.
 */
public abstract class ClientCommand implements Callable<Integer>, Io.Aware {
  /** The connection flags. */
  @Mixin protected ClientOptions connection;

  /** Print JSON instead of text. */
  @Option(names = "--json", description = "Print JSON.")
  protected boolean json;

  /** The streams and environment. */
  protected Io io;

  /** Creates the command (picocli does). */
  protected ClientCommand() {}

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    try (KesClient client = connection.client(io.env())) {
      return run(client);
    }
  }

  /**
   * Runs the command with a connected client.
   *
   * @return the exit code
   */
  protected abstract int run(KesClient client) throws Exception;
}
