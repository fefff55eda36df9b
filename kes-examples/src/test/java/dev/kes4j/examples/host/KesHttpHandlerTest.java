package dev.kes4j.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kes4j.core.Kes;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link KesHttpHandler} on plain HTTP: no TLS means no identity, as in KES. */
class KesHttpHandlerTest {
  Kes kes;
  HttpServer server;
  ExecutorService executor;
  final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    kes = Kes.builder().keyStore(new MemKeyStore()).manualMaintenance().build();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    KesHttpHandler handler = new KesHttpHandler(KesHttpApi.builder(kes).build(), 1);
    server.createContext("/", handler);
    executor = Executors.newFixedThreadPool(2);
    server.setExecutor(executor);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
    kes.close();
  }

  HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body)
      throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    return client.send(
        HttpRequest.newBuilder(uri).method(method, body).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutTlsThereIsNoIdentity() throws Exception {
    HttpResponse<String> r = send("POST", "/v1/key/create/k", HttpRequest.BodyPublishers.noBody());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("{\"message\":\"insecure connection: TLS is required\"\n}");
    assertThat(send("GET", "/version", HttpRequest.BodyPublishers.noBody()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aChunkedBodyIsRefusedBeforeItIsReadWithoutTls() throws Exception {
    // small enough for the JDK server to drain the unread body: a 1 MB body made the server reset
    // the connection while the client was still sending, a race the test would sometimes lose
    byte[] big = new byte[4096];
    HttpResponse<String> r =
        send(
            "POST",
            "/v1/key/decrypt/k",
            HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
    // authentication comes first: without TLS the request is refused before its body is read
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("TLS is required");
  }

  @Test
  void routingIsTheApis() throws Exception {
    HttpResponse<String> r = send("GET", "/nope", HttpRequest.BodyPublishers.noBody());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("404 page not found\n");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    HttpResponse<String> redirect =
        send("GET", "/v1/key/list?x=1", HttpRequest.BodyPublishers.noBody());
    assertThat(redirect.statusCode()).isEqualTo(301);
    assertThat(redirect.headers().firstValue("Location")).hasValue("/v1/key/list/?x=1");
    assertThat(new String(redirect.body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
        .contains("Moved Permanently");
  }
}
