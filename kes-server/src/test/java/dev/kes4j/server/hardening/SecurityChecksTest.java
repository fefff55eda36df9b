package dev.kes4j.server.hardening;

import static dev.kes4j.server.hardening.Fixture.ADMIN;
import static dev.kes4j.server.hardening.Fixture.EMPTY;
import static dev.kes4j.server.hardening.Fixture.NOBODY;
import static dev.kes4j.server.hardening.Fixture.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.CiphertextFormat;
import dev.kes4j.api.DataKey;
import dev.kes4j.api.DecryptionException;
import dev.kes4j.api.Identity;
import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.crypto.KeyVersion;
import dev.kes4j.crypto.MasterKey;
import dev.kes4j.http.KesHttpApi;
import dev.kes4j.keystore.mem.MemKeyStore;
import dev.kes4j.policy.internal.pki.Pem;
import dev.kes4j.server.KesServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Security checks of issue 10: deny-by-default on every route of the server's route table, TLS 1.2+
 * only, tags and identities compared as the spec wants, key material zeroed where Java allows, and
 * key passwords never in an error.
 */
class SecurityChecksTest {
  static Kes kes;
  static KesHttpApi api;
  static KesServer server;

  @BeforeAll
  static void start() {
    KesConfig cfg = Fixture.config("");
    kes = Kes.builder().keyStore(new MemKeyStore()).policies(cfg.policySet()).build();
    kes.createKey("k");
    api = KesHttpApi.fromConfig(kes, cfg);
    server = Fixture.start(api);
  }

  @AfterAll
  static void stop() {
    server.close();
    kes.close();
  }

  // ---- deny by default -------------------------------------------------------------------------

  @Test
  void identitiesWithoutPermissionsGet403OnEveryVerifiedRoute() throws Exception {
    List<String> checked = new ArrayList<>();
    for (HttpClient c : List.of(Fixture.client(EMPTY), Fixture.client(NOBODY))) {
      for (KesHttpApi.Route route : api.routes()) {
        String path = route.path() + (route.takesResource() ? "k" : "");
        HttpResponse<String> r = Fixture.send(c, server, route.method(), path, "{}");
        if (route.auth() == KesHttpApi.Auth.VERIFY) {
          assertThat(r.statusCode()).as("%s %s", route.method(), path).isEqualTo(403);
          assertThat(r.body()).isEqualTo(error("prohibited by policy"));
          checked.add(path);
        } else {
          assertThat(r.statusCode()).as("%s %s", route.method(), path).isLessThan(500);
        }
      }
    }
    assertThat(checked).hasSizeGreaterThanOrEqualTo(2 * 20);
    assertThat(kes.listKeys("", "", 0).items()).containsExactly("k"); // nothing happened
  }

  // ---- TLS 1.2+ only ---------------------------------------------------------------------------

  /** A hand-made TLS 1.0 / 1.1 ClientHello: the server must answer with an alert or close. */
  @ParameterizedTest
  @ValueSource(ints = {0x0301, 0x0302})
  void tlsBelow12IsRefused(int version) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(clientHello(version));
      out.flush();
      InputStream in = s.getInputStream();
      int type = in.read();
      if (type == -1) {
        return; // closed without a word: refused
      }
      assertThat(type).as("TLS record type (21 = alert, 22 = handshake)").isEqualTo(21);
      byte[] header = new DataInputStream(in).readNBytes(4);
      int alertLength = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
      byte[] alert = in.readNBytes(alertLength);
      assertThat(alert[0]).as("fatal").isEqualTo((byte) 2);
    }
    assertServing();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void tls12And13AreServed(String protocol) throws Exception {
    try (SSLSocket s =
        (SSLSocket)
            Fixture.sslContext(ADMIN)
                .getSocketFactory()
                .createSocket("127.0.0.1", server.address().getPort())) {
      s.setEnabledProtocols(new String[] {protocol});
      s.startHandshake();
      assertThat(s.getSession().getProtocol()).isEqualTo(protocol);
    }
  }

  @Test
  void aJdkClientLimitedToTls11CannotConnect() throws Exception {
    try (SSLSocket s =
        (SSLSocket)
            Fixture.sslContext(ADMIN)
                .getSocketFactory()
                .createSocket("127.0.0.1", server.address().getPort())) {
      List<String> supported = Arrays.asList(s.getSupportedProtocols());
      if (supported.contains("TLSv1.1")) {
        s.setEnabledProtocols(new String[] {"TLSv1.1"});
      }
      assertThatThrownBy(s::startHandshake).isInstanceOf(IOException.class);
    }
    assertServing();
  }

  static byte[] clientHello(int version) {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    int[] suites = {0xc009, 0xc00a, 0xc013, 0xc014, 0x002f, 0x0035, 0x000a};
    ByteList body = new ByteList();
    body.u16(version).bytes(random).u8(0); // version, random, empty session id
    body.u16(suites.length * 2);
    for (int s : suites) {
      body.u16(s);
    }
    body.u8(1).u8(0); // compression: null
    ByteList ext = new ByteList();
    ext.u16(0x000a).u16(6).u16(4).u16(0x0017).u16(0x0018); // supported_groups: P-256, P-384
    ext.u16(0x000b).u16(2).u8(1).u8(0); // ec_point_formats: uncompressed
    body.u16(ext.size()).bytes(ext.toArray());
    ByteList hs = new ByteList();
    hs.u8(1).u24(body.size()).bytes(body.toArray());
    ByteList record = new ByteList();
    record.u8(22).u16(0x0301).u16(hs.size()).bytes(hs.toArray());
    return record.toArray();
  }

  /** A tiny big-endian byte writer. */
  static final class ByteList {
    private byte[] buf = new byte[64];
    private int n;

    ByteList u8(int v) {
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, n * 2);
      }
      buf[n++] = (byte) v;
      return this;
    }

    ByteList u16(int v) {
      return u8(v >> 8).u8(v);
    }

    ByteList u24(int v) {
      return u8(v >> 16).u16(v);
    }

    ByteList bytes(byte[] b) {
      for (byte x : b) {
        u8(x);
      }
      return this;
    }

    int size() {
      return n;
    }

    byte[] toArray() {
      return Arrays.copyOf(buf, n);
    }
  }

  static void assertServing() throws Exception {
    HttpResponse<String> r =
        Fixture.send(Fixture.client(ADMIN), server, "POST", "/v1/key/generate/k", null);
    assertThat(r.statusCode()).isEqualTo(200);
  }

  // ---- comparisons -----------------------------------------------------------------------------

  /**
   * Review note (issue 10): {@code Identity.equals} compares the 32 hash bytes with {@code
   * MessageDigest.isEqual} (constant time since JDK 6u17); policy lookups hash identities into maps
   * first, which compares only equal-hash candidates. AEAD tags are verified inside JCA's {@code
   * Cipher.doFinal} (GCM and ChaCha20-Poly1305 compare tags in constant time), and every failure
   * collapses into one {@link DecryptionException} message, so neither timing of our code nor error
   * text tells which byte was wrong. This test pins the observable half: any single changed byte of
   * a sealed value fails with the one fixed message.
   */
  @ParameterizedTest
  @ValueSource(strings = {"AES256", "CHACHA20"})
  void everyTamperedByteFailsWithTheOneFixedMessage(String algorithm) {
    MasterKey key = MasterKey.generate(KeyAlgorithm.valueOf(algorithm));
    byte[] context = "ctx".getBytes(StandardCharsets.UTF_8);
    byte[] sealed = key.seal(new byte[32], context, CiphertextFormat.BINARY);
    for (int i = 0; i < sealed.length; i++) {
      byte[] t = sealed.clone();
      t[i] ^= 0x01;
      assertThatThrownBy(() -> key.open(t, context))
          .isInstanceOf(DecryptionException.class)
          .hasMessage("decryption failed: ciphertext is not authentic")
          .hasNoCause();
    }
  }

  @Test
  void identitiesDifferingInAnyPositionAreUnequal() {
    String base = Fixture.id(ADMIN).value();
    for (int i = 0; i < base.length(); i++) {
      char c = base.charAt(i) == '0' ? '1' : '0';
      String other = base.substring(0, i) + c + base.substring(i + 1);
      assertThat(Identity.of(other)).isNotEqualTo(Identity.of(base));
    }
    assertThat(Identity.of(base)).isEqualTo(Fixture.id(ADMIN));
  }

  // ---- zeroing ---------------------------------------------------------------------------------

  @Test
  void destroyZeroesDataKeysMasterKeysAndKeyVersions() throws Exception {
    byte[] plain = new byte[32];
    Arrays.fill(plain, (byte) 7);
    DataKey dek = new DataKey(plain, new byte[] {1});
    dek.destroy();
    assertThat(dek.isDestroyed()).isTrue();
    assertThatThrownBy(dek::plaintext).isInstanceOf(IllegalStateException.class);
    assertThat((byte[]) field(dek, "plaintext")).containsOnly(0);
    assertThat(dek.toString()).doesNotContain("7,");

    MasterKey master = MasterKey.generate(KeyAlgorithm.AES256);
    KeyVersion version = KeyVersion.generate(KeyAlgorithm.AES256, Instant.now(), "");
    master.destroy();
    assertThat((byte[]) field(master, "key")).containsOnly(0);
    assertThatThrownBy(() -> master.seal(new byte[1], new byte[0], CiphertextFormat.BINARY))
        .isInstanceOf(IllegalStateException.class);
    MasterKey inner = (MasterKey) field(version, "masterKey");
    version.destroy();
    assertThat(version.isDestroyed()).isTrue();
    assertThat((byte[]) field(version, "hmacKey")).containsOnly(0);
    assertThat((byte[]) field(inner, "key")).containsOnly(0);
  }

  private static Object field(Object o, String name) throws ReflectiveOperationException {
    Field f = o.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(o);
  }

  // ---- key passwords ---------------------------------------------------------------------------

  @Test
  void aWrongKeyPasswordIsNeverInTheError(@TempDir Path dir) throws Exception {
    String pem;
    try (InputStream in =
        SecurityChecksTest.class.getResourceAsStream(
            "ServerFuzzTestInputs/pem/ec-pkcs8-encrypted")) {
      byte[] seed = in.readAllBytes();
      pem = new String(seed, 1, seed.length - 1, StandardCharsets.UTF_8); // byte 0: fuzz flags
    }
    Path file = Files.writeString(dir.resolve("key.pem"), pem);
    assertThat(Pem.readPrivateKey(file, "pw-fuzz-secret".toCharArray())).isNotNull();
    String wrong = "Wrong-Password-" + new SecureRandom().nextInt(1_000_000);
    assertThatThrownBy(() -> Pem.readPrivateKey(file, wrong.toCharArray()))
        .isInstanceOf(KesConfigException.class)
        .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(wrong))
        .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain(wrong));
    assertThatThrownBy(() -> Pem.readPrivateKey(file, new char[0]))
        .isInstanceOf(KesConfigException.class)
        .hasMessageContaining("encrypted");
  }
}
