package dev.kes4j.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.Identity;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyTest {
  static Stream<Arguments> identityVectors() {
    return Stream.of(
        Arguments.of(
            "kes:v1:AD9E7FSYWrMD+VjhI6q545cYT9YOyFxZb7UnjEepYDRc",
            "3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22"),
        Arguments.of(
            "kes:v1:AGaV6VXHasF0FnaB60WdCOeTZ8eTIDikL4zlN16c8NAs",
            "ea9826089311fe44d7590408ede9150f7c637b6cab0a91ee6fe1aa5d9fb366f6"),
        Arguments.of(
            "kes:v1:ACQpoGqx3rHHjT938Hfu5hVVQJHZWSqVI2Xp1KlYxFVw",
            "0426fa9a04bc2756b92fbe8a97e1a1e07b53ecf04ed33da22c33e5c9faeb8cbb"),
        Arguments.of(
            "kes:v1:AMxvd2uV1l5dDSRwuKZxSjuM5BDemlr+685+JAHA1TuJ",
            "ab785e3b95d80d72cc9c27cb9fde886a0bf9068a69d40e3bd08a54e68c3f2bf7"));
  }

  @Property(tries = 30)
  void generatedKeysRoundTrip() {
    ApiKey k = ApiKey.generate();
    ApiKey back = ApiKey.parse(k.encode());
    assertThat(back.identity()).isEqualTo(k.identity());
    assertThat(back.publicKey().getEncoded()).isEqualTo(k.publicKey().getEncoded());
  }

  @Property(tries = 30)
  void anySeedDerivesAWorkingKeyPair(@ForAll @Size(32) List<Byte> seedBytes) throws Exception {
    byte[] raw = new byte[33];
    for (int i = 0; i < 32; i++) {
      raw[i + 1] = seedBytes.get(i);
    }
    ApiKey k = ApiKey.parse(Base64.getEncoder().encodeToString(raw));
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(k.privateKey());
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    s.initVerify(k.publicKey());
    s.update(new byte[] {1, 2, 3});
    assertThat(s.verify(sig)).isTrue();
    assertThat(k.identity()).isEqualTo(Identity.ofSubjectPublicKeyInfo(k.publicKey().getEncoded()));
    assertThat(k.publicKey().getEncoded())
        .startsWith(java.util.HexFormat.of().parseHex("302a300506032b6570032100"));
  }

  @Nested
  class Parsing {
    @ParameterizedTest
    @MethodSource("dev.kes4j.policy.ApiKeyTest#identityVectors")
    void identityVectors(String key, String identity) {
      ApiKey k = ApiKey.parse(key);
      assertThat(k.identity()).isEqualTo(Identity.of(identity));
      assertThat(k.encode()).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "kes:v1:AGaV6VXHasF0FnaB60WdCOeTZ8eTIDikL4zlN16c8NAs",
          "kes:v1:AM0F5TP43FYEShMzA42f2drFYGnBOiNx7UH4DK0nm08E"
        })
    void validKeysReserialiseIdentically(String key) {
      assertThat(ApiKey.parse(key).encode()).isEqualTo(key);
      assertThat(ApiKey.parse(ApiKey.parse(key).encode())).isEqualTo(ApiKey.parse(key));
    }

    @Test
    void prefixIsOptional() {
      String key = "kes:v1:AD9E7FSYWrMD+VjhI6q545cYT9YOyFxZb7UnjEepYDRc";
      assertThat(ApiKey.parse(key.substring(ApiKey.PREFIX.length()))).isEqualTo(ApiKey.parse(key));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "v1:AM0F5TP43FYEShMzA42f2drFYGnBOiNx7UH4DK0nm08E",
          "kes:AM0F5TP43FYEShMzA42f2drFYGnBOiNx7UH4DK0nm08E",
          "kes:v1:sbDvZFqUPFFwxRS4EkuoEb2nyyInkdKSUEYHXFHeTouW",
          "kes:v1:",
          "",
          "kes:v1:AM0F5TP43FYEShMzA42f2drFYGnBOiNx7UH4DK0nm0",
          "kes:v1:AM0F5TP43FYEShMzA42f2drFYGnBOiNx7UH4DK0nm08EAAAA",
          "kes:v1:AM0F5TP43FYEShMzA42f2drF!GnBOiNx7UH4DK0nm08E",
          "KES:V1:AM0F5TP43FYEShMzA42f2drFYGnBOiNx7UH4DK0nm08E"
        })
    void invalidKeysAreRejectedWithoutEchoingThem(String key) {
      assertThatThrownBy(() -> ApiKey.parse(key))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid API key")
          .hasNoCause()
          .satisfies(
              e -> {
                String body = key.startsWith("kes:v1:") ? key.substring(7) : key;
                if (body.length() > 4) {
                  assertThat(e.getMessage()).doesNotContain(body.substring(0, 5));
                }
              });
    }

    @Test
    void typeByteMustBeZero() {
      byte[] raw = new byte[33];
      raw[0] = 1;
      assertThatThrownBy(() -> ApiKey.parse("kes:v1:" + Base64.getEncoder().encodeToString(raw)))
          .hasMessageContaining("unsupported key type");
    }
  }

  @Nested
  class Secrecy {
    @Test
    void toStringIsRedacted() {
      ApiKey k = ApiKey.parse("kes:v1:AD9E7FSYWrMD+VjhI6q545cYT9YOyFxZb7UnjEepYDRc");
      assertThat(k.toString())
          .contains(k.identity().value())
          .contains("redacted")
          .doesNotContain("AD9E7FSYWrMD")
          .doesNotContain("kes:v1:");
    }

    @Test
    void equalityIsBySecret() {
      ApiKey a = ApiKey.generate();
      assertThat(ApiKey.parse(a.encode())).isEqualTo(a).hasSameHashCodeAs(a);
      assertThat(ApiKey.generate()).isNotEqualTo(a);
    }
  }

  @Nested
  class KeyPairs {
    @Test
    void fromPkcs8AndPem() {
      ApiKey k = ApiKey.parse("kes:v1:AD9E7FSYWrMD+VjhI6q545cYT9YOyFxZb7UnjEepYDRc");
      byte[] pkcs8 = k.privateKey().getEncoded();
      assertThat(ApiKey.fromPkcs8(pkcs8)).isEqualTo(k);
      assertThat(ApiKey.fromPrivateKey(k.privateKey()).encode()).isEqualTo(k.encode());
      String pem =
          "some header\n-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(pkcs8)
              + "\n-----END PRIVATE KEY-----\n";
      assertThat(ApiKey.fromPem(pem)).isEqualTo(k);
    }

    @Test
    void rootKeyPemVector() {
      // PKCS#8 of root.key's seed (the 16-byte Ed25519 PKCS#8 header + seed from the API key
      // vector)
      byte[] seed =
          java.util.Arrays.copyOfRange(
              Base64.getDecoder().decode("AD9E7FSYWrMD+VjhI6q545cYT9YOyFxZb7UnjEepYDRc"), 1, 33);
      byte[] der =
          java.util.HexFormat.of()
              .parseHex(
                  "302e020100300506032b657004220420" + java.util.HexFormat.of().formatHex(seed));
      ApiKey k = ApiKey.fromPkcs8(der);
      assertThat(k.identity().value())
          .isEqualTo("3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22");
      assertThat(k.encode()).isEqualTo("kes:v1:AD9E7FSYWrMD+VjhI6q545cYT9YOyFxZb7UnjEepYDRc");
    }

    @Test
    void nonEd25519KeysAreRejected() {
      KeyPair rsa = TestCerts.keyPair("RSA");
      assertThatThrownBy(() -> ApiKey.fromPrivateKey(rsa.getPrivate()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Ed25519");
      assertThatThrownBy(() -> ApiKey.fromPkcs8(rsa.getPrivate().getEncoded()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ApiKey.fromPkcs8(new byte[] {1, 2, 3}))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ApiKey.fromPem("no pem here"))
          .isInstanceOf(IllegalArgumentException.class);
      KeyPair ed448 = TestCerts.keyPair("Ed448");
      assertThatThrownBy(() -> ApiKey.fromPrivateKey(ed448.getPrivate()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Ed448");
    }
  }

  @Nested
  class SelfSignedCertificate {
    final ApiKey key = ApiKey.parse("kes:v1:AD9E7FSYWrMD+VjhI6q545cYT9YOyFxZb7UnjEepYDRc");

    @Test
    void looksLikeAKesClientCertificate() throws Exception {
      Instant now = Instant.parse("2025-06-01T12:34:56.789Z");
      X509Certificate c = key.selfSignedCertificate(now);
      String id = "3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22";
      assertThat(Identity.of(c).value()).isEqualTo(id);
      assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=" + id);
      assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
      assertThat(c.getVersion()).isEqualTo(3);
      assertThat(c.getSigAlgName()).isIn("Ed25519", "EdDSA");
      assertThat(c.getNotBefore().toInstant()).isEqualTo(Instant.parse("2025-06-01T12:34:56Z"));
      assertThat(Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()))
          .isEqualTo(Duration.ofDays(90));
      assertThat(c.getKeyUsage()[0]).isTrue(); // digitalSignature
      for (int i = 1; i < c.getKeyUsage().length; i++) {
        assertThat(c.getKeyUsage()[i]).isFalse();
      }
      assertThat(c.getCriticalExtensionOIDs()).contains("2.5.29.15");
      assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
      assertThat(c.getBasicConstraints()).isEqualTo(-1);
      assertThat(c.getSerialNumber().signum()).isPositive();
      assertThat(c.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
      c.verify(key.publicKey());
      c.checkValidity(java.util.Date.from(now.plus(Duration.ofDays(1))));
      assertThat(Identities.fromPeerChain(new X509Certificate[] {c})).isEqualTo(key.identity());
    }

    @Test
    void eachCertificateHasAFreshSerial() {
      assertThat(key.selfSignedCertificate().getSerialNumber())
          .isNotEqualTo(key.selfSignedCertificate().getSerialNumber());
    }

    @Test
    void certificateIsValidNow() throws Exception {
      key.selfSignedCertificate().checkValidity();
    }
  }
}
