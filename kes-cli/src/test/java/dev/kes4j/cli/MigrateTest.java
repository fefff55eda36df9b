package dev.kes4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.crypto.KeyBlobFormat;
import dev.kes4j.crypto.KeyBlobs;
import dev.kes4j.crypto.KeyVersion;
import dev.kes4j.keystore.fs.FsKeyStore;
import dev.kes4j.keystore.gcp.GcpSecretManagerKeyStore;
import dev.kes4j.keystore.gcp.fake.FakeSecretManager;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kes4j migrate} end to end: the CLI in-process, KES configs on disk, the GCP key store
 * talking real gRPC to {@link FakeSecretManager} (with its fault injection), and the {@code fs}
 * store in a temporary directory.
 */
class MigrateTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;
  private FakeSecretManager fake;

  @BeforeEach
  void startFake() {
    fake = new FakeSecretManager().start();
  }

  @AfterEach
  void stopFake() {
    fake.close();
  }

  /** A key in each format any KES version wrote, exactly as written (odd spacing included). */
  static Map<String, byte[]> keysOfEveryFormat() {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    keys.put(
        "legacy-json",
        ("{\"bytes\":\"" + Base64.getEncoder().encodeToString(k) + "\"}")
            .getBytes(StandardCharsets.UTF_8));
    RANDOM.nextBytes(k);
    keys.put(
        "minio-v019",
        ("{ \"bytes\" : \""
                + Base64.getEncoder().encodeToString(k)
                + "\", \"algorithm\":\"XCHACHA20-POLY1305\",\"created_at\":"
                + "\"2023-05-01T10:00:00Z\",\"created_by\":\"abc\" }")
            .getBytes(StandardCharsets.UTF_8));
    keys.put(
        "minio-protobuf",
        KeyBlobs.encode(
            KeyVersion.generate(KeyAlgorithm.AES256, Instant.now(), "test"),
            KeyBlobFormat.PROTOBUF));
    return keys;
  }

  static byte[] protobufKey() {
    return KeyBlobs.encode(
        KeyVersion.generate(KeyAlgorithm.AES256, Instant.now(), "test"), KeyBlobFormat.PROTOBUF);
  }

  Path gcpConfig(String name, String project) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(
        p,
        "admin:\n  identity: disabled\n"
            + "keystore:\n  gcp:\n    secretmanager:\n"
            + "      project_id: "
            + project
            + "\n      endpoint: "
            + fake.endpoint()
            + "\n      timeout: 3s\n");
    return p;
  }

  Path fsConfig(String name, Path keys) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(
        p, "admin:\n  identity: disabled\nkeystore:\n  fs:\n    path: " + keys + "\n");
    return p;
  }

  KeyStore gcp(String project) {
    return GcpSecretManagerKeyStore.builder()
        .projectId(project)
        .endpoint(fake.endpoint())
        .timeout(Duration.ofSeconds(3))
        .build();
  }

  static void seed(KeyStore store, Map<String, byte[]> keys) {
    keys.forEach(store::create);
  }

  static void assertHolds(KeyStore store, Map<String, byte[]> keys) {
    keys.forEach((name, bytes) -> assertThat(store.get(name)).as(name).isEqualTo(bytes));
    assertThat(store.list("", "", 0).items()).containsExactlyInAnyOrderElementsOf(keys.keySet());
  }

  static CliServer.Result migrate(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "migrate";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliServer.run(Map.of(), all);
  }

  @Test
  void gcpToFsCopiesEveryFormatByteForByteAndARerunSkipsThem() throws Exception {
    Map<String, byte[]> keys = keysOfEveryFormat();
    try (KeyStore src = gcp("project-a")) {
      seed(src, keys);
    }
    Path from = gcpConfig("gcp.yml", "project-a");
    Path to = fsConfig("fs.yml", dir.resolve("keys"));

    CliServer.Result r = migrate("--from", from.toString(), "--to", to.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("copied 3, skipped 0, failed 0 (3 keys matching '*')\n");
    try (KeyStore fs = FsKeyStore.open(dir.resolve("keys"))) {
      assertHolds(fs, keys);
    }

    CliServer.Result again = migrate("--from", from.toString(), "--to", to.toString());
    assertThat(again.code()).isZero();
    assertThat(again.out()).isEqualTo("copied 0, skipped 3, failed 0 (3 keys matching '*')\n");
  }

  @Test
  void fsToGcpAndProjectToProjectAlsoAsKes016ToolMigrate() throws Exception {
    Map<String, byte[]> keys = keysOfEveryFormat();
    try (KeyStore fs = FsKeyStore.open(dir.resolve("keys"))) {
      seed(fs, keys);
    }
    Path fsCfg = fsConfig("fs.yml", dir.resolve("keys"));
    Path a = gcpConfig("a.yml", "project-a");
    Path b = gcpConfig("b.yml", "project-b");

    assertThat(migrate("--from", fsCfg.toString(), "--to", a.toString()).code()).isZero();
    CliServer.Result r =
        CliServer.run(
            Map.of(), "tool", "migrate", "--from=" + a, "--to=" + b); // KES 0.16's spelling
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("copied 3, skipped 0, failed 0");
    try (KeyStore pa = gcp("project-a");
        KeyStore pb = gcp("project-b")) {
      assertHolds(pa, keys);
      assertHolds(pb, keys);
    }
    assertThat(fake.secretIds("project-b")).containsExactlyInAnyOrderElementsOf(keys.keySet());
  }

  @Test
  void aTargetFailingMidWayFailsThatKeyOnlyAndARerunCopiesIt() throws Exception {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (String n : new String[] {"k1", "k2", "k3", "k4", "k5"}) {
      keys.put(n, protobufKey());
    }
    try (KeyStore fs = FsKeyStore.open(dir.resolve("keys"));
        KeyStore target = gcp("project-b")) {
      seed(fs, keys);
      // an earlier run got as far as k2: those creates answer ALREADY_EXISTS, k3 is the first write
      target.create("k1", keys.get("k1"));
      target.create("k2", keys.get("k2"));
    }
    fake.failNext(FakeSecretManager.Method.ADD_SECRET_VERSION, Status.Code.PERMISSION_DENIED, 1);
    Path from = fsConfig("fs.yml", dir.resolve("keys"));
    Path to = gcpConfig("b.yml", "project-b");

    CliServer.Result r = migrate("--from", from.toString(), "--to", to.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("copied 2, skipped 2, failed 1 (5 keys matching '*')\n");
    assertThat(r.err())
        .contains("kes4j: error: key 'k3': target: failed to create key")
        .contains("PERMISSION_DENIED")
        .contains("run the same command again")
        .doesNotContain("Exception")
        .doesNotContain("io.grpc");
    // never a half-copied key: k3 is not at the target at all
    assertThat(fake.secretIds("project-b")).containsExactlyInAnyOrder("k1", "k2", "k4", "k5");

    CliServer.Result rerun = migrate("--from", from.toString(), "--to", to.toString());
    assertThat(rerun.code()).as(rerun.err()).isZero();
    assertThat(rerun.out()).isEqualTo("copied 1, skipped 4, failed 0 (5 keys matching '*')\n");
    try (KeyStore target = gcp("project-b")) {
      assertHolds(target, keys);
    }
  }

  @Test
  void anUnreachableTargetStopsTheRunAndARerunResumes() throws Exception {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (String n : new String[] {"k1", "k2", "k3", "k4"}) {
      keys.put(n, protobufKey());
    }
    try (KeyStore fs = FsKeyStore.open(dir.resolve("keys"));
        KeyStore target = gcp("project-b")) {
      seed(fs, keys);
      target.create("k1", keys.get("k1"));
    }
    fake.failNext(FakeSecretManager.Method.ADD_SECRET_VERSION, Status.Code.UNAVAILABLE, 1000);
    Path from = fsConfig("fs.yml", dir.resolve("keys"));
    Path to = gcpConfig("b.yml", "project-b");

    CliServer.Result r = migrate("--from", from.toString(), "--to", to.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .isEqualTo("copied 0, skipped 1, failed 1 (4 keys matching '*'; stopped early)\n");
    assertThat(r.err())
        .contains("kes4j: error: key 'k2': target: failed to create key")
        .contains("stopped: the target key store is unreachable")
        .doesNotContain("k3")
        .doesNotContain("Exception");
    assertThat(fake.secretIds("project-b")).containsExactly("k1");

    fake.clearFaults();
    CliServer.Result rerun = migrate("--from", from.toString(), "--to", to.toString());
    assertThat(rerun.code()).as(rerun.err()).isZero();
    assertThat(rerun.out()).isEqualTo("copied 3, skipped 1, failed 0 (4 keys matching '*')\n");
    try (KeyStore target = gcp("project-b")) {
      assertHolds(target, keys);
    }
  }

  @Test
  void anUnreachableSourceIsAnErrorInWords() throws Exception {
    fake.failNext(FakeSecretManager.Method.LIST_SECRETS, Status.Code.UNAVAILABLE, 1000);
    Path from = gcpConfig("a.yml", "project-a");
    Path to = fsConfig("fs.yml", dir.resolve("keys"));
    CliServer.Result r = migrate("--from", from.toString(), "--to", to.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("kes4j: error: cannot list the source's keys: failed to list keys")
        .contains("UNAVAILABLE")
        .doesNotContain("Exception");
  }

  @Test
  void dryRunWritesNothingAndSaysWhatWouldHappen() throws Exception {
    Map<String, byte[]> keys = keysOfEveryFormat();
    try (KeyStore src = gcp("project-a")) {
      seed(src, keys);
    }
    try (KeyStore fs = FsKeyStore.open(dir.resolve("keys"))) {
      fs.create("legacy-json", keys.get("legacy-json")); // the same: skipped
      fs.create("minio-v019", protobufKey()); // different: would fail without --force
    }
    Path from = gcpConfig("gcp.yml", "project-a");
    Path to = fsConfig("fs.yml", dir.resolve("keys"));

    CliServer.Result r = migrate("--dry-run", "--from", from.toString(), "--to", to.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .isEqualTo(
            "dry run: would copy 1, would replace 0, would skip 1, would fail 1"
                + " (3 keys matching '*'); nothing was written\n");
    assertThat(r.err()).contains("key 'minio-v019': a different key exists at the target");

    CliServer.Result forced =
        migrate("--dry-run", "--force", "--from", from.toString(), "--to", to.toString());
    assertThat(forced.code()).isZero();
    assertThat(forced.out()).startsWith("dry run: would copy 1, would replace 1, would skip 1");
    try (KeyStore fs = FsKeyStore.open(dir.resolve("keys"))) {
      assertThat(fs.list("", "", 0).items()).containsExactly("legacy-json", "minio-v019");
      assertThat(fs.get("minio-v019")).isNotEqualTo(keys.get("minio-v019"));
    }
  }

  @Test
  void aDifferentTargetKeyFailsUnlessMergeKeepsItOrForceReplacesIt() throws Exception {
    byte[] source = protobufKey();
    byte[] other = protobufKey();
    try (KeyStore src = gcp("project-a");
        KeyStore fs = FsKeyStore.open(dir.resolve("keys"))) {
      src.create("my-key", source);
      fs.create("my-key", other);
    }
    Path from = gcpConfig("gcp.yml", "project-a");
    Path to = fsConfig("fs.yml", dir.resolve("keys"));

    CliServer.Result strict = migrate("--from", from.toString(), "--to", to.toString());
    assertThat(strict.code()).isEqualTo(1);
    assertThat(strict.err())
        .contains(
            "kes4j: error: key 'my-key': a different key exists at the target: use --force to"
                + " replace it, or --merge to keep it");
    CliServer.Result merged = migrate("--merge", "--from", from.toString(), "--to", to.toString());
    assertThat(merged.code()).isZero();
    assertThat(merged.out()).startsWith("copied 0, skipped 1, failed 0");
    try (KeyStore fs = FsKeyStore.open(dir.resolve("keys"))) {
      assertThat(fs.get("my-key")).isEqualTo(other);
    }
    CliServer.Result forced = migrate("-f", "--from", from.toString(), "--to", to.toString());
    assertThat(forced.code()).isZero();
    assertThat(forced.out()).startsWith("copied 0, replaced 1, skipped 0, failed 0");
    try (KeyStore fs = FsKeyStore.open(dir.resolve("keys"))) {
      assertThat(fs.get("my-key")).isEqualTo(source);
    }
    assertThat(migrate("-f", "--merge", "--from", from.toString(), "--to", to.toString()).code())
        .isEqualTo(2);
  }

  @Test
  void aPatternSelectsKeysAsKesMatchesThem() throws Exception {
    try (KeyStore src = gcp("project-a")) {
      for (String n : new String[] {"minio-1", "minio-2", "other", "minio_x"}) {
        src.create(n, protobufKey());
      }
    }
    Path from = gcpConfig("gcp.yml", "project-a");
    Path to = fsConfig("fs.yml", dir.resolve("keys"));
    CliServer.Result r = migrate("--from", from.toString(), "--to", to.toString(), "minio-?");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("copied 2, skipped 0, failed 0 (2 keys matching 'minio-?')\n");
    try (KeyStore fs = FsKeyStore.open(dir.resolve("keys"))) {
      assertThat(fs.list("", "", 0).items()).containsExactly("minio-1", "minio-2");
      assertThatThrownNotFound(fs, "other");
    }
    CliServer.Result bad = migrate("--from", from.toString(), "--to", to.toString(), "minio-[");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("invalid pattern 'minio-['");
  }

  private static void assertThatThrownNotFound(KeyStore store, String name) {
    try {
      store.get(name);
      throw new AssertionError(name + " was copied");
    } catch (KeyNotFoundException expected) {
      // not copied
    }
  }

  @Test
  void aValueThatIsNoKesKeyIsNotCopied() throws Exception {
    try (KeyStore src = gcp("project-a")) {
      src.create("not-a-key", "hello".getBytes(StandardCharsets.UTF_8));
      src.create("a-key", protobufKey());
    }
    Path from = gcpConfig("gcp.yml", "project-a");
    Path to = fsConfig("fs.yml", dir.resolve("keys"));
    CliServer.Result r = migrate("--from", from.toString(), "--to", to.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).startsWith("copied 1, skipped 0, failed 1");
    assertThat(r.err()).contains("key 'not-a-key': the source's value is not a KES key");
  }

  @Test
  void usageErrorsAndMissingFiles() throws Exception {
    Path to = fsConfig("fs.yml", dir.resolve("keys"));
    CliServer.Result noFrom = migrate("--to", to.toString());
    assertThat(noFrom.code()).isEqualTo(2);
    assertThat(noFrom.err()).contains("no migration source specified: use --from");
    CliServer.Result same = migrate("--from", to.toString(), "--to", to.toString());
    assertThat(same.code()).isEqualTo(2);
    assertThat(same.err()).contains("--from and --to name the same config file");
    Path missing = dir.resolve("nope.yml");
    CliServer.Result absent = migrate("--from", missing.toString(), "--to", to.toString());
    assertThat(absent.code()).isEqualTo(1);
    assertThat(absent.err()).isEqualTo("kes4j: error: no such file: " + missing + "\n");
  }
}
