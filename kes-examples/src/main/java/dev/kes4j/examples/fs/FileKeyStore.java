package dev.kes4j.examples.fs;

import dev.kes4j.api.InvalidNameException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.Page;
import dev.kes4j.api.spi.KeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A key store that keeps one file per key in a directory, laid out as KES's filesystem key store
 * (spec §5.4): the file is named after the key and holds the serialised key exactly as the engine
 * hands it over. Written against the SPI only ({@code dev.kes4j.api} and {@code
 * dev.kes4j.api.spi}); a config selects it with {@code keystore: fs: path: <dir>} through {@link
 * FileKeyStoreProvider}.
 *
 * <p><b>Layout and permissions.</b> The directory is created with mode {@code 0700} if missing (KES
 * 0.16 did the same; the newest KES uses {@code 0755}, but the listing reveals key names, so we
 * keep it private). An existing directory is used as it is. Key files get mode {@code 0600}, set
 * atomically at creation where the file system supports POSIX permissions. On other file systems
 * the files get the platform's default access rights.
 *
 * <p><b>Names.</b> A key name is the file name, so names that are empty, {@code .} or {@code ..},
 * or that contain {@code /}, {@code \}, {@code .} or NUL are rejected with {@link
 * InvalidNameException} (400) by every method. Temporary files always contain a {@code .}, so they
 * can never be mistaken for a key.
 *
 * <p><b>Crash safety: how create works.</b> No half-written key is ever visible under its name:
 *
 * <ol>
 *   <li>the value is written to a fresh temporary file {@code .tmp-<random>} in the same directory,
 *       opened with {@code CREATE_NEW} (O_EXCL) and mode 0600, then forced to disk ({@link
 *       FileChannel#force(boolean) force(true)});
 *   <li>the temporary file is <em>hard-linked</em> to the key's name with {@link Files#createLink}.
 *       {@code link(2)} is atomic and exclusive: it fails with {@code EEXIST} if the name exists
 *       and never replaces a file, so of many concurrent creates exactly one wins, and the name
 *       appears only with complete content;
 *   <li>the temporary name is removed and the directory is forced to disk, so the new entry
 *       survives a crash.
 * </ol>
 *
 * A rename would not do: {@code rename(2)} silently replaces an existing target, and {@code
 * Files.move} without {@code REPLACE_EXISTING} only checks for the target before renaming, which
 * races. The store therefore needs a file system with hard links (every POSIX one; NTFS too); where
 * linking is unsupported, create fails with 502 {@code failed to create key}. A crash between the
 * write and the link can leave a {@code .tmp-*} file behind; it is never listed or read, and can be
 * deleted by hand.
 *
 * <p><b>Errors.</b> A missing key is {@link KeyNotFoundException}, an existing one {@link
 * KeyExistsException}; any other I/O failure is a {@link KesException} 502 with KES's message for
 * the operation ({@code failed to create key}, {@code failed to read key}, {@code failed to delete
 * key}, {@code failed to list keys}) and the {@link IOException} as cause. Values are read with a
 * cap of {@value #MAX_VALUE_SIZE} bytes, as KES does; a larger file fails with {@code failed to
 * read key}, and create refuses larger values the same way.
 *
 * <p>Thread-safe, and safe to share one directory between processes (the file system arbitrates
 * creates). Every method blocks on file I/O, including fsync.
 */
public final class FileKeyStore implements KeyStore {
  /** The largest value stored or read: 1 MiB, KES's read cap. */
  public static final int MAX_VALUE_SIZE = 1 << 20;

  private static final String TEMP_PREFIX = ".tmp-";
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final boolean posix;
  private volatile boolean closed;

  private FileKeyStore(Path dir, boolean posix) {
    this.dir = dir;
    this.posix = posix;
  }

  /**
   * Opens the store in {@code dir}, creating the directory (and its parents) with mode 0700 if
   * missing. Blocks on file I/O.
   *
   * @param dir the key directory
   * @return the open store
   * @throws KesException 502 {@code failed to open key store} with the {@link IOException} as cause
   *     if the directory cannot be created or is not a directory
   * @throws NullPointerException if {@code dir} is null
   */
  public static FileKeyStore open(Path dir) {
    Objects.requireNonNull(dir, "dir");
    Path abs = dir.toAbsolutePath().normalize();
    boolean posix = abs.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      if (!Files.isDirectory(abs)) {
        if (posix) {
          Files.createDirectories(abs, PosixFilePermissions.asFileAttribute(DIR_MODE));
        } else {
          Files.createDirectories(abs);
        }
      }
    } catch (IOException e) {
      throw new KesException(502, "failed to open key store", e);
    }
    return new FileKeyStore(abs, posix);
  }

  /** The key directory (absolute). */
  public Path directory() {
    return dir;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Writes a temporary file, forces it, hard-links it to the key's name and forces the directory
   * (see the class comment).
   *
   * @throws InvalidNameException if the name cannot be a file name here
   * @throws KesException 502 {@code failed to create key} on any other I/O failure, or if the value
   *     is larger than {@value #MAX_VALUE_SIZE} bytes
   */
  @Override
  public void create(String name, byte[] value) {
    checkOpen();
    Path target = keyFile(name);
    Objects.requireNonNull(value, "value");
    if (value.length > MAX_VALUE_SIZE) {
      throw new KesException(
          502, "failed to create key", new IOException("value exceeds " + MAX_VALUE_SIZE + " B"));
    }
    Path temp = dir.resolve(TEMP_PREFIX + HexFormat.of().formatHex(randomBytes(12)));
    try {
      writeDurably(temp, value);
    } catch (IOException | UnsupportedOperationException e) {
      throw new KesException(502, "failed to create key", e);
    }
    try {
      Files.createLink(target, temp); // atomic and exclusive: EEXIST if the key exists
      Files.delete(temp);
      syncDirectory();
    } catch (FileAlreadyExistsException e) {
      throw new KeyExistsException();
    } catch (IOException | UnsupportedOperationException e) {
      throw new KesException(502, "failed to create key", e);
    } finally {
      deleteQuietly(temp);
    }
  }

  /** Writes a new file (O_EXCL, mode 0600) and forces its content and metadata to disk. */
  private void writeDurably(Path file, byte[] value) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            fileAttributes())) {
      ByteBuffer buf = ByteBuffer.wrap(value);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (FileAlreadyExistsException e) {
      throw e; // not ours (random name clash): leave it alone
    } catch (IOException | RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws InvalidNameException if the name cannot be a file name here
   * @throws KesException 502 {@code failed to read key} on any other I/O failure, or if the file is
   *     larger than {@value #MAX_VALUE_SIZE} bytes
   */
  @Override
  public byte[] get(String name) {
    checkOpen();
    Path file = keyFile(name);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] value = in.readNBytes(MAX_VALUE_SIZE + 1);
      if (value.length > MAX_VALUE_SIZE) {
        throw new KesException(
            502,
            "failed to read key",
            new IOException(file + " is larger than " + MAX_VALUE_SIZE + " B"));
      }
      return value;
    } catch (NoSuchFileException e) {
      throw new KeyNotFoundException();
    } catch (IOException e) {
      throw new KesException(502, "failed to read key", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Removes the file and forces the directory.
   *
   * @throws InvalidNameException if the name cannot be a file name here
   * @throws KesException 502 {@code failed to delete key} on any other I/O failure
   */
  @Override
  public void delete(String name) {
    checkOpen();
    Path file = keyFile(name);
    try {
      Files.delete(file);
      syncDirectory();
    } catch (NoSuchFileException e) {
      throw new KeyNotFoundException();
    } catch (IOException e) {
      throw new KesException(502, "failed to delete key", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads the whole directory for every page and skips entries that cannot be key names
   * (temporary files and anything else containing a {@code .}).
   *
   * @throws KesException 502 {@code failed to list keys} if the directory cannot be read
   */
  @Override
  public Page<String> list(String prefix, String continueAt, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(continueAt, "continueAt");
    checkOpen();
    int size = limit <= 0 ? DEFAULT_PAGE_SIZE : limit;
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (validName(name) && name.startsWith(prefix) && name.compareTo(continueAt) >= 0) {
          names.add(name);
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      throw new KesException(502, "failed to list keys", e);
    }
    Collections.sort(names);
    if (names.size() <= size) {
      return Page.last(names);
    }
    return new Page<>(names.subList(0, size), names.get(size));
  }

  /**
   * Checks that the directory is still a readable directory and returns how long that took.
   *
   * @throws KeyStoreUnreachableException 502 {@code key store is not reachable} if it is not
   */
  @Override
  public Duration status() {
    checkOpen();
    long start = System.nanoTime();
    if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
      throw new KeyStoreUnreachableException(
          false, "key store is not reachable", new NoSuchFileException(dir.toString()));
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Marks the store closed; holds no open files between calls. Idempotent. */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "FileKeyStore[" + dir + "]";
  }

  // ---- helpers

  /** KES's rule for the filesystem store (spec §5.4), plus what a file name cannot hold. */
  static boolean validName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || c == '.' || c == '\0') {
        return false;
      }
    }
    return true; // "." and ".." contain '.', so they are covered
  }

  private Path keyFile(String name) {
    Objects.requireNonNull(name, "name");
    if (!validName(name)) {
      throw InvalidNameException.keyName(name);
    }
    return dir.resolve(name);
  }

  private FileAttribute<?>[] fileAttributes() {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
        : new FileAttribute<?>[0];
  }

  /** Makes a new or removed directory entry durable. Not possible on Windows: skipped there. */
  private void syncDirectory() throws IOException {
    if (!posix) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // best effort; a leftover temporary file is never listed or read
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("key store is closed");
    }
  }
}
