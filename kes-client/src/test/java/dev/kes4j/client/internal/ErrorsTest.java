package dev.kes4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.DecryptionException;
import dev.kes4j.api.InvalidNameException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.NotAuthorizedException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Error responses of every KES generation (spec §1.2) → the engine's exceptions. */
class ErrorsTest {
  static final String JSON = "application/json";
  static final String JSON_016 = "application/json; charset=utf-8";
  static final String TEXT = "text/plain; charset=utf-8";

  static String current(String m) {
    return "{\"message\":\"" + m + "\"\n}";
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // status, content type, body, exception class, status, message
        row(
            400,
            JSON,
            current("key already exists"),
            KeyExistsException.class,
            400,
            KeyExistsException.MESSAGE),
        row(
            400,
            JSON_016,
            "{\"message\":\"key does already exist\"}",
            KeyExistsException.class,
            400,
            KeyExistsException.MESSAGE),
        row(
            403,
            JSON,
            current("not authorized: insufficient permissions"),
            NotAuthorizedException.class,
            403,
            NotAuthorizedException.MESSAGE),
        row(
            403,
            JSON_016,
            "{\"message\":\"prohibited by policy\"}",
            NotAuthorizedException.class,
            403,
            NotAuthorizedException.MESSAGE),
        row(
            403,
            TEXT,
            "forbidden\n",
            NotAuthorizedException.class,
            403,
            NotAuthorizedException.MESSAGE),
        row(
            404,
            JSON,
            current("key does not exist"),
            KeyNotFoundException.class,
            404,
            KeyNotFoundException.MESSAGE),
        row(
            404,
            JSON_016,
            "{\"message\":\"key does not exist\"}",
            KeyNotFoundException.class,
            404,
            KeyNotFoundException.MESSAGE),
        row(404, TEXT, "404 page not found\n", KesException.class, 404, "404 page not found"),
        row(
            404,
            JSON,
            current("policy does not exist"),
            KesException.class,
            404,
            "policy does not exist"),
        row(
            400,
            JSON,
            current(DecryptionException.MESSAGE),
            DecryptionException.class,
            400,
            DecryptionException.MESSAGE),
        row(
            400,
            JSON,
            current("key name 'a b' is empty, too long or contains invalid characters"),
            InvalidNameException.class,
            400,
            "key name 'a b' is empty, too long or contains invalid characters"),
        row(
            400,
            JSON,
            current("listing pattern 'a*b' is empty, too long or is invalid"),
            InvalidNameException.class,
            400,
            "listing pattern 'a*b' is empty, too long or is invalid"),
        row(
            400,
            JSON,
            current("policy name 'x y' is empty, too long or contains invalid characters"),
            InvalidNameException.class,
            400,
            "policy name 'x y' is empty, too long or contains invalid characters"),
        row(
            400,
            JSON_016,
            "{\"message\":\"invalid key name\"}",
            KesException.class,
            400,
            "invalid key name"),
        row(
            400,
            JSON_016,
            "{\"message\":\"invalid json: \"x\" unexpected\"}",
            KesException.class,
            400,
            "invalid json: \"x\" unexpected"),
        row(
            406,
            JSON,
            current("invalid key size for 'AES256'"),
            KesException.class,
            406,
            "invalid key size for 'AES256'"),
        row(
            409,
            JSON,
            current("key does not support HMAC"),
            KesException.class,
            409,
            "key does not support HMAC"),
        row(
            502,
            JSON,
            current("failed to read key"),
            KeyStoreUnreachableException.class,
            502,
            "failed to read key"),
        row(
            504,
            JSON,
            current("key store is not reachable"),
            KeyStoreUnreachableException.class,
            504,
            "key store is not reachable"),
        row(503, JSON, current("request timeout"), KesException.class, 503, "request timeout"),
        row(500, JSON, "{\"error\":\"boom\"}", KesException.class, 500, "boom"),
        row(
            500,
            TEXT,
            "{\"message\":\"not parsed: not JSON content\"}",
            KesException.class,
            500,
            "{\"message\":\"not parsed: not JSON content\"}"),
        row(500, "", "", KesException.class, 500, "HTTP 500"),
        row(301, TEXT, "moved", KesException.class, 502, "unexpected HTTP status 301: moved"));
  }

  static Arguments row(
      int status, String ct, String body, Class<?> type, int outStatus, String message) {
    return Arguments.of(status, ct, body, type, outStatus, message);
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("table")
  void mapsErrorResponses(
      int status, String ct, String body, Class<?> type, int outStatus, String message) {
    KesException e = Errors.toException(status, ct, body.getBytes(StandardCharsets.UTF_8));
    assertThat(e).isExactlyInstanceOf(type).hasMessage(message);
    assertThat(e.status()).isEqualTo(outStatus);
  }

  @Property(tries = 200)
  void anyJsonEscapedMessageRoundTrips(@ForAll String message) {
    dev.kes4j.api.internal.KesJson.ObjectWriter o = Json.object();
    o.field("message", message);
    String decoded = Errors.message(418, JSON, Json.encode(o));
    String expected = message.stripTrailing().isEmpty() ? "HTTP 418" : message.stripTrailing();
    assertThat(decoded).isEqualTo(expected);
  }
}
