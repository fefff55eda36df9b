package dev.kes4j.keystore.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.Identity;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyInfo;
import dev.kes4j.api.spi.KeyStores;
import dev.kes4j.core.Kes;
import dev.kes4j.core.KesConfig;
import dev.kes4j.crypto.KeyBlobFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Go KES's on-disk layout both ways (spec §5.2, §5.4): key files as Go KES writes them open in a
 * kes4j engine over this store, and keys a kes4j engine creates are files in exactly Go KES's
 * format. Vectors from {@code kes-vectors.md} §1–§3, §5, §6.
 */
class GoKesInteropTest {
  @TempDir Path dir;

  /** §6: a KeyVersion written by Go KES ≥ 2024-02 (AES256 key, HMAC-SHA256 key, creator). */
  static final String GO_PROTOBUF_KEY =
      "CiQKIMiHG7XrN94FuwblJJor4f7f6rbqAl7DwsLaiIoyz0D2EAESJAognLXl4yqa4cjZTcSbsU6sNnN8kP9ARWkXwa20"
          + "YQZa9HgQARoMCNithK0GEID67qYDIkAzZWNmY2RmMzhmY2JlMTQxYWUyNmExMDMwZjgxZTk2Yjc1MzM2NWE0Njc2"
          + "MGFlNmI1Nzg2OThhOTdjNTlmZDIy";

  static final String GO_PROTOBUF_HMAC_KEY = "nLXl4yqa4cjZTcSbsU6sNnN8kP9ARWkXwa20YQZa9Hg=";

  /** §6 encoding test: the zero AES key with a zero HMAC key, same time and creator. */
  static final String GO_PROTOBUF_ZERO_KEY =
      "CiQKIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEAESJAogAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
          + "AAAAAAAAAQARoMCNithK0GEID67qYDIkAzZWNmY2RmMzhmY2JlMTQxYWUyNmExMDMwZjgxZTk2Yjc1MzM2NWE0Njc2"
          + "MGFlNmI1Nzg2OThhOTdjNTlmZDIy";

  /** §5: the zero key as KES ≤ 0.18 (0.16.1 included) writes it. */
  static final String GO_LEGACY_ZERO_KEY =
      "{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}";

  static final String CREATOR = "3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22";

  /** Ciphertexts Go KES's tests open with the zero key into 16 zero bytes, no context. */
  static Stream<Arguments> zeroKeyCiphertexts() {
    byte[] j0 =
        ("{\"aead\":\"AES-256-GCM-HMAC-SHA-256\",\"iv\":\"xLxIN3tSCkg2xMafuvwUwg==\","
                + "\"nonce\":\"gu0mGwUkwcvMEoi5\","
                + "\"bytes\":\"WVgRjeIJm3w50C/l+y7y2i6mbNg5NCAqN1zvOYWZKmc=\"}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] m0 =
        Base64.getDecoder()
            .decode(
                "lbFBRVMyNTYtR0NNX1NIQTI1NtkgNjY2ODdhYWRmODYyYmQ3NzZjOGZjMThiOGU5ZjhlMjDEEExv7LAd4oz0"
                    + "SaHZrX5LBufEDEKME1ow1CDfUFrqv8QgJuy7Sw+jVqz99TK1HV851LT3K4mwwDv46TB2ngWkAJQ=");
    byte[] b0 =
        Base64.getDecoder()
            .decode(
                "zwdDgHeRlIFRnJ7+DIhs/ka7GFK2CFSfDELqg1VCyTQzZ58o7MAdupMLk3ZjlMo2ZUDwldL2o41nAWDc");
    return Stream.of(GO_PROTOBUF_ZERO_KEY, GO_LEGACY_ZERO_KEY)
        .flatMap(
            file ->
                Stream.of(
                    Arguments.of(file.startsWith("{") ? "legacy JSON" : "protobuf", "J0", file, j0),
                    Arguments.of(file.startsWith("{") ? "legacy JSON" : "protobuf", "M0", file, m0),
                    Arguments.of(
                        file.startsWith("{") ? "legacy JSON" : "protobuf", "B0", file, b0)));
  }

  /** Writes a key file the way Go KES does: the name as file name, mode 0600, the value as is. */
  private Path goKesWrites(String name, String value) throws IOException {
    Path file = dir.resolve(name);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(file, value.getBytes(StandardCharsets.US_ASCII));
    return file;
  }

  private Kes engine() {
    return Kes.builder().keyStore(FsKeyStore.open(dir)).manualMaintenance().build();
  }

  private static byte[] hmacSha256(byte[] key, byte[] message) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message);
  }

  @Nested
  class GoKesFilesOpenInKes4j {
    @ParameterizedTest(name = "{0} key file, ciphertext {1}")
    @MethodSource("dev.kes4j.keystore.fs.GoKesInteropTest#zeroKeyCiphertexts")
    void aZeroKeyFileDecryptsGoKesVectors(String format, String vector, String file, byte[] ct)
        throws IOException {
      goKesWrites("zero-key", file);
      try (Kes kes = engine()) {
        assertThat(kes.decrypt("zero-key", ct, new byte[0])).isEqualTo(new byte[16]);
      }
    }

    @Test
    void aProtobufKeyVersionFileDescribesGeneratesAndComputesTheGoHmac() throws Exception {
      goKesWrites("minio-key", GO_PROTOBUF_KEY);
      byte[] context = "{\"bucket\":\"photos\"}".getBytes(StandardCharsets.UTF_8);
      try (Kes kes = engine()) {
        assertThat(kes.listKeys("", "", 0).items()).containsExactly("minio-key");
        KeyInfo info = kes.describeKey("minio-key");
        assertThat(info.algorithm()).isEqualTo(KeyAlgorithm.AES256);
        assertThat(info.createdAt()).isEqualTo(Instant.parse("2024-01-12T10:39:20.886816Z"));
        assertThat(info.createdBy()).isEqualTo(CREATOR);

        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(kes.hmac("minio-key", message))
            .isEqualTo(hmacSha256(Base64.getDecoder().decode(GO_PROTOBUF_HMAC_KEY), message));

        DataKey dek = kes.generateKey("minio-key", context);
        assertThat(kes.decrypt("minio-key", dek.ciphertext(), context)).isEqualTo(dek.plaintext());
      }
      // the engine only read it: the file is as Go KES wrote it
      assertThat(Files.readString(dir.resolve("minio-key"))).isEqualTo(GO_PROTOBUF_KEY);
    }

    @Test
    void aLegacyJsonFileWorksButHasNoHmacKey() throws IOException {
      goKesWrites("old-key", GO_LEGACY_ZERO_KEY);
      try (Kes kes = engine()) {
        DataKey dek = kes.generateKey("old-key", new byte[0]);
        assertThat(kes.decrypt("old-key", dek.ciphertext(), new byte[0]))
            .isEqualTo(dek.plaintext());
        assertThat(kes.describeKey("old-key").createdAt()).isEqualTo(KeyInfo.UNKNOWN_TIME);
        assertThatThrownBy(() -> kes.hmac("old-key", new byte[] {1}))
            .isInstanceOf(KesException.class)
            .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(409));
      }
    }

    @Test
    void goKesDotfilesAndForeignFilesInTheDirectoryAreNotKeys() throws IOException {
      goKesWrites("real-key", GO_LEGACY_ZERO_KEY);
      goKesWrites(".DS_Store", "junk");
      goKesWrites("backup.tar", "junk");
      try (Kes kes = engine()) {
        assertThat(kes.listKeys("", "", 0).items()).containsExactly("real-key");
      }
    }
  }

  @Nested
  class Kes4jKeysAreGoKesFiles {
    @Test
    void aCreatedKeyIsOneMode0600FileHoldingTheBase64ProtobufKeyVersion() throws Exception {
      Identity admin = Identity.of(CREATOR);
      byte[] message = "message".getBytes(StandardCharsets.UTF_8);
      DataKey dek;
      byte[] mac;
      try (Kes kes =
          Kes.fromConfig(
              KesConfig.parse(config(dir, CREATOR)),
              KeyStores.discover(),
              b -> b.manualMaintenance())) {
        kes.as(admin).createKey("kes4j-key");
        dek = kes.generateKey("kes4j-key", new byte[0]);
        mac = kes.hmac("kes4j-key", message);
      }
      Path file = dir.resolve("kes4j-key");
      assertThat(Files.getPosixFilePermissions(file))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      String text = Files.readString(file, StandardCharsets.US_ASCII);
      assertThat(text).matches("[A-Za-z0-9+/]+={0,2}"); // ASCII std-base64, no newline

      // Decode independently of kes4j, with the protobuf rules of spec §5.2.
      Map<Integer, byte[]> version = fields(Base64.getDecoder().decode(text));
      assertThat(version.keySet()).containsExactly(1, 2, 3, 4);
      Map<Integer, byte[]> secret = fields(version.get(1));
      assertThat(secret.get(1)).hasSize(32);
      assertThat(varint(secret.get(2))).isEqualTo(1); // AES256
      Map<Integer, byte[]> hmac = fields(version.get(2));
      assertThat(hmac.get(1)).hasSize(32);
      assertThat(varint(hmac.get(2))).isEqualTo(1); // SHA256
      long seconds = varint(fields(version.get(3)).get(1));
      assertThat(Instant.ofEpochSecond(seconds))
          .isBetween(Instant.now().minusSeconds(600), Instant.now());
      assertThat(new String(version.get(4), StandardCharsets.US_ASCII)).isEqualTo(CREATOR);
      assertThat(mac).isEqualTo(hmacSha256(hmac.get(1), message));

      // The master key in the file is the one that sealed the data key: as a legacy file under
      // another name (what KES 0.16 would read) it opens the same ciphertext.
      goKesWrites(
          "same-key-legacy",
          "{\"bytes\":\"" + Base64.getEncoder().encodeToString(secret.get(1)) + "\"}");
      try (Kes kes = engine()) {
        assertThat(kes.decrypt("same-key-legacy", dek.ciphertext(), new byte[0]))
            .isEqualTo(dek.plaintext());
        assertThat(kes.decrypt("kes4j-key", dek.ciphertext(), new byte[0]))
            .as("a restarted engine over the same directory")
            .isEqualTo(dek.plaintext());
      }
    }

    @Test
    void withTheLegacyKeyFormatAKeyIsTheJsonEveryGoKesReads() throws IOException {
      try (Kes kes =
          Kes.builder()
              .keyStore(FsKeyStore.open(dir))
              .keyFormat(KeyBlobFormat.LEGACY_JSON)
              .manualMaintenance()
              .build()) {
        kes.createKey("legacy-key");
      }
      String text = Files.readString(dir.resolve("legacy-key"), StandardCharsets.US_ASCII);
      assertThat(text)
          .matches("\\{\"bytes\":\"[A-Za-z0-9+/]{43}=\"(,\"created_at\":\"[^\"]+\")?\\}");
      assertThat(text).doesNotContain("\"algorithm\""); // spec §5.2: never for AES256 keys
    }
  }

  @Nested
  class KesConfigSelectsThisStore {
    @Test
    void aFullGoKesConfigWithAnFsKeystoreRunsUnchanged() throws IOException {
      Path keys = dir.resolve("keys");
      Path configFile = Files.writeString(dir.resolve("config.yml"), config(keys, CREATOR));
      try (Kes kes = Kes.fromConfig(configFile)) {
        assertThat(keys.resolve("my-app-key")).isRegularFile(); // keys: created at startup
        kes.createKey("second-key");
        assertThat(kes.listKeys("*", "", 0).items()).containsExactly("my-app-key", "second-key");
        assertThat(kes.status().keyStoreReachable()).isTrue();
      }
      try (Stream<Path> files = Files.list(keys)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("my-app-key", "second-key");
      }
      // a restart over the same directory finds the keys, and config keys that exist are fine
      try (Kes kes = Kes.fromConfig(configFile)) {
        kes.deleteKey("second-key");
        assertThat(keys.resolve("second-key")).doesNotExist();
      }
    }

    @Test
    void thePathMayComeFromTheEnvironment() {
      Path keys = dir.resolve("env-keys");
      String yaml = config(Path.of("${KES_KEY_DIR}"), CREATOR);
      Map<String, String> env = new LinkedHashMap<>(Map.of("KES_KEY_DIR", keys.toString()));
      KesConfig cfg = KesConfig.parse(yaml, new KesConfig.Options(env::get, true));
      try (Kes kes = Kes.fromConfig(cfg, KeyStores.discover(), b -> b.manualMaintenance())) {
        assertThat(kes.listKeys("", "", 0).items()).containsExactly("my-app-key");
      }
      assertThat(keys.resolve("my-app-key")).isRegularFile();
    }

    @Test
    void aV016ConfigSelectsItToo() {
      Path keys = dir.resolve("old-keys");
      String yaml =
          "address: 0.0.0.0:7373\n"
              + "root: disabled\n"
              + "tls:\n  key: ./server.key\n  cert: ./server.cert\n"
              + "keys:\n  - name: my-app-key\n"
              + "keystore:\n  fs:\n    path: "
              + keys
              + "\n";
      try (Kes kes = Kes.fromConfig(KesConfig.parse(yaml), KeyStores.discover(), b -> {})) {
        assertThat(kes.listKeys("", "", 0).items()).containsExactly("my-app-key");
      }
      assertThat(keys.resolve("my-app-key")).isRegularFile();
    }
  }

  /** A Go KES server config (schema of spec §7.1) using the fs key store. */
  static String config(Path keys, String admin) {
    return String.join(
        "\n",
        List.of(
            "version: v1",
            "address: 0.0.0.0:7373",
            "admin:",
            "  identity: " + admin,
            "tls:",
            "  key: ./server.key",
            "  cert: ./server.cert",
            "  auth: off",
            "policy:",
            "  minio:",
            "    allow:",
            "    - /v1/key/create/*",
            "    - /v1/key/generate/*",
            "    - /v1/key/decrypt/*",
            "    identities:",
            "    - 189d9de5331e3ee8abe9e4bd40d474ad621d79ccf83a711f6ac68050eb15a52a",
            "cache:",
            "  expiry:",
            "    any: 5m",
            "    unused: 20s",
            "log:",
            "  error: on",
            "  audit: off",
            "keys:",
            "  - name: my-app-key",
            "keystore:",
            "  fs:",
            "    path: " + keys,
            ""));
  }

  // ---- a minimal protobuf reader (length-delimited and varint fields only), for the tests

  /** Field number → value (varint as its bytes re-encoded little-endian 8 bytes, or the bytes). */
  private static Map<Integer, byte[]> fields(byte[] message) {
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    int[] pos = {0};
    int last = 0;
    while (pos[0] < message.length) {
      long tag = readVarint(message, pos);
      int field = (int) (tag >>> 3);
      assertThat(field).as("fields in ascending order").isGreaterThan(last);
      last = field;
      switch ((int) (tag & 7)) {
        case 0 -> {
          long v = readVarint(message, pos);
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          for (int i = 0; i < 8; i++) {
            b.write((int) (v >>> (8 * i)));
          }
          out.put(field, b.toByteArray());
        }
        case 2 -> {
          int len = (int) readVarint(message, pos);
          byte[] v = new byte[len];
          System.arraycopy(message, pos[0], v, 0, len);
          pos[0] += len;
          out.put(field, v);
        }
        default -> throw new AssertionError("unexpected wire type in tag " + tag);
      }
    }
    return out;
  }

  private static long varint(byte[] le) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (le[i] & 0xFF);
    }
    return v;
  }

  private static long readVarint(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      byte x = b[pos[0]++];
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
  }
}
