package dev.kes4j.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kes4j.cli.Kes4j;
import dev.kes4j.policy.ApiKey;
import dev.kes4j.policy.internal.pki.Pem;
import dev.kes4j.policy.internal.pki.Pki;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kes4j identity [new|of|info]} and KES 0.16's {@code kes tool identity new|of} (also under
 * the MinIO guide's misspelling {@code tool identify}), which are hidden aliases with 0.16's
 * defaults: files {@code ./private.key} and {@code ./public.crt}, {@code -t/--time}, a server
 * certificate only with {@code --server}, and {@code of} printing the bare identity. Not
 * thread-safe (picocli creates one instance per invocation).
 */
public final class IdentityCommands {
  private IdentityCommands() {}

  /** {@code kes4j identity}. */
  @Command(
      name = "identity",
      mixinStandardHelpOptions = true,
      description = "Create identities and compute the identity of certificates and API keys.",
      subcommands = {New.class, Of.class, Commands.IdentityInfoCommand.class})
  public static final class Identity implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Picocli creates it. */
    public Identity() {}

    @Override
    public Integer call() {
      // like `kes identity` without arguments: a new API key
      printApiKey(spec.commandLine().getOut(), ApiKey.generate());
      return Exit.OK;
    }
  }

  private static void printApiKey(PrintWriter out, ApiKey k) {
    out.println("Your API key:\n\n   " + k.encode() + "\n");
    out.println("This is the identity of your API key:\n\n   " + k.identity().value());
    out.flush();
  }

  /** {@code kes4j identity new}. */
  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description = "Create a new identity: an API key, or a private key and certificate.")
  public static class New implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "CN", description = "Certificate subject CN.")
    String commonName;

    @Option(names = "--key", paramLabel = "FILE", description = "Write the private key here.")
    Path keyFile;

    @Option(names = "--cert", paramLabel = "FILE", description = "Write the certificate here.")
    Path certFile;

    @Option(names = "--ip", paramLabel = "IP", description = "IP SAN (repeatable).")
    List<String> ips = new ArrayList<>();

    @Option(names = "--dns", paramLabel = "NAME", description = "DNS SAN (repeatable).")
    List<String> dns = new ArrayList<>();

    @Option(
        names = "--expiry",
        paramLabel = "DURATION",
        description = "Certificate validity, a Go duration (default 720h).")
    String expiry;

    @Option(names = "--server", description = "Mark the certificate for TLS server use too.")
    boolean server;

    @Option(names = "--ecdsa", description = "ECDSA P-256 instead of Ed25519.")
    boolean ecdsa;

    @Option(
        names = {"-f", "--force"},
        description = "Overwrite existing files.")
    boolean force;

    /** Picocli creates it. */
    public New() {}

    /** KES 0.16's form: always files (default names), server certificate only with --server. */
    boolean legacy() {
      return false;
    }

    /** The validity as given, or the default. */
    String validity() {
      return expiry != null ? expiry : "720h";
    }

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (legacy()) {
        // kes tool identity new: --key ./private.key and --cert ./public.crt unless given
        keyFile = keyFile != null ? keyFile : Path.of("private.key");
        certFile = certFile != null ? certFile : Path.of("public.crt");
      }
      if ((keyFile == null) != (certFile == null)) {
        err.println("kes4j: error: --key and --cert go together");
        return Exit.USAGE;
      }
      if (keyFile == null) {
        if (ecdsa) {
          err.println("kes4j: error: API keys are Ed25519; use --key/--cert for ECDSA");
          return Exit.USAGE;
        }
        printApiKey(out, ApiKey.generate());
        return Exit.OK;
      }
      Duration validity = Kes4j.parseDuration(validity());
      if (!force && (Files.exists(keyFile) || Files.exists(certFile))) {
        Path existing = Files.exists(keyFile) ? keyFile : certFile;
        throw new FileAlreadyExistsException(
            existing.toString(),
            null,
            (existing == keyFile ? "private key " : "certificate ")
                + existing
                + " already exists: use --force to overwrite it");
      }
      KeyPair kp = Pki.keyPair(ecdsa ? Pki.Algorithm.ECDSA_P256 : Pki.Algorithm.ED25519);
      Pki.Usage usage;
      if (legacy()) {
        usage = server ? Pki.Usage.SERVER : Pki.Usage.CLIENT; // as KES 0.16, SANs or not
      } else {
        usage = server || !ips.isEmpty() || !dns.isEmpty() ? Pki.Usage.BOTH : Pki.Usage.CLIENT;
      }
      Pki.Issued issued =
          Pki.issue(
              kp,
              // no CN given: name the certificate after its identity, as API key certificates are
              commonName == null
                  ? dev.kes4j.api.Identity.ofSubjectPublicKeyInfo(kp.getPublic().getEncoded())
                      .value()
                  : commonName,
              usage,
              dns,
              ips,
              validity,
              null);
      Pem.write(keyFile, Pem.encode(issued.privateKey()), true);
      Pem.write(certFile, Pem.encode(issued.certificate()), false);
      out.println("Private key:  " + keyFile);
      out.println("Certificate:  " + certFile);
      out.println("Identity:     " + dev.kes4j.api.Identity.of(issued.certificate()).value());
      out.flush();
      return Exit.OK;
    }
  }

  /** {@code kes4j identity of}. */
  @Command(
      name = "of",
      mixinStandardHelpOptions = true,
      description = {
        "Print the identity of a certificate (PEM file or stdin) or an API key, and whether KES"
            + " would accept the certificate as a client identity (leaf or CA, key type, expiry).",
        "Exits 1 if KES would refuse the certificate."
      })
  public static class Of implements Callable<Integer>, Io.Aware {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "CERT|API-KEY")
    String input;

    @Option(
        names = {"-q", "--quiet"},
        description = "Print only the identity (as kes identity of).")
    boolean quiet;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    Io io;

    /** Picocli creates it. */
    public Of() {}

    @Override
    public void io(Io io) {
      this.io = io;
    }

    /** How errors name the input: {@code stdin} or {@code certificate file 'x.pem'}. */
    String source() {
      return input == null || input.equals("-") ? "stdin" : "certificate file '" + input + "'";
    }

    /** The PEM text or API key to compute the identity of. */
    String text() throws java.io.IOException {
      if (input == null || input.equals("-")) {
        return new String(io.in().readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (input.startsWith(ApiKey.PREFIX)) {
        return input.trim();
      }
      return Files.readString(HomePaths.expand(input), StandardCharsets.UTF_8).trim();
    }

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      String t = text();
      if (t.startsWith(ApiKey.PREFIX)) {
        String id = ApiKey.parse(t).identity().value();
        if (json) {
          ObjectNode o = Out.object();
          o.put("identity", id);
          o.put("accepted", true);
          o.put("type", "API key (Ed25519)");
          Out.json(out, o);
        } else if (quiet) {
          out.println(id);
        } else {
          out.println("Identity   " + id);
          out.println(
              "Type       API key (Ed25519); clients present it as a self-signed certificate");
          out.println(
              "KES        accepted by servers that do not verify client certificates (tls.auth off)");
        }
        out.flush();
        return Exit.OK;
      }
      if (t.isEmpty()) {
        throw new IllegalArgumentException("no PEM certificate or API key found");
      }
      List<X509Certificate> certs = Pem.parseCertificates(t, source());
      CertReport r = CertReport.of(certs, Instant.now());
      if (json) {
        ObjectNode o = Out.object();
        o.put("identity", r.identity());
        o.put("accepted", r.accepted());
        o.put("verdict", r.verdict());
        o.set("warnings", Out.strings(r.warnings()));
        ArrayNode a = Out.array();
        for (CertReport.Cert c : r.certificates()) {
          ObjectNode co = a.addObject();
          co.put("subject", c.subject());
          co.put("issuer", c.issuer());
          co.put("ca", c.ca());
          co.put("key_type", c.keyType());
          co.put("not_before", c.notBefore().toString());
          co.put("not_after", c.notAfter().toString());
          co.put("client_auth", c.clientAuth());
        }
        o.set("certificates", a);
        Out.json(out, o);
      } else if (quiet) {
        out.println(r.identity());
      } else {
        out.println("Identity   " + r.identity());
        int n = 0;
        for (CertReport.Cert c : r.certificates()) {
          n++;
          String prefix = r.certificates().size() == 1 ? "" : "#" + n + " ";
          out.println(prefix + "Subject    " + c.subject());
          out.println(
              prefix
                  + "Issuer     "
                  + c.issuer()
                  + (c.issuer().equals(c.subject()) ? " (self-signed)" : ""));
          out.println(prefix + "Kind       " + (c.ca() ? "CA certificate (CA:TRUE)" : "leaf"));
          out.println(prefix + "Key        " + c.keyType());
          out.println(prefix + "Valid      " + c.notBefore() + " .. " + c.notAfter());
        }
        out.println("KES        " + r.verdict());
        for (String w : r.warnings()) {
          out.println("Warning    " + w);
        }
      }
      out.flush();
      return r.accepted() ? Exit.OK : Exit.ERROR;
    }
  }

  /** {@code kes tool} (KES 0.16): hidden; its commands are today's under 0.16's names. */
  @Command(
      name = "tool",
      hidden = true,
      mixinStandardHelpOptions = true,
      description =
          "KES 0.16's tool commands: identity new|of, migrate (use the commands without"
              + " 'tool').",
      subcommands = {ToolIdentity.class, ToolIdentify.class, Migrate.class})
  public static final class Tool implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Picocli creates it. */
    public Tool() {}

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return Exit.USAGE;
    }
  }

  /** {@code kes tool identity}. */
  @Command(
      name = "identity",
      mixinStandardHelpOptions = true,
      description = "KES 0.16's identity tools: new, of.",
      subcommands = {ToolNew.class, ToolOf.class})
  public static final class ToolIdentity implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Picocli creates it. */
    public ToolIdentity() {}

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return Exit.USAGE;
    }
  }

  /** The MinIO guide's misspelling {@code kes tool identify of}: hidden, as {@code identity}. */
  @Command(
      name = "identify",
      hidden = true,
      mixinStandardHelpOptions = true,
      description = "KES 0.16's identity tools: new, of.",
      subcommands = {ToolNew.class, ToolOf.class})
  public static final class ToolIdentify implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Picocli creates it. */
    public ToolIdentify() {}

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return Exit.USAGE;
    }
  }

  /** {@code kes tool identity new}: KES 0.16's defaults and flags. */
  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description = {
        "Create a TLS private key and self-signed certificate (KES 0.16): --key ./private.key,"
            + " --cert ./public.crt unless given; a server certificate with --server, else a"
            + " client certificate; SANs from --ip and --dns.",
        "Today's form: kes4j identity new."
      })
  public static final class ToolNew extends New {
    @Option(
        names = {"-t", "--time"},
        paramLabel = "DURATION",
        description = "Certificate validity, a Go duration (default 720h).")
    String time;

    /** Picocli creates it. */
    public ToolNew() {}

    @Override
    boolean legacy() {
      return true;
    }

    @Override
    String validity() {
      return time != null ? time : super.validity();
    }
  }

  /** {@code kes tool identity of}: the bare identity, as KES 0.16 printed it. */
  @Command(
      name = "of",
      mixinStandardHelpOptions = true,
      description = {
        "Print the identity of a certificate (PEM file, or stdin) as KES 0.16 did: the bare"
            + " SHA-256 hash. Warnings (a CA certificate, expiry) go to stderr.",
        "Today's form, with a full report: kes4j identity of."
      })
  public static final class ToolOf extends Of {
    @Option(
        names = "--hash",
        paramLabel = "HASH",
        description = "SHA-256 (the only hash KES servers use for identities).")
    String hash;

    /** Picocli creates it. */
    public ToolOf() {}

    @Override
    public Integer call() throws Exception {
      if (hash != null && !hash.toUpperCase(Locale.ROOT).replace("-", "").equals("SHA256")) {
        throw new IllegalArgumentException(
            "invalid --hash '" + hash + "': KES servers compute identities with SHA-256 only");
      }
      PrintWriter out = spec.commandLine().getOut();
      String t = text();
      String id;
      if (t.startsWith(ApiKey.PREFIX)) {
        id = ApiKey.parse(t).identity().value();
      } else {
        if (t.isEmpty()) {
          throw new IllegalArgumentException("no PEM certificate found");
        }
        List<X509Certificate> certs = Pem.parseCertificates(t, source());
        CertReport r = CertReport.of(certs, Instant.now());
        id = r.identity();
        PrintWriter err = spec.commandLine().getErr();
        if (!r.accepted()) {
          err.println("kes4j: warning: " + r.verdict());
        }
        for (String w : r.warnings()) {
          err.println("kes4j: warning: " + w);
        }
        err.flush();
      }
      if (System.console() != null) {
        out.println();
        out.println("  Identity:  " + id);
      } else {
        out.println(id);
      }
      out.flush();
      return Exit.OK;
    }
  }
}
