package dev.kes4j.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kes4j.api.ApiPath;
import dev.kes4j.api.KesException;
import dev.kes4j.api.NotAuthorizedException;
import dev.kes4j.api.Policy;
import dev.kes4j.api.ServiceStatus;
import dev.kes4j.client.IdentityInfo;
import dev.kes4j.client.KesClient;
import dev.kes4j.client.internal.Tls;
import dev.kes4j.policy.Policies;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

// Over 600 lines: one check per step of a connection (files, DNS, TCP, TLS, identity, each route
// of every generation), each with its explanation text; splitting it would scatter one report.
// Policy matching comes from kes-policy, TLS key selection and trust from kes-client.
/**
 * {@code kes4j doctor}: connects to each configured KES server and reports, step by step, what
 * works and how to fix what does not — credentials, DNS, TCP, TLS version, server certificate
 * trust, whether the server accepted the client certificate, the identity the server saw and its
 * policy, which APIs that policy allows, and the server's status and version. Works against Go KES
 * of every generation (routes a server lacks are skipped, not failed). Exits 0 only when no step
 * failed. Never prints key material: only identities (public hashes), names and certificates'
 * public fields.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description =
        "Check the connection to a KES server step by step (DNS, TCP, TLS, server certificate,"
            + " client identity, policy, status) and say how to fix what fails.",
    footer = "Exit codes: 0 every step passed, 1 a step failed, 2 usage error.")
public final class Doctor implements Callable<Integer>, Io.Aware {
  @Mixin ClientOptions connection;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  private Io io;

  /** The state of a step. */
  enum State {
    OK,
    FAIL,
    SKIP
  }

  /** One step's outcome. */
  record Step(String name, State state, String detail, String fix) {}

  /** Routes never checked against the policy (identify-only, or not authorized per identity). */
  private static final Set<ApiPath> UNCHECKED_ROUTES =
      EnumSet.of(ApiPath.VERSION, ApiPath.READY, ApiPath.IDENTITY_SELF_DESCRIBE);

  /** KES 0.16's names of the log routes, judged as the routes they stand for. */
  private static final Set<ApiPath> TRACE_ROUTES =
      EnumSet.of(ApiPath.LOG_ERROR_TRACE, ApiPath.LOG_AUDIT_TRACE);

  /** Routes to judge the policy against when the server does not list its own. */
  private static final List<String> KNOWN_ROUTES =
      Arrays.stream(ApiPath.values())
          .filter(p -> !UNCHECKED_ROUTES.contains(p) && !TRACE_ROUTES.contains(p))
          .map(ApiPath::path)
          .toList();

  private final List<Step> steps = new ArrayList<>();

  /** The server would not describe the identity (Go KES 2024+ for every non-admin). */
  private boolean unreadablePolicy;

  /** Picocli creates it. */
  public Doctor() {}

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    ClientOptions.Settings s = connection.resolve(io.env());
    credentials(s);
    for (String endpoint : s.endpoints()) {
      endpoint(s, endpoint);
    }
    boolean ok = steps.stream().noneMatch(x -> x.state() == State.FAIL);
    print(ok);
    return ok ? Exit.OK : Exit.ERROR;
  }

  private void add(String name, State state, String detail, String fix) {
    steps.add(new Step(name, state, detail, fix));
  }

  private void credentials(ClientOptions.Settings s) {
    CertReport r = CertReport.of(s.chain(), Instant.now());
    String detail = s.credentialSource() + ", identity " + r.identity();
    if (!r.warnings().isEmpty()) {
      detail += "; " + String.join("; ", r.warnings());
    }
    if (r.accepted()) {
      add("Credentials", State.OK, detail, null);
    } else {
      add("Credentials", State.FAIL, detail + "; " + r.verdict(), CertReport.CA_HINT);
    }
  }

  private void endpoint(ClientOptions.Settings s, String endpoint) {
    URI uri = URI.create(endpoint);
    String host = uri.getHost();
    int port = uri.getPort() < 0 ? 443 : uri.getPort();
    String where = host + ":" + port;
    // DNS
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      add(
          "DNS " + host,
          State.FAIL,
          "cannot resolve '" + host + "'",
          "check the server name in --server / $KES_SERVER (spelling, DNS, /etc/hosts)");
      return;
    }
    List<String> ips = new ArrayList<>();
    for (InetAddress a : addresses) {
      ips.add(a.getHostAddress());
    }
    add("DNS " + host, State.OK, host + " -> " + String.join(", ", ips), null);
    // TCP
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, s.timeout().toMillis());
    Socket tcp = null;
    long t0 = System.nanoTime();
    IOException lastTcp = null;
    for (InetAddress a : addresses) {
      Socket sock = new Socket();
      try {
        sock.connect(new InetSocketAddress(a, port), timeoutMillis);
        tcp = sock;
        break;
      } catch (IOException e) {
        lastTcp = e;
        closeQuietly(sock);
      }
    }
    if (tcp == null) {
      add(
          "TCP " + where,
          State.FAIL,
          "cannot connect: " + lastTcp.getMessage(),
          "is the server running and listening on port "
              + port
              + " of that host (kes4j server --addr, firewall)?");
      return;
    }
    add(
        "TCP " + where,
        State.OK,
        "connected to "
            + tcp.getInetAddress().getHostAddress()
            + ":"
            + port
            + " in "
            + (System.nanoTime() - t0) / 1_000_000
            + " ms",
        null);
    if (!tls(s, tcp, host, port, timeoutMillis)) {
      return;
    }
    // HTTP: identity, APIs, status
    ClientOptions.Settings one =
        new ClientOptions.Settings(
            List.of(endpoint),
            s.key(),
            s.chain(),
            s.credentialSource(),
            s.cas(),
            s.caSource(),
            s.insecure(),
            s.timeout());
    try (KesClient client = ClientOptions.client(one)) {
      IdentityInfo self = identity(client);
      apis(one, endpoint, self);
      status(client, self);
    }
  }

  // ---- TLS -----------------------------------------------------------------------------------

  /** Records the server's chain, then lets the real trust manager decide. */
  private static final class Capture extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    volatile X509Certificate[] chain;

    Capture(X509ExtendedTrustManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String authType, Socket socket)
        throws CertificateException {
      chain = c.clone();
      if (delegate != null) {
        delegate.checkServerTrusted(c, authType, socket);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine engine)
        throws CertificateException {
      chain = c.clone();
      if (delegate != null) {
        delegate.checkServerTrusted(c, authType, engine);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String authType)
        throws CertificateException {
      chain = c.clone();
      if (delegate != null) {
        delegate.checkServerTrusted(c, authType);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String authType)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate == null ? new X509Certificate[0] : delegate.getAcceptedIssuers();
    }
  }

  private boolean tls(ClientOptions.Settings s, Socket tcp, String host, int port, int timeout) {
    Capture capture;
    SSLContext ctx;
    try { // the client's own key selection and trust, with the server's chain recorded
      capture = new Capture(s.insecure() ? null : Tls.trustManager(s.cas()));
      ctx = Tls.context(Tls.keyManager(s.key(), s.chain()), capture);
    } catch (RuntimeException e) {
      add("TLS", State.FAIL, "cannot set up TLS: " + e.getMessage(), null);
      closeQuietly(tcp);
      return false;
    }
    SSLSocket ssl;
    try {
      tcp.setSoTimeout(timeout);
      ssl = (SSLSocket) ctx.getSocketFactory().createSocket(tcp, host, port, true);
      SSLParameters p = ssl.getSSLParameters();
      if (!s.insecure()) {
        p.setEndpointIdentificationAlgorithm("HTTPS");
      }
      if (!isIpLiteral(host)) {
        p.setServerNames(List.of(new SNIHostName(host)));
      }
      p.setApplicationProtocols(new String[] {"http/1.1"});
      ssl.setSSLParameters(p);
    } catch (IOException e) {
      add("TLS", State.FAIL, e.toString(), null);
      closeQuietly(tcp);
      return false;
    }
    try (SSLSocket socket = ssl) {
      try {
        socket.startHandshake();
      } catch (IOException e) {
        handshakeFailed(s, capture.chain, host, e);
        return false;
      }
      String protocol = socket.getSession().getProtocol();
      add(
          "TLS",
          State.OK,
          protocol + ", " + socket.getSession().getCipherSuite(),
          protocol.equals("TLSv1.3") || protocol.equals("TLSv1.2")
              ? null
              : "KES requires TLS 1.2 or newer");
      X509Certificate[] chain = capture.chain;
      String describe = chain == null || chain.length == 0 ? "" : describe(chain[0]);
      if (s.insecure()) {
        add(
            "Server certificate",
            State.OK,
            "NOT verified (-k/--insecure); " + describe,
            "for production pass the issuing CA with --ca FILE instead of -k");
      } else {
        add("Server certificate", State.OK, "trusted (" + s.caSource() + "); " + describe, null);
      }
      // TLS 1.3: a server that refuses the client certificate says so after the handshake
      try {
        OutputStream out = socket.getOutputStream();
        out.write(
            ("GET /version HTTP/1.1\r\nHost: "
                    + host
                    + "\r\nConnection: close\r\nUser-Agent: kes4j-doctor\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String statusLine = readLine(socket.getInputStream());
        if (statusLine.isEmpty()) {
          throw new SSLException("the server closed the connection");
        }
        add("Client certificate", State.OK, "presented and accepted by the TLS layer", null);
      } catch (IOException e) {
        add(
            "Client certificate",
            State.FAIL,
            "the server ended the connection after the handshake ("
                + e.getMessage()
                + "): it refused the client certificate",
            clientCertFix(s));
        return false;
      }
      return true;
    } catch (IOException e) {
      return true; // closing failed: irrelevant
    }
  }

  private void handshakeFailed(
      ClientOptions.Settings s, X509Certificate[] chain, String host, IOException e) {
    String msg = String.valueOf(e.getMessage());
    Throwable trustFailure = trustCause(e);
    if (chain != null && trustFailure != null) {
      String tm = String.valueOf(trustFailure.getMessage());
      add("TLS", State.OK, "handshake reached the server certificate check", null);
      if (tm.contains("No subject alternative") || tm.contains("No name matching")) {
        add(
            "Server certificate",
            State.FAIL,
            "issued for " + names(chain[0]) + ", not for '" + host + "'; " + describe(chain[0]),
            "connect with a name the certificate carries (--server https://NAME:PORT), or issue"
                + " the server certificate for '"
                + host
                + "' (kes4j identity new --server --dns/--ip); -k/--insecure skips the check"
                + " (tests only)");
      } else {
        X509Certificate top = chain[chain.length - 1];
        boolean selfSigned = top.getSubjectX500Principal().equals(top.getIssuerX500Principal());
        add(
            "Server certificate",
            State.FAIL,
            "not trusted: "
                + describe(chain[0])
                + (selfSigned && chain.length == 1
                    ? " is self-signed and not among the CAs in "
                    : "; its chain ends at issuer '"
                        + top.getIssuerX500Principal().getName()
                        + "', which is not among the CAs in ")
                + s.caSource(),
            "pass the CA certificate that issued it ('"
                + top.getIssuerX500Principal().getName()
                + "') with --ca FILE (or $"
                + ClientOptions.CA_VARIABLE
                + "; for 'kes4j server --dev' that is its ca.cert); -k/--insecure skips"
                + " verification (tests only)");
      }
      return;
    }
    String alert = alert(msg);
    if (alert != null) {
      add(
          "TLS",
          State.FAIL,
          "the server refused the handshake (alert " + alert + ")",
          alert.contains("certificate") || alert.contains("unknown_ca")
              ? clientCertFix(s)
              : "check that the server speaks TLS 1.2+ on this port");
      return;
    }
    if (chain != null) {
      // TLS 1.3: the server checks the client certificate after sending its own and may close the
      // connection before its alert is read (the client then sees a broken pipe or a reset)
      add(
          "TLS",
          State.FAIL,
          "the server sent its certificate, then closed the connection during the handshake ("
              + msg
              + "): it refused the client certificate",
          clientCertFix(s));
      return;
    }
    add(
        "TLS",
        State.FAIL,
        "handshake failed: " + msg,
        "is this a KES server (HTTPS) port? KES never speaks plain HTTP");
  }

  private static String clientCertFix(ClientOptions.Settings s) {
    return "the server verifies client certificates (tls.auth: on): use a certificate issued by"
        + " a CA in the server's tls.ca (API keys and self-signed certificates only work with"
        + " tls.auth off); the server's error log names the reason";
  }

  private static Throwable trustCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException
          || t instanceof java.security.cert.CertPathValidatorException
          || t instanceof java.security.cert.CertPathBuilderException) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    String m = String.valueOf(e.getMessage());
    if (m.contains("PKIX") || m.contains("No subject alternative") || m.contains("No name")) {
      return e;
    }
    return null;
  }

  private static String alert(String message) {
    String marker = "Received fatal alert: ";
    int i = message.indexOf(marker);
    return i < 0 ? null : message.substring(i + marker.length()).trim();
  }

  private static String describe(X509Certificate c) {
    return "subject '"
        + c.getSubjectX500Principal().getName()
        + "', issuer '"
        + c.getIssuerX500Principal().getName()
        + "', expires "
        + c.getNotAfter().toInstant();
  }

  private static String names(X509Certificate c) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          out.add(String.valueOf(san.get(1)));
        }
      }
    } catch (java.security.cert.CertificateParsingException e) {
      // none
    }
    return out.isEmpty() ? "no names (no subject alternative names)" : out.toString();
  }

  private static boolean isIpLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        sb.append((char) c);
      }
      if (sb.length() > 200) {
        break;
      }
    }
    return sb.toString();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private IdentityInfo identity(KesClient client) {
    String local = client.identity().map(i -> i.value()).orElse("?");
    try {
      IdentityInfo self = client.describeSelf();
      if (self.admin()) {
        add(
            "Identity",
            State.OK,
            "the server sees " + self.identity() + ": the admin (every API allowed)",
            null);
      } else {
        add(
            "Identity",
            State.OK,
            "the server sees " + self.identity() + ", assigned to policy '" + self.policy() + "'",
            null);
      }
      return self;
    } catch (KesException e) {
      String m = String.valueOf(e.getMessage());
      if (e.status() == 404 && m.contains("identity does not exist")) {
        // Go KES 2024+ answers so for every identity that is not the admin (its bug, spec §12):
        // not a failure of the connection; the calls below show whether the identity may act
        add(
            "Identity",
            State.SKIP,
            "the server answered 'identity does not exist' to "
                + ApiPath.IDENTITY_SELF_DESCRIBE.path()
                + " for "
                + local
                + ", so its policy cannot be read: Go KES 2024+ answers so for every identity that"
                + " is not the admin (a Go KES bug); elsewhere it means the identity is in no policy",
            "if the calls below are not authorized, add "
                + local
                + " to the identities of a policy in the server config (policy.<name>.identities)");
        unreadablePolicy = true;
      } else if (e.status() == 404) {
        add(
            "Identity",
            State.SKIP,
            "the server has no self-describe API (KES 0.18 or older)",
            null);
      } else if (e.status() == 400 && m.contains("client certificate is required")) {
        add(
            "Identity",
            State.FAIL,
            "the server found no usable client certificate ('" + m + "')",
            CertReport.CA_HINT);
      } else {
        add("Identity", State.FAIL, Exit.message(e), null);
      }
      return null;
    }
  }

  private void apis(ClientOptions.Settings s, String endpoint, IdentityInfo self) {
    if (self == null) {
      add(
          "APIs",
          State.SKIP,
          unreadablePolicy
              ? "the server did not tell the identity's policy: cannot tell which APIs it allows"
              : "unknown identity: cannot tell what its policy allows",
          null);
      return;
    }
    List<String> routes = new ArrayList<>();
    String source;
    try {
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(Tls.context(s.key(), s.chain(), s.cas(), s.insecure()))
              .connectTimeout(s.timeout())
              .build();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(endpoint + ApiPath.API.path()))
                  .timeout(s.timeout())
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode n = r.statusCode() == 200 ? Out.parse(r.body()) : null;
      if (n != null && n.isArray()) {
        for (JsonNode route : n) {
          routes.add(route.path("path").asText());
        }
        source = "the server's /v1/api";
      } else {
        routes.addAll(KNOWN_ROUTES);
        source =
            "KES's routes (/v1/api answered "
                + r.statusCode()
                + (r.statusCode() == 403 ? ": not allowed by the policy" : "")
                + ")";
      }
    } catch (IOException e) {
      routes.addAll(KNOWN_ROUTES);
      source = "KES's routes (/v1/api failed: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (self.admin()) {
      add("APIs", State.OK, "all " + routes.size() + " routes (admin)", null);
      return;
    }
    List<String> all = new ArrayList<>();
    List<String> some = new ArrayList<>();
    for (String route : routes) {
      if (route.equals(ApiPath.VERSION.path())
          || route.equals(ApiPath.IDENTITY_SELF_DESCRIBE.path())) {
        continue; // never checked against the policy
      }
      Coverage c = coverage(route, self.allow(), self.deny());
      if (c == Coverage.ALL) {
        all.add(route);
      } else if (c == Coverage.SOME) {
        some.add(route + "…");
      }
    }
    String detail =
        "policy '"
            + self.policy()
            + "' allows "
            + (all.isEmpty() && some.isEmpty()
                ? "nothing"
                : String.join(", ", all)
                    + (some.isEmpty() ? "" : (all.isEmpty() ? "" : "; ") + "some names of: ")
                    + String.join(", ", some))
            + " (judged against "
            + source
            + ")";
    if (all.isEmpty() && some.isEmpty()) {
      add("APIs", State.FAIL, detail, "add allow rules to policy '" + self.policy() + "'");
    } else {
      add("APIs", State.OK, detail, null);
    }
  }

  enum Coverage {
    ALL,
    SOME,
    NONE
  }

  /**
   * How much of a route the patterns allow, decided by kes-policy's matcher and exact policy
   * comparison (newest KES matching: exact, or prefix when the pattern ends in {@code *}): ALL if
   * every path of the route is allowed, SOME if at least one is, else NONE. A route ending in
   * {@code /} takes a resource (every path below it); others are one path.
   */
  static Coverage coverage(String route, List<String> allow, List<String> deny) {
    Policy policy;
    try {
      policy = Policies.prefix(allow, deny);
    } catch (IllegalArgumentException e) {
      return Coverage.NONE; // patterns the server itself would not have accepted
    }
    if (!route.endsWith("/")) {
      return policy.verify(route) ? Coverage.ALL : Coverage.NONE;
    }
    if (Policies.isSubset(Policies.prefix(List.of(route + "*"), List.of()), policy)) {
      return Coverage.ALL;
    }
    Policy outside = Policies.prefix(List.of("*"), List.of(route + "*"));
    return Policies.excessPath(policy, outside).isPresent() ? Coverage.SOME : Coverage.NONE;
  }

  private void status(KesClient client, IdentityInfo self) {
    try {
      ServiceStatus st = client.status();
      String version = st.version();
      try {
        String v = client.version();
        if (!v.isEmpty()) {
          version = v;
        }
      } catch (KesException e) {
        // /version is optional for this report
      }
      add(
          "Status",
          st.keyStoreReachable() ? State.OK : State.FAIL,
          "version "
              + version
              + ", up "
              + Out.duration(st.uptime())
              + ", key store "
              + (st.keyStoreReachable()
                  ? "reachable"
                      + (st.keyStoreLatency().isZero()
                          ? ""
                          : " (" + st.keyStoreLatency().toMillis() + " ms)")
                  : "NOT reachable"),
          st.keyStoreReachable()
              ? null
              : "the server cannot reach its key store: see its error log");
    } catch (NotAuthorizedException e) {
      String why = self == null ? "" : ": " + denial(ApiPath.STATUS.path(), self);
      add(
          "Status",
          State.FAIL,
          ApiPath.STATUS.path() + " is not allowed for this identity" + why,
          self == null
              ? "add the identity to a policy that allows '/v1/status' (policy.<name>.identities)"
              : self.admin()
                  ? null
                  : "allow '/v1/status' in policy '" + self.policy() + "' (MinIO needs it)");
    } catch (KesException e) {
      add("Status", State.FAIL, Exit.message(e), null);
    }
  }

  /** Why the policy denies {@code path}, as the server's explain() would say it. */
  static String denial(String path, IdentityInfo self) {
    for (String d : self.deny()) {
      if (Policies.prefix(List.of(d), List.of()).verify(path)) {
        return "policy '" + self.policy() + "' denies it by deny rule '" + d + "'";
      }
    }
    return "policy '" + self.policy() + "' has no allow rule for it";
  }

  // ---- output --------------------------------------------------------------------------------

  private void print(boolean ok) {
    if (json) {
      ObjectNode o = Out.object();
      o.put("ok", ok);
      ArrayNode a = o.putArray("steps");
      for (Step s : steps) {
        ObjectNode n = a.addObject();
        n.put("step", s.name());
        n.put("state", s.state().name().toLowerCase(Locale.ROOT));
        n.put("detail", s.detail());
        if (s.fix() != null) {
          n.put("fix", s.fix());
        }
      }
      Out.json(io.out(), o);
      return;
    }
    int width = 0;
    for (Step s : steps) {
      width = Math.max(width, s.name().length());
    }
    for (Step s : steps) {
      String tag = s.state() == State.OK ? "[ ok ]" : s.state() == State.FAIL ? "[FAIL]" : "[skip]";
      io.out()
          .println(tag + " " + s.name() + " ".repeat(width - s.name().length() + 2) + s.detail());
      if (s.fix() != null && s.state() != State.SKIP) {
        io.out().println(" ".repeat(width + 9) + "fix: " + s.fix());
      }
    }
    io.out().println(ok ? "All checks passed." : "Some checks failed.");
    io.out().flush();
  }
}
