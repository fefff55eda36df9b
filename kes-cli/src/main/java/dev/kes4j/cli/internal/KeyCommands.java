package dev.kes4j.cli.internal;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyInfo;
import dev.kes4j.api.Page;
import dev.kes4j.api.internal.GoTime;
import dev.kes4j.api.internal.KesJson;
import dev.kes4j.client.KesClient;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kes4j key create|import|ls|info|rm|dek|encrypt|decrypt}. */
public final class KeyCommands {
  private KeyCommands() {}

  private static byte[] base64(String what, String text) {
    try {
      return Base64.getDecoder().decode(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not valid base64"); // never quotes it
    }
  }

  private static byte[] utf8(String s) {
    return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code kes4j key}. */
  @Command(
      name = "key",
      mixinStandardHelpOptions = true,
      description = "Manage keys and use them for encryption.",
      footer = Exit.HELP,
      subcommands = {
        Create.class,
        Import.class,
        Ls.class,
        Info.class,
        Rm.class,
        Dek.class,
        Encrypt.class,
        Decrypt.class
      })
  public static final class Key implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return Exit.USAGE;
    }
  }

  /** {@code kes4j key create <name>...}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create new keys (fails if a key exists).",
      footer = Exit.HELP)
  public static final class Create extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    protected int run(KesClient client) {
      for (String n : names) {
        client.createKey(n);
      }
      return Exit.OK;
    }
  }

  /** {@code kes4j key import <name> <b64key>}. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = "Import a 32-byte key given in base64.",
      footer = Exit.HELP)
  public static final class Import extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "KEY", description = "32 bytes, base64.")
    String key;

    @Option(
        names = "--cipher",
        paramLabel = "AES256|ChaCha20",
        defaultValue = "AES256",
        description = "The key's algorithm (default ${DEFAULT-VALUE}).")
    String cipher;

    @Override
    protected int run(KesClient client) {
      byte[] bytes = base64("the key", key);
      try {
        client.importKey(name, KeyAlgorithm.parse(cipher), bytes);
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
      return Exit.OK;
    }
  }

  /** {@code kes4j key ls [pattern]}: Go {@code kes key ls}'s output. */
  @Command(
      name = "ls",
      mixinStandardHelpOptions = true,
      description = {
        "List keys, all or those starting with a prefix (a trailing * is ignored).",
        "Prints a 'Key' header and one name per line (nothing if there is none); --json prints a"
            + " JSON array of names, as kes does."
      },
      footer = Exit.HELP)
  public static final class Ls extends ClientCommand {
    @Parameters(arity = "0..1", paramLabel = "PATTERN")
    String prefix;

    @Override
    protected int run(KesClient client) {
      String p = prefix == null || prefix.equals("*") ? "" : prefix;
      List<String> names = new ArrayList<>();
      String next = "";
      do {
        Page<String> page = client.listKeys(p, next, 0);
        names.addAll(page.items());
        next = page.continueAt();
      } while (!next.isEmpty());
      Collections.sort(names);
      if (json) {
        Out.json(io.out(), Out.strings(names)); // kes: ["a","b"] (kes prints null for none)
      } else if (!names.isEmpty()) {
        io.out().println("Key");
        names.forEach(io.out()::println);
        io.out().flush();
      }
      return Exit.OK;
    }
  }

  /** {@code kes4j key info <name>...}: Go {@code kes key info}'s output, per key. */
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = {
        "Describe keys: algorithm, creation time and creator.",
        "Prints Name, Algorithm, Date and Owner lines per key, as kes does; --json one JSON object"
            + " per key ({\"name\",\"algorithm\",\"created_at\",\"created_by\"})."
      },
      footer = Exit.HELP)
  public static final class Info extends ClientCommand {
    private static final DateTimeFormatter DATE =
        DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    protected int run(KesClient client) {
      boolean first = true;
      for (String n : names) {
        KeyInfo k = client.describeKey(n);
        if (json) {
          StringBuilder sb = new StringBuilder("{\"name\":");
          KesJson.quote(sb, k.name());
          sb.append(",\"algorithm\":");
          KesJson.quote(sb, k.algorithm().kesName());
          sb.append(",\"created_at\":");
          KesJson.quote(sb, GoTime.format(k.createdAt()));
          if (!k.createdBy().isEmpty()) {
            sb.append(",\"created_by\":");
            KesJson.quote(sb, k.createdBy());
          }
          io.out().println(sb.append('}'));
        } else {
          if (!first) {
            io.out().println();
          }
          io.out().printf(Locale.ROOT, "%-11s %s%n", "Name", k.name());
          io.out().printf(Locale.ROOT, "%-11s %s%n", "Algorithm", k.algorithm().kesName());
          io.out().printf(Locale.ROOT, "%-11s %s%n", "Date", DATE.format(k.createdAt()));
          io.out().printf(Locale.ROOT, "%-11s %s%n", "Owner", k.createdBy());
        }
        first = false;
      }
      io.out().flush();
      return Exit.OK;
    }
  }

  /** {@code kes4j key rm <name>...}. */
  @Command(
      name = "rm",
      mixinStandardHelpOptions = true,
      description = "Delete keys.",
      footer = Exit.HELP)
  public static final class Rm extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    protected int run(KesClient client) {
      for (String n : names) {
        client.deleteKey(n);
      }
      return Exit.OK;
    }
  }

  /**
   * The context of {@code dek} / {@code decrypt}: Go {@code kes}'s positional base64 argument, or
   * kes4j's {@code --context TEXT} (UTF-8); not both.
   */
  private static byte[] context(String base64, String text) {
    if (base64 != null && text != null) {
      throw new IllegalArgumentException(
          "give the context either as base64 argument or as --context TEXT, not both");
    }
    return base64 != null ? base64("the context", base64) : utf8(text);
  }

  /**
   * Prints Go {@code kes}'s answer form: {@code \nlabel: value} lines on a terminal (unless {@code
   * --json}); otherwise the JSON object {@code {"label":"value",...}} without a final newline, byte
   * for byte as {@code kes} prints it to a pipe (a final newline on a terminal). Values are base64,
   * never raw bytes.
   */
  private static void answer(Io io, boolean json, String... labelsAndValues) {
    PrintWriter out = io.out();
    if (io.terminal() && !json) {
      int width = 0;
      for (int i = 0; i < labelsAndValues.length; i += 2) {
        width = Math.max(width, labelsAndValues[i].length() + 1);
      }
      StringBuilder sb = new StringBuilder("\n");
      for (int i = 0; i < labelsAndValues.length; i += 2) {
        String label = labelsAndValues[i] + ":";
        sb.append(label).append(" ".repeat(width - label.length() + 1));
        sb.append(labelsAndValues[i + 1]).append('\n');
      }
      out.print(sb);
    } else {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < labelsAndValues.length; i += 2) {
        sb.append(i == 0 ? "" : ",");
        KesJson.quote(sb, labelsAndValues[i]).append(':');
        KesJson.quote(sb, labelsAndValues[i + 1]);
      }
      out.print(sb.append('}'));
      if (io.terminal()) {
        out.println();
      }
    }
    out.flush();
  }

  /** {@code kes4j key dek <name> [<context base64>]}: Go {@code kes key dek}. */
  @Command(
      name = "dek",
      mixinStandardHelpOptions = true,
      description = {
        "Generate a data encryption key: its plaintext and its ciphertext, base64.",
        "On a terminal prints 'plaintext:  ...' and 'ciphertext: ...' lines; otherwise (or with"
            + " --json) {\"plaintext\":\"...\",\"ciphertext\":\"...\"}, as kes does."
      },
      footer = Exit.HELP)
  public static final class Dek extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "CONTEXT",
        description = "AEAD context, base64 (as kes).")
    String context;

    @Option(names = "--context", paramLabel = "TEXT", description = "AEAD context as UTF-8 text.")
    String contextText;

    @Override
    protected int run(KesClient client) {
      DataKey dek = client.generateKey(name, context(context, contextText));
      byte[] plaintext = dek.plaintext();
      try {
        answer(
            io,
            json,
            "plaintext",
            Base64.getEncoder().encodeToString(plaintext),
            "ciphertext",
            Base64.getEncoder().encodeToString(dek.ciphertext()));
      } finally {
        Arrays.fill(plaintext, (byte) 0);
        dek.destroy();
      }
      return Exit.OK;
    }
  }

  /** {@code kes4j key encrypt <name> <message>}: Go {@code kes key encrypt}. */
  @Command(
      name = "encrypt",
      mixinStandardHelpOptions = true,
      description = {
        "Encrypt a (small) text message with a key.",
        "On a terminal prints 'ciphertext: ...' (base64); otherwise (or with --json)"
            + " {\"ciphertext\":\"...\"}, as kes does."
      },
      footer = Exit.HELP)
  public static final class Encrypt extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "MESSAGE", description = "Text (UTF-8).")
    String plaintext;

    @Option(names = "--context", paramLabel = "TEXT", description = "AEAD context (UTF-8).")
    String context;

    @Override
    protected int run(KesClient client) {
      byte[] ct = client.encrypt(name, utf8(plaintext), utf8(context));
      answer(io, json, "ciphertext", Base64.getEncoder().encodeToString(ct));
      return Exit.OK;
    }
  }

  /**
   * {@code kes4j key decrypt <name> <ciphertext> [<context base64>]}: Go {@code kes key decrypt}.
   */
  @Command(
      name = "decrypt",
      mixinStandardHelpOptions = true,
      description = {
        "Decrypt a base64 ciphertext with a key.",
        "On a terminal prints 'plaintext: ...' (base64, never raw bytes); otherwise (or with"
            + " --json) {\"plaintext\":\"...\"}, as kes does."
      },
      footer = Exit.HELP)
  public static final class Decrypt extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "CIPHERTEXT", description = "Base64.")
    String ciphertext;

    @Parameters(
        index = "2",
        arity = "0..1",
        paramLabel = "CONTEXT",
        description = "AEAD context, base64 (as kes).")
    String context;

    @Option(names = "--context", paramLabel = "TEXT", description = "AEAD context as UTF-8 text.")
    String contextText;

    @Override
    protected int run(KesClient client) {
      byte[] c = context(context, contextText);
      byte[] p = client.decrypt(name, base64("the ciphertext", ciphertext), c);
      try {
        answer(io, json, "plaintext", Base64.getEncoder().encodeToString(p));
      } finally {
        Arrays.fill(p, (byte) 0);
      }
      return Exit.OK;
    }
  }
}
