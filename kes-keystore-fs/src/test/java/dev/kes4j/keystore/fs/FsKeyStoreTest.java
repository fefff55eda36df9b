package dev.kes4j.keystore.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.InvalidNameException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.Page;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.testkit.KeyStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole key store contract, plus what the filesystem layout promises (spec §5.4). */
class FsKeyStoreTest extends KeyStoreContract {
  @TempDir Path tmp;

  @TempDir(factory = MemoryBackedTempDir.class)
  Path contractDir;

  @Override
  protected KeyStore newStore() {
    return FsKeyStore.open(contractDir.resolve("keys"));
  }

  Path own;

  @BeforeEach
  void ownDirectory() throws IOException {
    own = Files.createDirectories(tmp.resolve("own"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Nested
  class Layout {
    @Test
    void createsTheDirectory0755AndOneFilePerKeyWithMode0600HoldingExactlyTheValue()
        throws IOException {
      Path dir = tmp.resolve("a/b/keys");
      byte[] value = utf8("CiQKIMiHG7XrN94FuwblJJor4f7f6rbqAl7DwsLaiIoyz0D2EAE=");
      try (FsKeyStore store = FsKeyStore.open(dir)) {
        store.create("my-key", value);
        // 0755 less the umask, as Go KES: the owner has rwx, nobody else may write
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
        assertThat(PosixFilePermissions.fromString("rwxr-xr-x")).containsAll(mode);
        assertThat(mode)
            .contains(
                PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE);
        Path file = dir.resolve("my-key");
        assertThat(Files.readAllBytes(file)).isEqualTo(value);
        assertThat(Files.getPosixFilePermissions(file))
            .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.isRegularFile(file)).isTrue();
        assertThat(entries(dir)).containsExactly("my-key"); // no temporary file left behind
      }
    }

    @Test
    void usesAnExistingDirectoryAsItIs() throws IOException {
      Path dir = Files.createDirectory(tmp.resolve("shared"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      Files.write(dir.resolve("written-by-kes"), utf8("value"));
      try (FsKeyStore store = FsKeyStore.open(dir)) {
        assertThat(store.get("written-by-kes")).isEqualTo(utf8("value"));
        assertThat(store.directory()).isEqualTo(dir.toAbsolutePath());
      }
      assertThat(Files.getPosixFilePermissions(dir))
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aSecondCreateKeepsTheFirstFileUntouched() throws IOException {
      try (FsKeyStore store = FsKeyStore.open(own)) {
        store.create("k", utf8("first"));
        assertThatThrownBy(() -> store.create("k", utf8("second")))
            .isInstanceOf(KeyExistsException.class);
        assertThat(Files.readString(own.resolve("k"))).isEqualTo("first");
        assertThat(entries(own)).containsExactly("k");
      }
    }

    @Test
    void anExistingEntryOfAnyKindTakesTheName() throws IOException {
      Files.createDirectory(own.resolve("a-dir"));
      Files.createSymbolicLink(own.resolve("dangling"), own.resolve("nowhere"));
      try (FsKeyStore store = FsKeyStore.open(own)) {
        assertThatThrownBy(() -> store.create("a-dir", utf8("v")))
            .isInstanceOf(KeyExistsException.class);
        assertThatThrownBy(() -> store.create("dangling", utf8("v")))
            .isInstanceOf(KeyExistsException.class);
      }
      assertThat(own.resolve("nowhere")).doesNotExist(); // never written through the link
    }

    @Test
    void leftoverTemporaryFilesAndOtherDottedEntriesAreNeverListed() throws IOException {
      Files.write(own.resolve(FsKeyStore.TEMP_PREFIX + "0123456789abcdef01234567"), utf8("half"));
      Files.write(own.resolve("notes.txt"), utf8("x"));
      Files.write(own.resolve(".hidden"), utf8("x"));
      try (FsKeyStore store = FsKeyStore.open(own)) {
        store.create("a", utf8("1"));
        assertThat(store.list("", "", 0).items()).containsExactly("a");
        assertThatThrownBy(() -> store.get("notes.txt")).isInstanceOf(InvalidNameException.class);
      }
    }

    @Test
    void openRemovesOnlyStaleTemporaryFiles() throws IOException {
      Path stale = Files.write(own.resolve(FsKeyStore.TEMP_PREFIX + "stale"), utf8("crashed"));
      Files.setLastModifiedTime(
          stale, FileTime.from(Instant.now().minus(FsKeyStore.STALE_TEMP_AGE).minusSeconds(60)));
      Path fresh = Files.write(own.resolve(FsKeyStore.TEMP_PREFIX + "fresh"), utf8("in flight"));
      Path other = Files.write(own.resolve(".other-stale"), utf8("not ours"));
      Files.setLastModifiedTime(other, FileTime.from(Instant.EPOCH));
      try (FsKeyStore store = FsKeyStore.open(own)) {
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(other).exists();
      }
    }

    @Test
    void keysPersistAcrossStores() {
      try (FsKeyStore store = FsKeyStore.open(own)) {
        store.create("k", utf8("v"));
      }
      try (FsKeyStore store = FsKeyStore.open(own)) {
        assertThat(store.get("k")).isEqualTo(utf8("v"));
        store.delete("k");
        assertThat(Files.exists(own.resolve("k"))).isFalse();
        assertThatThrownBy(() -> store.delete("k")).isInstanceOf(KeyNotFoundException.class);
      }
    }

    @Test
    void twoStoresOverOneDirectoryRacingForOneNameHaveExactlyOneWinner() throws Exception {
      // Two stores stand for two processes: nothing in memory is shared, only the directory.
      try (FsKeyStore a = FsKeyStore.open(own);
          FsKeyStore b = FsKeyStore.open(own)) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
          for (int round = 0; round < 20; round++) {
            String name = "race-" + round;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> outcomes = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
              FsKeyStore store = t % 2 == 0 ? a : b;
              String value = "v" + t;
              outcomes.add(
                  pool.submit(
                      () -> {
                        go.await();
                        try {
                          store.create(name, utf8(value));
                          return value;
                        } catch (KeyExistsException e) {
                          return null;
                        }
                      }));
            }
            go.countDown();
            List<String> winners = new ArrayList<>();
            for (Future<String> f : outcomes) {
              String v = f.get(30, TimeUnit.SECONDS);
              if (v != null) {
                winners.add(v);
              }
            }
            assertThat(winners).hasSize(1);
            assertThat(a.get(name)).isEqualTo(utf8(winners.get(0)));
          }
        } finally {
          pool.shutdownNow();
        }
        assertThat(entries(own)).hasSize(20).allMatch(n -> n.startsWith("race-"));
      }
    }

    @Test
    void toStringNamesTheDirectoryOnly() {
      try (FsKeyStore store = FsKeyStore.open(own)) {
        store.create("k", utf8("secret-value"));
        assertThat(store.toString())
            .isEqualTo("FsKeyStore[" + own.toAbsolutePath() + "]")
            .doesNotContain("secret");
        store.close();
        assertThat(store.toString()).endsWith(", closed]");
      }
    }
  }

  @Nested
  class Names {
    @ParameterizedTest
    @ValueSource(
        strings = {"", ".", "..", "a.b", "a/b", "../etc", "/abs", "a\\b", "nul\0byte", ".tmp-x"})
    void namesThatCannotBeAPlainFileNameAreRejectedByEveryMethod(String name) throws IOException {
      try (FsKeyStore store = FsKeyStore.open(own)) {
        String message =
            "key name '" + name + "' is empty, too long or contains invalid characters";
        assertThatThrownBy(() -> store.create(name, utf8("v")))
            .isInstanceOf(InvalidNameException.class)
            .hasMessage(message);
        assertThatThrownBy(() -> store.get(name)).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> store.delete(name)).isInstanceOf(InvalidNameException.class);
      }
      assertThat(own).isEmptyDirectory();
      assertThat(tmp.resolve("etc")).doesNotExist();
    }

    @Test
    void namesUpTo255Utf8BytesAreFileNamesLongerOnesAreRejected() {
      try (FsKeyStore store = FsKeyStore.open(own)) {
        store.create("k".repeat(255), utf8("v"));
        assertThat(store.get("k".repeat(255))).isEqualTo(utf8("v"));
        assertThatThrownBy(() -> store.create("k".repeat(256), utf8("v")))
            .isInstanceOf(InvalidNameException.class);
        // 128 two-byte characters: 128 chars but 256 bytes
        assertThatThrownBy(() -> store.create("é".repeat(128), utf8("v")))
            .isInstanceOf(InvalidNameException.class);
      }
    }

    @Test
    void nullArgumentsAreRejected() {
      try (FsKeyStore store = FsKeyStore.open(own)) {
        assertThatThrownBy(() -> store.create(null, utf8("v")))
            .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.create("k", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.list(null, "", 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> FsKeyStore.open(null)).isInstanceOf(NullPointerException.class);
      }
    }
  }

  @Nested
  class Failures {
    @Test
    void readIsCappedAtOneMebibyte() throws IOException {
      Files.write(own.resolve("max"), new byte[FsKeyStore.MAX_VALUE_SIZE]);
      Files.write(own.resolve("big"), new byte[FsKeyStore.MAX_VALUE_SIZE + 1]);
      try (FsKeyStore store = FsKeyStore.open(own)) {
        assertThat(store.get("max")).hasSize(FsKeyStore.MAX_VALUE_SIZE);
        assertThatThrownBy(() -> store.get("big"))
            .isInstanceOf(KesException.class)
            .isNotInstanceOf(KeyStoreUnreachableException.class)
            .hasMessage("failed to read key")
            .hasCauseInstanceOf(IOException.class)
            .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(502));
        assertThatThrownBy(() -> store.create("big2", new byte[FsKeyStore.MAX_VALUE_SIZE + 1]))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("1048576");
        assertThat(store.list("", "", 0).items()).containsExactly("big", "max");
      }
    }

    @Test
    void aHugeFileIsRefusedWithoutBeingRead() throws IOException {
      Path huge = own.resolve("huge");
      try (FileChannel ch =
          FileChannel.open(huge, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.position(4L << 30).write(ByteBuffer.wrap(new byte[] {1})); // sparse, over 4 GiB
      }
      try (FsKeyStore store = FsKeyStore.open(own)) {
        assertThatThrownBy(() -> store.get("huge"))
            .isInstanceOf(KesException.class)
            .hasMessage("failed to read key");
      }
    }

    @Test
    void ioErrorsBecomeUnreachableWithTheKesMessageAndACauseNamingThePath() throws IOException {
      Path dir = tmp.resolve("broken");
      try (FsKeyStore store = FsKeyStore.open(dir)) {
        store.create("k", utf8("secret-value"));
        // Replace the directory by a plain file: every operation now fails with an IOException
        // that is neither "exists" nor "not found" (works even as root, unlike chmod).
        Files.delete(dir.resolve("k"));
        Files.delete(dir);
        Files.write(dir, utf8("not a directory"));

        List<Runnable> calls =
            List.of(
                () -> store.create("k2", utf8("secret-value")),
                () -> store.get("k"),
                () -> store.delete("k"),
                () -> store.list("", "", 0),
                store::status);
        List<String> messages =
            List.of(
                "failed to create key",
                "failed to read key",
                "failed to delete key",
                "failed to list keys",
                "key store is not reachable");
        for (int i = 0; i < calls.size(); i++) {
          Runnable call = calls.get(i);
          assertThatThrownBy(call::run)
              .isInstanceOf(KeyStoreUnreachableException.class)
              .hasMessage(messages.get(i))
              .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(502))
              .hasCauseInstanceOf(IOException.class)
              .satisfies(e -> assertThat(e.getCause().getMessage()).contains(dir.toString()))
              .satisfies(e -> assertThat(chain(e)).doesNotContain("secret-value"));
        }
      }
    }

    @Test
    void openFailsUnreachableWhenTheDirectoryCannotBeCreated() throws IOException {
      Path file = Files.write(tmp.resolve("file"), utf8("x"));
      assertThatThrownBy(() -> FsKeyStore.open(file.resolve("keys")))
          .isInstanceOf(KeyStoreUnreachableException.class)
          .hasMessage("failed to open key store")
          .hasCauseInstanceOf(IOException.class);
      assertThatThrownBy(() -> FsKeyStore.open(file))
          .isInstanceOf(KeyStoreUnreachableException.class)
          .hasMessage("failed to open key store");
    }

    private String chain(Throwable e) {
      StringBuilder b = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        b.append(t).append('\n');
      }
      return b.toString();
    }
  }

  // --- properties (jqwik) ----------------------------------------------------------------------

  private static Path propertyBase;

  @BeforeContainer
  static void propertyDirectory() throws IOException {
    propertyBase = new MemoryBackedTempDir().createTempDirectory(null, null);
  }

  @AfterContainer
  static void removePropertyDirectory() throws IOException {
    try (Stream<Path> all = Files.walk(propertyBase)) {
      all.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  /** Names the store must take: KES's alphabet, other printable ASCII and (UTF-8) non-ASCII. */
  @Provide
  Arbitrary<String> storableNames() {
    String ascii =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_- !#$%&'()+,;=@[]^`{}~";
    Arbitrary<Character> chars = Arbitraries.of(toChars(ascii));
    if (Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"))
        .equals(StandardCharsets.UTF_8)) {
      chars =
          Arbitraries.frequencyOf(
              Tuple.of(9, chars), Tuple.of(1, Arbitraries.of('é', 'ß', 'к', '鍵', 'λ')));
    }
    return chars.list().ofMinSize(1).ofMaxSize(80).map(FsKeyStoreTest::join);
  }

  private static Character[] toChars(String s) {
    return s.chars().mapToObj(c -> (char) c).toArray(Character[]::new);
  }

  private static String join(List<Character> chars) {
    StringBuilder b = new StringBuilder();
    chars.forEach(b::append);
    return b.toString();
  }

  /** Any storable name round-trips create, get, list and delete, and its file is the name. */
  @Property(tries = 200)
  void anyValidNameRoundTrips(@ForAll("storableNames") String name, @ForAll byte[] value)
      throws IOException {
    byte[] stored = value.length == 0 ? new byte[] {7} : value; // the engine never stores nothing
    Path dir = Files.createTempDirectory(propertyBase, "p");
    try (FsKeyStore store = FsKeyStore.open(dir)) {
      store.create(name, stored);
      assertThat(Files.readAllBytes(dir.resolve(name))).isEqualTo(stored);
      assertThat(store.get(name)).isEqualTo(stored);
      Page<String> page = store.list(name, "", 0);
      assertThat(page.items()).containsExactly(name);
      assertThat(store.list("", name, 1).items()).containsExactly(name);
      assertThatThrownBy(() -> store.create(name, stored)).isInstanceOf(KeyExistsException.class);
      store.delete(name);
      assertThatThrownBy(() -> store.get(name)).isInstanceOf(KeyNotFoundException.class);
      assertThat(store.list("", "", 0).items()).isEmpty();
    }
    assertThat(entries(dir)).isEmpty();
    Files.delete(dir);
  }

  /** A name with a path separator or a dot anywhere is refused and leaves the directory empty. */
  @Property(tries = 100)
  void namesWithSeparatorsOrDotsAreRefused(
      @ForAll("storableNames") String head,
      @ForAll("storableNames") String tail,
      @ForAll("forbidden") char bad)
      throws IOException {
    String name = head + bad + tail;
    Path dir = Files.createTempDirectory(propertyBase, "n");
    try (FsKeyStore store = FsKeyStore.open(dir)) {
      assertThatThrownBy(() -> store.create(name, utf8("v")))
          .isInstanceOf(InvalidNameException.class);
    }
    assertThat(entries(dir)).isEmpty();
    Files.delete(dir);
  }

  @Provide
  Arbitrary<Character> forbidden() {
    return Arbitraries.of('/', '\\', '.', '\0');
  }
}
