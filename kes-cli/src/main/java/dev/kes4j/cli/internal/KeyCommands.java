package dev.kes4j.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kes4j.api.DataKey;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyInfo;
import dev.kes4j.api.Page;
import dev.kes4j.client.KesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
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

  /** {@code kes4j key ls [prefix]}. */
  @Command(
      name = "ls",
      mixinStandardHelpOptions = true,
      description = "List keys, all or those starting with a prefix (a trailing * is ignored).",
      footer = Exit.HELP)
  public static final class Ls extends ClientCommand {
    @Parameters(arity = "0..1", paramLabel = "PREFIX")
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

  /** {@code kes4j key info <name>...}. */
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Describe keys: algorithm, creation time and creator.",
      footer = Exit.HELP)
  public static final class Info extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    protected int run(KesClient client) {
      Out.Table t = new Out.Table("Name", "Algorithm", "Created At", "Created By");
      for (String n : names) {
        KeyInfo k = client.describeKey(n);
        if (json) {
          ObjectNode o = Out.object();
          o.put("name", k.name());
          o.put("algorithm", k.algorithm().kesName());
          o.put("created_at", Out.time(k.createdAt()));
          o.put("created_by", k.createdBy());
          Out.json(io.out(), o);
        } else {
          t.row(k.name(), k.algorithm().kesName(), Out.time(k.createdAt()), k.createdBy());
        }
      }
      if (!json) {
        t.print(io.out());
      }
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

  /** {@code kes4j key dek <name> [context]}. */
  @Command(
      name = "dek",
      mixinStandardHelpOptions = true,
      description =
          "Generate a data encryption key: prints its plaintext and its ciphertext (base64).",
      footer = Exit.HELP)
  public static final class Dek extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CONTEXT", description = "AEAD context.")
    String context;

    @Override
    protected int run(KesClient client) {
      DataKey dek = client.generateKey(name, utf8(context));
      byte[] plaintext = dek.plaintext();
      try {
        String p = Base64.getEncoder().encodeToString(plaintext);
        String c = Base64.getEncoder().encodeToString(dek.ciphertext());
        if (json) {
          ObjectNode o = Out.object();
          o.put("plaintext", p);
          o.put("ciphertext", c);
          Out.json(io.out(), o);
        } else {
          io.out().println("plaintext  : " + p);
          io.out().println("ciphertext : " + c);
          io.out().flush();
        }
      } finally {
        Arrays.fill(plaintext, (byte) 0);
        dek.destroy();
      }
      return Exit.OK;
    }
  }

  /** {@code kes4j key encrypt <name> <plaintext>}. */
  @Command(
      name = "encrypt",
      mixinStandardHelpOptions = true,
      description = "Encrypt a (small) text with a key; prints the ciphertext in base64.",
      footer = Exit.HELP)
  public static final class Encrypt extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "PLAINTEXT", description = "Text (UTF-8).")
    String plaintext;

    @Option(names = "--context", paramLabel = "TEXT", description = "AEAD context (UTF-8).")
    String context;

    @Override
    protected int run(KesClient client) {
      byte[] ct = client.encrypt(name, utf8(plaintext), utf8(context));
      String c = Base64.getEncoder().encodeToString(ct);
      if (json) {
        ObjectNode o = Out.object();
        o.put("ciphertext", c);
        Out.json(io.out(), o);
      } else {
        io.out().println(c);
        io.out().flush();
      }
      return Exit.OK;
    }
  }

  /** {@code kes4j key decrypt <name> <ciphertext>}. */
  @Command(
      name = "decrypt",
      mixinStandardHelpOptions = true,
      description =
          "Decrypt a base64 ciphertext with a key; prints the plaintext as text (--json: base64).",
      footer = Exit.HELP)
  public static final class Decrypt extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "CIPHERTEXT", description = "Base64.")
    String ciphertext;

    @Option(names = "--context", paramLabel = "TEXT", description = "AEAD context (UTF-8).")
    String context;

    @Override
    protected int run(KesClient client) {
      byte[] p = client.decrypt(name, base64("the ciphertext", ciphertext), utf8(context));
      try {
        if (json) {
          ObjectNode o = Out.object();
          o.put("plaintext", Base64.getEncoder().encodeToString(p));
          Out.json(io.out(), o);
        } else {
          io.out().println(new String(p, StandardCharsets.UTF_8));
          io.out().flush();
        }
      } finally {
        Arrays.fill(p, (byte) 0);
      }
      return Exit.OK;
    }
  }
}
