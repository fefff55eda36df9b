package dev.kes4j.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kes4j.api.ServiceStatus;
import dev.kes4j.client.IdentityInfo;
import dev.kes4j.client.KesClient;
import dev.kes4j.client.LogStream;
import dev.kes4j.client.PolicyInfo;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kes4j status}, {@code log}, {@code policy ls|info|show} and {@code identity info}. */
public final class Commands {
  private Commands() {}

  /** {@code kes4j status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show the server's version, uptime and key store state.",
      footer = Exit.HELP)
  public static final class Status extends ClientCommand {
    @Override
    protected int run(KesClient client) {
      ServiceStatus s = client.status();
      String endpoint = client.endpoints().get(0).toString();
      if (json) {
        ObjectNode o = Out.object();
        o.put("endpoint", endpoint);
        o.put("version", s.version());
        o.put("uptime", s.uptime().toSeconds());
        o.put("keystore_reachable", s.keyStoreReachable());
        o.put("keystore_latency", s.keyStoreLatency().toMillis());
        Out.json(io.out(), o);
      } else {
        io.out().println("Endpoint   " + endpoint);
        io.out().println("Version    " + s.version());
        io.out().println("Uptime     " + Out.duration(s.uptime()));
        io.out()
            .println(
                "Key store  "
                    + (s.keyStoreReachable()
                        ? "reachable"
                            + (s.keyStoreLatency().isZero()
                                ? ""
                                : " (" + s.keyStoreLatency().toMillis() + " ms)")
                        : "NOT reachable"));
        io.out().flush();
      }
      return s.keyStoreReachable() ? Exit.OK : Exit.ERROR;
    }
  }

  /** {@code kes4j log --audit|--error}. */
  @Command(
      name = "log",
      mixinStandardHelpOptions = true,
      description =
          "Print the server's audit or error log as it happens, until Ctrl-C, the server ends the"
              + " stream, -n events were printed, or (with --until-eof) standard input closes.",
      footer = Exit.HELP)
  public static final class Log extends ClientCommand {
    static final class Which {
      @Option(names = "--audit", required = true, description = "The audit log (default).")
      boolean audit;

      @Option(names = "--error", required = true, description = "The error log.")
      boolean error;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Which which;

    @Option(
        names = {"-n", "--count"},
        paramLabel = "N",
        description = "Stop after N events.")
    long count = -1;

    @Option(names = "--until-eof", description = "Stop when standard input reaches end of file.")
    boolean untilEof;

    @Override
    protected int run(KesClient client) throws Exception {
      boolean error = which != null && which.error;
      try (LogStream stream = error ? client.errorLog() : client.auditLog()) {
        Thread watcher = null;
        if (untilEof) {
          InputStream in = io.in();
          watcher =
              new Thread(
                  () -> {
                    try {
                      while (in.read() >= 0) {
                        // discard
                      }
                    } catch (IOException e) {
                      // closed: stop as well
                    }
                    stream.close();
                  },
                  "kes4j-log-stdin");
          watcher.setDaemon(true);
          watcher.start();
        }
        long printed = 0;
        while (count < 0 || printed < count) {
          Optional<String> line = stream.poll(Duration.ofMillis(500));
          if (line.isEmpty()) {
            if (!stream.isOpen()) {
              break;
            }
            continue;
          }
          io.out().println(json ? line.get() : (error ? errorText(line.get()) : audit(line.get())));
          io.out().flush();
          printed++;
        }
      }
      return Exit.OK;
    }

    static String errorText(String line) {
      JsonNode n = Out.parse(line);
      return n != null && n.hasNonNull("message") ? n.get("message").asText() : line;
    }

    static String audit(String line) {
      JsonNode n = Out.parse(line);
      if (n == null || !n.has("request")) {
        return line;
      }
      JsonNode req = n.path("request");
      JsonNode res = n.path("response");
      String id = req.path("identity").asText("");
      if (id.length() > 16) {
        id = id.substring(0, 16) + "…";
      }
      return String.format(
              "%s  %3d  %-40s  %-17s  %s",
              n.path("time").asText(""),
              res.path("code").asInt(),
              req.path("path").asText(""),
              id.isEmpty() ? "-" : id,
              req.path("ip").asText(""))
          .stripTrailing();
    }
  }

  /** {@code kes4j policy}. */
  @Command(
      name = "policy",
      mixinStandardHelpOptions = true,
      description = "Show the server's policies.",
      footer = Exit.HELP,
      subcommands = {PolicyLs.class, PolicyDescribe.class, PolicyShow.class})
  public static final class Policy implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return Exit.USAGE;
    }
  }

  /** {@code kes4j policy ls [pattern]}. */
  @Command(
      name = "ls",
      mixinStandardHelpOptions = true,
      description = "List policy names (all, or those matching a prefix ending in *).",
      footer = Exit.HELP)
  public static final class PolicyLs extends ClientCommand {
    @Parameters(arity = "0..1", paramLabel = "PATTERN")
    String pattern;

    @Override
    protected int run(KesClient client) {
      List<String> names = client.listPolicies(pattern == null ? "*" : pattern);
      if (json) {
        ObjectNode o = Out.object();
        o.set("names", Out.strings(names));
        Out.json(io.out(), o);
      } else {
        names.forEach(io.out()::println);
        io.out().flush();
      }
      return Exit.OK;
    }
  }

  /** {@code kes4j policy info <name>}. */
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Describe a policy: creation time and creator.",
      footer = Exit.HELP)
  public static final class PolicyDescribe extends ClientCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected int run(KesClient client) {
      PolicyInfo p = client.describePolicy(name);
      if (json) {
        ObjectNode o = Out.object();
        o.put("name", p.name());
        o.put("created_at", Out.time(p.createdAt()));
        o.put("created_by", p.createdBy());
        Out.json(io.out(), o);
      } else {
        new Out.Table("Name", "Created At", "Created By")
            .row(p.name(), Out.time(p.createdAt()), p.createdBy())
            .print(io.out());
      }
      return Exit.OK;
    }
  }

  /** {@code kes4j policy show <name>}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a policy's allow and deny rules.",
      footer = Exit.HELP)
  public static final class PolicyShow extends ClientCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected int run(KesClient client) {
      PolicyInfo p = client.readPolicy(name);
      if (json) {
        ObjectNode o = Out.object();
        o.put("name", p.name());
        o.set("allow", Out.strings(p.allow()));
        o.set("deny", Out.strings(p.deny()));
        o.put("created_at", Out.time(p.createdAt()));
        o.put("created_by", p.createdBy());
        Out.json(io.out(), o);
      } else {
        io.out().println("Policy " + p.name());
        rules("Allow", p.allow());
        rules("Deny", p.deny());
        io.out().flush();
      }
      return Exit.OK;
    }

    private void rules(String title, List<String> patterns) {
      io.out().println(title + ":");
      if (patterns.isEmpty()) {
        io.out().println("  (none)");
      }
      for (String s : patterns) {
        io.out().println("  " + s);
      }
    }
  }

  /** {@code kes4j identity info}: what the server says about the caller. */
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Show this client's identity as the server sees it, and its policy.",
      footer = Exit.HELP)
  public static final class IdentityInfoCommand extends ClientCommand {
    @Override
    protected int run(KesClient client) {
      IdentityInfo i = client.describeSelf();
      if (json) {
        ObjectNode o = Out.object();
        o.put("identity", i.identity());
        o.put("admin", i.admin());
        o.put("policy", i.policy());
        o.set("allow", Out.strings(i.allow()));
        o.set("deny", Out.strings(i.deny()));
        o.put("created_at", Out.time(i.createdAt()));
        Out.json(io.out(), o);
      } else {
        io.out().println("Identity  " + i.identity());
        if (i.admin()) {
          io.out().println("Role      admin (every API allowed)");
        } else {
          io.out().println("Policy    " + i.policy());
          io.out()
              .println("Allow     " + (i.allow().isEmpty() ? "-" : String.join(", ", i.allow())));
          io.out().println("Deny      " + (i.deny().isEmpty() ? "-" : String.join(", ", i.deny())));
        }
        io.out().flush();
      }
      return Exit.OK;
    }
  }
}
