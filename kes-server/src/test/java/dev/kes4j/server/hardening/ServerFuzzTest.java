package dev.kes4j.server.hardening;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.core.Kes;
import dev.kes4j.http.ApiRequest;
import dev.kes4j.http.ApiResponse;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.internal.pki.Pem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fuzz targets of the server's inputs: request bodies of every body-taking route through {@link
 * KesHttpApi#handle} (in process), and PEM files through {@link Pem} (keys, encrypted keys,
 * certificate chains). Any status or message the spec does not list, or any undocumented exception,
 * is a finding.
 *
 * <p>By default these run as regression tests over the committed seed corpus in {@code
 * src/test/resources/dev/kes4j/server/hardening/ServerFuzzTestInputs/<method>/}. Fuzz for real with
 * {@code JAZZER_FUZZ=1 ./mvnw -B -o test -pl kes-server -Dtest='ServerFuzzTest#requestBodies'
 * -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration=90s}.
 */
class ServerFuzzTest {
  /** Selected by the first input byte. */
  private static final String[] ROUTES = {
    "/v1/key/generate/",
    "/v1/key/encrypt/",
    "/v1/key/decrypt/",
    "/v1/key/import/",
    "/v1/key/hmac/",
    "/v1/key/bulk/decrypt/"
  };

  /** Selected by bits of the second input byte: AES key, ChaCha20 key, legacy key, none, bad. */
  private static final String[] NAMES = {"aes", "chacha", "legacy", "missing", "bad.name"};

  private static final Set<String> FIXED_MESSAGES =
      Set.of(
          "invalid request body",
          "invalid import key request body",
          "decryption failed: ciphertext is not authentic",
          "key does not exist",
          "key does already exist",
          "too many ciphertexts",
          "key does not support HMAC");
  private static final Pattern VARIABLE_MESSAGES =
      Pattern.compile(
          "(algorithm '.*' is not supported|invalid key size for '.*'"
              + "|key name '.*' is empty, too long or contains invalid characters)",
          Pattern.DOTALL);
  private static final Set<Integer> STATUSES = Set.of(200, 400, 404, 406, 409);
  private static final JsonFactory JSON = new JsonFactory();

  private static final Kes KES;
  private static final KesHttpApi API;
  private static final X509Certificate[] ADMIN_CHAIN = {Fixture.ADMIN.certificate()};
  private static final Path PEM_FILE;

  static {
    MemKeyStore store = new MemKeyStore();
    // a KES ≤ 2023 key: no HMAC key (hmac answers 409)
    store.create(
        "legacy",
        "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}"
            .getBytes(StandardCharsets.UTF_8));
    KES = Kes.builder().keyStore(store).policies(Fixture.config("").policySet()).build();
    KES.createKey("aes");
    KES.importKey("chacha", KeyAlgorithm.CHACHA20, new byte[32]);
    API = KesHttpApi.builder(KES).build();
    try {
      PEM_FILE = Files.createTempFile("kes4j-fuzz", ".pem");
      PEM_FILE.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Byte 0 picks the route, byte 1 the key name (bits 0-2), the method (bit 3: PUT or POST) and
   * whether the body length is declared (bit 4: chunked otherwise); the rest is the body.
   */
  @FuzzTest
  void requestBodies(byte[] input) {
    if (input.length < 2) {
      return;
    }
    String route = ROUTES[(input[0] & 0xff) % ROUTES.length];
    int flags = input[1] & 0xff;
    String name = NAMES[(flags & 7) % NAMES.length];
    if (route.equals("/v1/key/import/") && name.equals("missing")) {
      name = "imported";
    }
    String method = route.contains("bulk") || (flags & 8) != 0 ? "POST" : "PUT";
    byte[] body = Arrays.copyOfRange(input, 2, input.length);
    long declared = (flags & 16) != 0 ? -1 : body.length;
    ApiResponse r =
        API.handle(
            ApiRequest.builder(method, route + name)
                .peerCertificates(ADMIN_CHAIN)
                .body(new ByteArrayInputStream(body), declared)
                .build());
    check(r, route, name);
    if (r.status() == 200 && name.equals("imported")) {
      KES.deleteKey("imported");
    }
  }

  private static void check(ApiResponse r, String route, String name) {
    if (!STATUSES.contains(r.status())) {
      throw new AssertionError(route + name + " answered " + r.status() + ": " + text(r));
    }
    if (r.status() == 200) {
      return;
    }
    String message = message(r);
    if (!FIXED_MESSAGES.contains(message) && !VARIABLE_MESSAGES.matcher(message).matches()) {
      throw new AssertionError(route + name + " answered an unknown message: " + text(r));
    }
  }

  private static String text(ApiResponse r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** The message of a spec §1.2 error body; fails if the body has another shape. */
  private static String message(ApiResponse r) {
    String body = text(r);
    if (!body.startsWith("{\"message\":") || !body.endsWith("\n}")) {
      throw new AssertionError("not a KES error body: " + body);
    }
    try (JsonParser p = JSON.createParser(r.body())) {
      if (p.nextToken() != JsonToken.START_OBJECT
          || p.nextToken() != JsonToken.FIELD_NAME
          || p.nextToken() != JsonToken.VALUE_STRING) {
        throw new AssertionError("not a KES error body: " + body);
      }
      String m = p.getText();
      if (p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new AssertionError("not a KES error body: " + body);
      }
      return m;
    } catch (IOException e) {
      throw new AssertionError("error body is not JSON: " + body, e);
    }
  }

  /**
   * Byte 0 bit 0 picks the password ({@code pw} or none); the rest, as UTF-8 text, is a PEM file
   * read both as a private key and as a certificate chain. The only documented failure is {@link
   * KesConfigException}, whose message must never contain the password.
   */
  @FuzzTest
  void pem(byte[] input) {
    if (input.length < 1) {
      return;
    }
    String password = (input[0] & 1) != 0 ? "pw-fuzz-secret" : "";
    String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
    try {
      Files.writeString(PEM_FILE, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      PrivateKey key = Pem.readPrivateKey(PEM_FILE, password.toCharArray());
      if (key == null) {
        throw new AssertionError("readPrivateKey returned null");
      }
    } catch (KesConfigException expected) {
      checkNoPassword(expected, password);
    }
    try {
      List<X509Certificate> certs = Pem.readCertificates(PEM_FILE);
      if (certs.isEmpty()) {
        throw new AssertionError("readCertificates returned no certificate");
      }
    } catch (KesConfigException expected) {
      checkNoPassword(expected, password);
    }
  }

  private static void checkNoPassword(Throwable e, String password) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (!password.isEmpty() && String.valueOf(t.getMessage()).contains(password)) {
        throw new AssertionError("an exception message contains the key password", e);
      }
    }
  }
}
