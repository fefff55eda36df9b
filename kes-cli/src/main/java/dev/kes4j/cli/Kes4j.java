package dev.kes4j.cli;

import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.cli.internal.Commands;
import dev.kes4j.cli.internal.Doctor;
import dev.kes4j.cli.internal.Exit;
import dev.kes4j.cli.internal.HomePaths;
import dev.kes4j.cli.internal.IdentityCommands;
import dev.kes4j.cli.internal.Io;
import dev.kes4j.cli.internal.KeyCommands;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.server.KesServer;
import dev.kes4j.server.internal.ConfigServer;
import dev.kes4j.server.internal.DevServer;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code kes4j} command line: {@code server} (a KES config, or {@code --dev}), {@code identity
 * new|of|info}, the client commands {@code key create|import|ls|info|rm|dek|encrypt|decrypt},
 * {@code status}, {@code log}, {@code policy ls|info|show}, {@code doctor} and {@code migrate}
 * (plus KES 0.16's hidden {@code tool identity new|of} and {@code tool migrate}), with KES's flags
 * and environment variables (spec §10).
 *
 * <p>Exit codes, which scripts may rely on: 0 success; 1 server, operation or configuration error;
 * 2 usage error (bad flags, missing credentials); 3 not found (key, policy, identity); 4 not
 * authorized (403); 5 server unreachable (DNS, TCP or TLS, such as an untrusted server
 * certificate). {@code doctor} exits 0 only when every step passes, 1 otherwise.
 *
 * <p>Not thread-safe: one invocation at a time per {@link CommandLine}; {@link #run} builds a new
 * one each time.
 */
@Command(
    name = "kes4j",
    mixinStandardHelpOptions = true,
    versionProvider = Kes4j.Version.class,
    description = "kes4j: a KES-compatible key encryption service.",
    footer = {
      "",
      "Client commands read $MINIO_KES_SERVER / $KES_SERVER / $MINIO_KMS_KES_ENDPOINT,"
          + " $KES_API_KEY (or $KES_CLIENT_KEY and $KES_CLIENT_CERT) unless flags are given.",
      Exit.HELP
    })
public final class Kes4j implements Callable<Integer> {
  /** The top-level commands, in the order the usage lists them. */
  private static final List<Class<?>> COMMANDS =
      List.of(
          Kes4j.Server.class,
          IdentityCommands.Identity.class,
          KeyCommands.Key.class,
          Commands.Policy.class,
          Commands.Status.class,
          Commands.Log.class,
          Doctor.class,
          dev.kes4j.cli.internal.Migrate.class,
          IdentityCommands.Tool.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Picocli creates it. */
  public Kes4j() {}

  /**
   * Runs the CLI and exits with its code.
   *
   * @param args the command line
   */
  public static void main(String[] args) throws InterruptedException {
    dev.kes4j.cli.internal.Logging.install();
    if (args.length > 0 && args[0].equals("server")) {
      // overlaps the TLS set-up with parsing the command line and making keys
      dev.kes4j.server.internal.TlsContexts.warmUp();
    }
    int code = run(System.out, System.err, args);
    if (code != RUNNING) {
      System.exit(code);
    }
    // the server runs on daemon threads; the shutdown hook (SIGINT/SIGTERM) stops it gracefully
    Thread.currentThread().join();
  }

  /** What {@link #run} returns when a server was started and keeps running. */
  public static final int RUNNING = Integer.MIN_VALUE;

  /** The server the last {@code server} command started (for in-process use and tests). */
  static volatile AutoCloseable started;

  /**
   * Runs the CLI without exiting; a long-running {@code server} returns {@link #RUNNING} once it is
   * ready (it keeps running on daemon threads until closed or the JVM stops).
   *
   * @return the exit code
   */
  public static int run(PrintStream out, PrintStream err, String... args) {
    return run(out, err, System.in, System.getenv(), args);
  }

  /**
   * Runs the CLI without exiting, with the given standard input and environment variables instead
   * of the process's (for tests and embedding).
   *
   * @return the exit code, or {@link #RUNNING} for a started server
   */
  public static int run(
      PrintStream out, PrintStream err, InputStream in, Map<String, String> env, String... args) {
    java.io.PrintWriter o = new java.io.PrintWriter(out, true);
    java.io.PrintWriter e = new java.io.PrintWriter(err, true);
    CommandLine cl = commandLine(new Io(o, e, in, env), args);
    return cl.execute(args);
  }

  /**
   * The command line for {@code args}: when they start with a command's name, only that command is
   * built (picocli builds a command's whole model by reflection; building all of them took a
   * quarter of a server's start-up), otherwise all of them, for the usage and its suggestions.
   */
  static CommandLine commandLine(Io io, String... args) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> cls) throws Exception {
            K k = defaults.create(cls);
            if (k instanceof Io.Aware a) {
              a.io(io);
            }
            return k;
          }
        };
    CommandLine cl = new CommandLine(new Kes4j(), factory);
    String first = args.length > 0 ? args[0] : "";
    boolean known = COMMANDS.stream().anyMatch(c -> name(c).equals(first));
    for (Class<?> c : COMMANDS) {
      if (!known || name(c).equals(first)) {
        cl.addSubcommand(new CommandLine(c, factory));
      }
    }
    // --config=~/x.yaml: the shell leaves ~ after '=' alone; every path option expands it
    cl.registerConverter(Path.class, HomePaths::expand);
    cl.setOut(io.out());
    cl.setErr(io.err());
    cl.setParameterExceptionHandler(new dev.kes4j.cli.internal.ParseErrors());
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("kes4j: error: " + Exit.message(ex));
          commandLine.getErr().flush();
          return Exit.of(ex);
        });
    return cl;
  }

  private static String name(Class<?> command) {
    return command.getAnnotation(Command.class).name();
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return Exit.USAGE;
  }

  /** Reports kes4j's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kes4j " + Kes.version()};
    }
  }

  /** {@code kes4j server}. */
  @Command(
      name = "server",
      mixinStandardHelpOptions = true,
      description = "Start a KES-compatible server from a KES config file, or a dev server.")
  static final class Server implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "KES config file (any schema).")
    Path config;

    @Option(
        names = "--addr",
        paramLabel = "ADDR",
        description =
            "Listen address, e.g. :7373 (default: the config's address, else 0.0.0.0:7373;"
                + " for --dev 127.0.0.1:7373).")
    String addr;

    @Option(names = "--dev", description = "In-memory dev server with ephemeral certificates.")
    boolean dev;

    @Option(names = "--dev-dir", paramLabel = "DIR", description = "Where --dev writes files.")
    Path devDir;

    @Option(names = "--mlock", description = "Accepted for KES compatibility (no effect).")
    boolean mlock;

    @Option(
        names = "--auth",
        paramLabel = "on|off",
        description =
            "Verify client certificates against the config's tls.ca (default: the config's"
                + " tls.auth, else off: any client certificate is identified by its public key).")
    String auth;

    @Option(names = "--root", paramLabel = "IDENTITY", description = "Admin identity (KES 0.16).")
    String root;

    @Option(names = "--key", paramLabel = "FILE", description = "TLS private key (KES 0.16).")
    String key;

    @Option(names = "--cert", paramLabel = "FILE", description = "TLS certificate (KES 0.16).")
    String cert;

    @Option(
        names = "--tls-provider",
        paramLabel = "jdk|openssl",
        defaultValue = "jdk",
        description =
            "TLS implementation (default ${DEFAULT-VALUE}); openssl (BoringSSL) is faster but"
                + " rejects Ed25519 client certificates such as API keys.")
    String tlsProvider;

    @Option(
        names = {"-q", "--quiet"},
        description = "Print no startup banner.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
      PrintStream out = printStream(spec.commandLine().getOut());
      PrintStream err = printStream(spec.commandLine().getErr());
      if (mlock) {
        err.println("kes4j: note: --mlock has no effect: the JVM cannot lock its memory");
      }
      if (dev == (config != null)) {
        err.println("kes4j: error: use either --config FILE or --dev");
        return 2;
      }
      Optional<Boolean> authFlag = Optional.empty();
      if (auth != null) {
        switch (auth.toLowerCase(Locale.ROOT)) {
          case "on":
            authFlag = Optional.of(true);
            break;
          case "off":
            authFlag = Optional.of(false);
            break;
          default:
            err.println("kes4j: error: --auth must be 'on' or 'off'");
            return 2;
        }
      }
      KesServer.TlsProvider provider;
      switch (tlsProvider.toLowerCase(Locale.ROOT)) {
        case "jdk":
          provider = KesServer.TlsProvider.JDK;
          break;
        case "openssl":
        case "boringssl":
          provider = KesServer.TlsProvider.OPENSSL;
          break;
        default:
          err.println("kes4j: error: --tls-provider must be 'jdk' or 'openssl'");
          return 2;
      }
      Instant t0 = ProcessHandle.current().info().startInstant().orElse(Instant.now());
      if (dev) {
        Path dir = devDir != null ? devDir : Path.of(".kes4j", "dev");
        DevServer s =
            DevServer.start(addr != null ? addr : "127.0.0.1:7373", dir.toAbsolutePath(), provider);
        Kes4j.started = s;
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "kes4j-shutdown"));
        if (!quiet) {
          out.print(s.banner(Duration.between(t0, Instant.now())));
          out.flush();
        }
        return RUNNING;
      }
      KesConfig cfg = KesConfig.load(config);
      for (String w : cfg.warnings()) {
        err.println("kes4j: warning: " + w);
      }
      ConfigServer s =
          ConfigServer.start(
              cfg,
              new ConfigServer.Overrides(
                  Optional.ofNullable(addr),
                  Optional.ofNullable(root),
                  Optional.ofNullable(key).map(k -> HomePaths.expand(k).toString()),
                  Optional.ofNullable(cert).map(c -> HomePaths.expand(c).toString()),
                  authFlag,
                  provider),
              Path.of("").toAbsolutePath(),
              KeyStores.discover(),
              out);
      Kes4j.started = s;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "kes4j-shutdown"));
      if (!quiet) {
        out.print(s.banner(Duration.between(t0, Instant.now())));
        out.flush();
      }
      return RUNNING;
    }
  }

  private static PrintStream printStream(java.io.PrintWriter w) {
    return new PrintStream(
        new java.io.OutputStream() {
          @Override
          public void write(int b) {
            w.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            w.write(new String(b, off, len, StandardCharsets.UTF_8));
          }

          @Override
          public void flush() {
            w.flush();
          }
        },
        true,
        StandardCharsets.UTF_8);
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  /**
   * Parses a Go duration such as {@code 720h} or {@code 1h30m}.
   *
   * @param text the duration
   * @return the duration, positive
   * @throws IllegalArgumentException if it is not one
   */
  public static Duration parseDuration(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("invalid duration ''");
    }
    Matcher m = DURATION.matcher(s);
    double nanos = 0;
    int pos = 0;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException("invalid duration '" + text + "'");
      }
      double v = Double.parseDouble(m.group(1));
      double unit;
      switch (m.group(2)) {
        case "ns":
          unit = 1;
          break;
        case "us":
        case "µs":
          unit = 1e3;
          break;
        case "ms":
          unit = 1e6;
          break;
        case "s":
          unit = 1e9;
          break;
        case "m":
          unit = 60e9;
          break;
        default:
          unit = 3600e9;
      }
      nanos += v * unit;
      pos = m.end();
    }
    if (nanos <= 0) {
      throw new IllegalArgumentException("duration must be positive: '" + text + "'");
    }
    return Duration.ofNanos((long) nanos);
  }
}
