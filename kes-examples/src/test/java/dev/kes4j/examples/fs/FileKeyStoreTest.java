package dev.kes4j.examples.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.InvalidNameException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.spi.KeyStore;
import dev.kes4j.testkit.KeyStoreContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole key store contract, plus what the filesystem layout promises (spec §5.4). */
class FileKeyStoreTest extends KeyStoreContract {
  @TempDir Path tmp;

  @TempDir(factory = MemoryBackedTempDir.class)
  Path contractDir;

  @Override
  protected KeyStore newStore() {
    return FileKeyStore.open(contractDir.resolve("keys"));
  }

  Path own;

  @BeforeEach
  void ownDirectory() throws IOException {
    own = Files.createDirectories(tmp.resolve("own"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Nested
  class Layout {
    @Test
    void createsTheDirectoryPrivateAndOneFilePerKeyWithMode0600() throws IOException {
      Path dir = tmp.resolve("a/b/keys");
      try (FileKeyStore store = FileKeyStore.open(dir)) {
        store.create("my-key", utf8("{\"bytes\":\"AAAA\"}"));
        assertThat(Files.getPosixFilePermissions(dir))
            .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Path file = dir.resolve("my-key");
        assertThat(Files.readString(file)).isEqualTo("{\"bytes\":\"AAAA\"}");
        assertThat(Files.getPosixFilePermissions(file))
            .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Stream<Path> files = Files.list(dir)) {
          assertThat(files).containsExactly(file); // no temporary file left behind
        }
      }
    }

    @Test
    void usesAnExistingDirectoryAsItIs() throws IOException {
      Path dir = Files.createDirectory(tmp.resolve("shared"));
      Files.write(dir.resolve("written-by-kes"), utf8("value"));
      try (FileKeyStore store = FileKeyStore.open(dir)) {
        assertThat(store.get("written-by-kes")).isEqualTo(utf8("value"));
        assertThat(store.directory()).isEqualTo(dir.toAbsolutePath());
      }
    }

    @Test
    void aSecondCreateKeepsTheFirstFileUntouched() throws IOException {
      try (FileKeyStore store = FileKeyStore.open(own)) {
        store.create("k", utf8("first"));
        assertThatThrownBy(() -> store.create("k", utf8("second")))
            .isInstanceOf(KeyExistsException.class);
        assertThat(Files.readString(own.resolve("k"))).isEqualTo("first");
        try (Stream<Path> files = Files.list(own)) {
          assertThat(files).hasSize(1);
        }
      }
    }

    @Test
    void leftoverTemporaryFilesAndOtherDottedEntriesAreNeverListed() throws IOException {
      Files.write(own.resolve(".tmp-0123456789abcdef01234567"), utf8("half"));
      Files.write(own.resolve("notes.txt"), utf8("x"));
      try (FileKeyStore store = FileKeyStore.open(own)) {
        store.create("a", utf8("1"));
        assertThat(store.list("", "", 0).items()).containsExactly("a");
      }
    }

    @Test
    void keysPersistAcrossStores() {
      try (FileKeyStore store = FileKeyStore.open(own)) {
        store.create("k", utf8("v"));
      }
      try (FileKeyStore store = FileKeyStore.open(own)) {
        assertThat(store.get("k")).isEqualTo(utf8("v"));
        store.delete("k");
        assertThat(Files.exists(own.resolve("k"))).isFalse();
        assertThatThrownBy(() -> store.delete("k")).isInstanceOf(KeyNotFoundException.class);
      }
    }
  }

  @Nested
  class Names {
    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a.b", "a/b", "../etc", "a\\b", "nul\0byte", ".tmp-x"})
    void namesThatCannotBeAPlainFileNameAreRejectedByEveryMethod(String name) {
      try (FileKeyStore store = FileKeyStore.open(own)) {
        String message =
            "key name '" + name + "' is empty, too long or contains invalid characters";
        assertThatThrownBy(() -> store.create(name, utf8("v")))
            .isInstanceOf(InvalidNameException.class)
            .hasMessage(message);
        assertThatThrownBy(() -> store.get(name)).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> store.delete(name)).isInstanceOf(InvalidNameException.class);
      }
      assertThat(own).isEmptyDirectory();
    }
  }

  @Nested
  class Failures {
    @Test
    void readIsCappedAtOneMebibyte() throws IOException {
      Files.write(own.resolve("big"), new byte[FileKeyStore.MAX_VALUE_SIZE + 1]);
      try (FileKeyStore store = FileKeyStore.open(own)) {
        assertThatThrownBy(() -> store.get("big"))
            .isInstanceOf(KesException.class)
            .hasMessage("failed to read key")
            .hasCauseInstanceOf(IOException.class)
            .satisfies(e -> assertThat(((KesException) e).status()).isEqualTo(502));
        assertThatThrownBy(() -> store.create("big2", new byte[FileKeyStore.MAX_VALUE_SIZE + 1]))
            .isInstanceOf(KesException.class)
            .hasMessage("failed to create key");
        assertThat(store.list("", "", 0).items()).containsExactly("big");
      }
    }

    @Test
    void ioErrorsBecome502WithTheKesMessageAndTheIoExceptionAsCause() throws IOException {
      Path dir = tmp.resolve("broken");
      try (FileKeyStore store = FileKeyStore.open(dir)) {
        store.create("k", utf8("v"));
        // Replace the directory by a plain file: every operation now fails with an IOException
        // that is neither "exists" nor "not found" (works even as root, unlike chmod).
        Files.delete(dir.resolve("k"));
        Files.delete(dir);
        Files.write(dir, utf8("not a directory"));

        assertThatThrownBy(() -> store.create("k2", utf8("v")))
            .isInstanceOf(KesException.class)
            .isNotInstanceOf(KeyExistsException.class)
            .hasMessage("failed to create key")
            .hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.get("k"))
            .isInstanceOf(KesException.class)
            .isNotInstanceOf(KeyNotFoundException.class)
            .hasMessage("failed to read key")
            .hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.delete("k"))
            .isInstanceOf(KesException.class)
            .isNotInstanceOf(KeyNotFoundException.class)
            .hasMessage("failed to delete key")
            .hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.list("", "", 0))
            .isInstanceOf(KesException.class)
            .hasMessage("failed to list keys")
            .hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(store::status)
            .isInstanceOf(KeyStoreUnreachableException.class)
            .hasMessage("key store is not reachable");
      }
    }

    @Test
    void openFailsWith502WhenTheDirectoryCannotBeCreated() throws IOException {
      Path file = Files.write(tmp.resolve("file"), utf8("x"));
      assertThatThrownBy(() -> FileKeyStore.open(file.resolve("keys")))
          .isInstanceOf(KesException.class)
          .hasMessage("failed to open key store")
          .hasCauseInstanceOf(IOException.class);
    }
  }
}
