package dev.kes4j.keystore.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.Credentials;
import dev.kes4j.api.KesConfigException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GcpCredentialsTest {
  private static final String EMAIL = "kes@my-project.iam.gserviceaccount.com";

  static Stream<Arguments> missingFields() {
    return Stream.of(
        Arguments.of("", "1", "kid", TestKeys.PEM, "client_email: gcp: no client email provided"),
        Arguments.of(EMAIL, "", "kid", TestKeys.PEM, "client_id: gcp: no client ID provided"),
        Arguments.of(
            EMAIL, "1", "", TestKeys.PEM, "private_key_id: gcp: no private key ID provided"),
        Arguments.of(EMAIL, "1", "kid", "", "private_key: gcp: no private key provided"),
        Arguments.of(EMAIL, null, null, null, "client_id: gcp: no client ID provided"));
  }

  @ParameterizedTest(name = "missing {4}")
  @MethodSource("missingFields")
  void partialCredentialsNameTheMissingField(
      String email, String id, String keyId, String key, String message) {
    assertThatThrownBy(
            () ->
                GcpCredentials.fromFields(
                    "keystore.gcp.secretmanager.credentials", email, id, keyId, key))
        .isInstanceOf(KesConfigException.class)
        .hasMessage("keystore.gcp.secretmanager.credentials." + message);
  }

  @Test
  void allFieldsEmptyMeansApplicationDefault() {
    assertThat(GcpCredentials.fromFields("c", "", "", "", "").isApplicationDefault()).isTrue();
    assertThat(GcpCredentials.fromFields("c", null, null, null, null))
        .isSameAs(GcpCredentials.applicationDefault());
  }

  @Test
  void invalidKeyIsRejectedWithoutQuotingIt() {
    String bogus = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----";
    assertThatThrownBy(() -> GcpCredentials.serviceAccount(EMAIL, "1", "kid", bogus))
        .isInstanceOf(KesConfigException.class)
        .hasMessageContaining("private_key")
        .hasMessageNotContaining("c2VjcmV0")
        .hasNoCause();
    assertThatThrownBy(() -> GcpCredentials.serviceAccount(EMAIL, "1", "kid", "not a pem"))
        .isInstanceOf(KesConfigException.class);
  }

  @Test
  void escapedNewlinesAreAccepted() {
    GcpCredentials plain = GcpCredentials.serviceAccount(EMAIL, "1", "kid", TestKeys.PEM);
    GcpCredentials escaped = GcpCredentials.serviceAccount(EMAIL, "1", "kid", TestKeys.PEM_ESCAPED);
    assertThat(escaped).isEqualTo(plain);
    assertThat(escaped.clientEmail()).contains(EMAIL);
  }

  @Test
  void toStringNeverShowsTheKey() {
    GcpCredentials c = GcpCredentials.serviceAccount(EMAIL, "1", "kid-7", TestKeys.PEM);
    String body = TestKeys.PEM.split("\n")[1];
    assertThat(c.toString()).contains(EMAIL).contains("kid-7").doesNotContain(body);
    assertThat(GcpCredentials.applicationDefault().toString()).contains("application default");
  }

  @Test
  @SuppressWarnings("unchecked")
  void serviceAccountSignsItsOwnJwtWithoutATokenServer() throws Exception {
    GcpCredentials c = GcpCredentials.serviceAccount(EMAIL, "1234", "kid-7", TestKeys.PEM_ESCAPED);
    Credentials google =
        c.toGoogleCredentials("my-project", List.of(GcpSecretManagerKeyStore.DEFAULT_SCOPE));
    // no network is reachable from here: a token-server exchange would fail
    Map<String, List<String>> metadata =
        google.getRequestMetadata(URI.create("https://secretmanager.googleapis.com/"));
    String auth = metadata.get("Authorization").get(0);
    assertThat(auth).startsWith("Bearer ");
    String[] jwt = auth.substring("Bearer ".length()).split("\\.");
    assertThat(jwt).hasSize(3);
    String header = new String(Base64.getUrlDecoder().decode(jwt[0]), StandardCharsets.UTF_8);
    String claims = new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8);
    assertThat(header).contains("\"kid\":\"kid-7\"").contains("RS256");
    assertThat(claims)
        .contains("\"iss\":\"" + EMAIL + "\"")
        .contains("\"scope\":\"https://www.googleapis.com/auth/cloud-platform\"");
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(TestKeys.PAIR.getPublic());
    rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rsa.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();
  }
}
