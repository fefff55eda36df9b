package dev.kes4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Key listings of every generation (spec §1.4–§1.6). */
class ListingTest {
  static Stream<Arguments> forms() {
    return Stream.of(
        Arguments.of(
            "newest JSON",
            "application/json",
            "{\"names\":[\"a\",\"b\"],\"continue_at\":\"c\"}\n",
            List.of("a", "b"),
            "c",
            false),
        Arguments.of(
            "JSON last page", "application/json", "{\"names\":[\"a\"]}\n", List.of("a"), "", false),
        Arguments.of("JSON empty", "application/json", "{\"names\":[]}\n", List.of(), "", false),
        Arguments.of(
            "ndjson 0.19-0.22",
            "application/x-ndjson",
            "{\"name\":\"a\"}\n{\"name\":\"b\"}\n",
            List.of("a", "b"),
            "",
            true),
        Arguments.of(
            "0.16 capital Name, no content type",
            "",
            "{\"Name\":\"a\"}\n{\"Name\":\"b\"}\n",
            List.of("a", "b"),
            "",
            true),
        Arguments.of(
            "0.16 text/plain sniffed",
            "text/plain; charset=utf-8",
            "{\"Name\":\"x\"}",
            List.of("x"),
            "",
            true),
        Arguments.of("ndjson empty", "application/x-ndjson", "", List.of(), "", true),
        Arguments.of("0.16 policy array", "", "[\"p1\",\"p2\"]", List.of("p1", "p2"), "", true),
        Arguments.of(
            "CRLF lines",
            "application/x-ndjson",
            "{\"name\":\"a\"}\r\n{\"name\":\"b\"}\r\n",
            List.of("a", "b"),
            "",
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void parsesEveryForm(
      String label, String ct, String body, List<String> names, String next, boolean ndjson) {
    Listing l = Listing.parse(ct, body.getBytes(StandardCharsets.UTF_8));
    assertThat(l.names()).containsExactlyElementsOf(names);
    assertThat(l.continueAt()).isEqualTo(next);
    assertThat(l.ndjson()).isEqualTo(ndjson);
  }

  @ParameterizedTest
  @MethodSource("errors")
  void reportsErrors(String body, int status, String message) {
    assertThatThrownBy(
            () -> Listing.parse("application/x-ndjson", body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(KesException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(status));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(
            "{\"name\":\"a\"}\n{\"error\":\"failed to list keys\"}\n", 502, "failed to list keys"),
        Arguments.of("not json\n", 502, "listing line is not a JSON object"),
        Arguments.of("{\"other\":1}\n", 502, "listing line without a name"));
  }
}
