package dev.kes4j.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.policy.internal.pki.Pem;
import dev.kes4j.server.KesServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a second {@code server --dev} must never replace the files a running one uses — its
 * printed curl line and MinIO exports keep working — whether it fails on the busy port or would
 * listen elsewhere with the same directory.
 */
class DevServerTest {
  static final List<String> FILES =
      List.of("ca.cert", "server.cert", "server.key", "client.cert", "client.key", "client.pem");

  static Map<String, String> snapshot(Path dir) throws Exception {
    Map<String, String> m = new TreeMap<>();
    for (String f : FILES) {
      m.put(f, Files.readString(dir.resolve(f)));
    }
    return m;
  }

  /** What the banner tells a user to do: connect with the files in {@code dir}. */
  static int statusWithTheFiles(Path dir, DevServer s) throws Exception {
    return getWithTheFiles(dir, s, "/v1/status").statusCode();
  }

  static HttpResponse<String> getWithTheFiles(Path dir, DevServer s, String path) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "c",
        Pem.readPrivateKey(dir.resolve("client.key"), null),
        "pw".toCharArray(),
        Pem.readCertificates(dir.resolve("client.cert")).toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "pw".toCharArray());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", Pem.readCertificates(dir.resolve("ca.cert")).get(0));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    HttpClient c =
        HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    return c.send(
        HttpRequest.newBuilder(URI.create(s.endpoint() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsCountTheHeapObjects(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("dev");
    try (DevServer s = DevServer.start("127.0.0.1:0", dir, KesServer.TlsProvider.JDK)) {
      HttpResponse<String> r = getWithTheFiles(dir, s, "/v1/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      String line =
          r.body()
              .lines()
              .filter(l -> l.startsWith("kes_system_mem_heap_objects "))
              .findFirst()
              .orElseThrow();
      // a running server holds far more than 10,000 objects (its classes alone are thousands)
      assertThat(Double.parseDouble(line.substring(line.indexOf(' ') + 1))).isGreaterThan(10_000);
    }
  }

  @Test
  void aSecondDevServerLeavesTheRunningOnesFilesAlone(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("dev");
    try (DevServer first = DevServer.start("127.0.0.1:0", dir, KesServer.TlsProvider.JDK)) {
      Map<String, String> before = snapshot(dir);
      assertThat(statusWithTheFiles(dir, first)).isEqualTo(200);
      String busy = "127.0.0.1:" + first.server().address().getPort();

      // the same port and directory (two `./kes4j server --dev` in one checkout)
      assertThatThrownBy(() -> DevServer.start(busy, dir, KesServer.TlsProvider.JDK))
          .isInstanceOf(KesConfigException.class);
      // another port, the same directory
      assertThatThrownBy(() -> DevServer.start("127.0.0.1:0", dir, KesServer.TlsProvider.JDK))
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("another kes4j dev server")
          .hasMessageContaining("--dev-dir");
      // the busy port with a directory of its own: fails before writing anything
      Path other = tmp.resolve("other");
      assertThatThrownBy(() -> DevServer.start(busy, other, KesServer.TlsProvider.JDK))
          .isInstanceOf(KesConfigException.class)
          .hasMessageContaining("cannot listen on " + busy);
      for (String f : FILES) {
        assertThat(other.resolve(f)).doesNotExist();
      }

      assertThat(snapshot(dir)).isEqualTo(before);
      assertThat(statusWithTheFiles(dir, first)).isEqualTo(200);
    }
    // once the first has stopped, the directory is free again
    try (DevServer next = DevServer.start("127.0.0.1:0", dir, KesServer.TlsProvider.JDK)) {
      assertThat(statusWithTheFiles(dir, next)).isEqualTo(200);
    }
  }

  @Test
  void keysAreWrittenOwnerOnly(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("dev");
    try (DevServer s = DevServer.start("127.0.0.1:0", dir, KesServer.TlsProvider.JDK)) {
      for (String f : List.of("server.key", "client.key", "client.pem")) {
        assertThat(Files.getPosixFilePermissions(dir.resolve(f)))
            .extracting(Object::toString)
            .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
      }
      try (var listing = Files.list(dir)) {
        assertThat(listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
            .isEmpty();
      }
    }
  }
}
