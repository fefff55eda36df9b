package dev.kes4j.keystore.fs;

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
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * KES's filesystem key store (spec §5.4): one file per key in one directory, the file named exactly
 * after the key and holding exactly the bytes handed to {@link #create} — the engine's serialised
 * key (spec §5.2; by default the ASCII base64 protobuf {@code KeyVersion} that Go KES ≥ 2024-02
 * writes, and Go KES's legacy JSON {@code {"bytes":"…"}} is read too). A directory written by Go
 * KES opens here unchanged and the reverse. A config selects the store with {@code keystore: fs:
 * path: <dir>} through {@link FsKeyStoreProvider}.
 *
 * <p><b>Layout and permissions.</b> A missing directory is created, parents included, with mode
 * {@code 0755} less the process umask, as Go KES does. An existing directory is used as it is. Key
 * files get mode {@code 0600}, set atomically at creation where the file system supports POSIX
 * permissions; elsewhere (Windows) files get the platform's default access rights.
 *
 * <p><b>Names.</b> The name is the file name, so the empty name and names that contain {@code /},
 * {@code \}, {@code .} (which covers {@code .} and {@code ..}), NUL or U+FFFD, that are longer than
 * {@value #MAX_NAME_BYTES} bytes in UTF-8, or that the platform cannot use as a file name are
 * rejected by {@code create}, {@code get} and {@code delete} with {@link InvalidNameException}
 * (400). The engine validates names against KES's rules (spec §6) before it gets here.
 *
 * <p><b>Durable, atomic, exclusive create.</b> No half-written key is ever visible under its name,
 * and an existing file is never replaced:
 *
 * <ol>
 *   <li>the value is written to a fresh temporary file {@code .kes4j-tmp-<random>} in the same
 *       directory, opened with {@code CREATE_NEW} ({@code O_EXCL}) and mode 0600, and forced to
 *       disk;
 *   <li>the temporary file is <em>hard-linked</em> to the key's name ({@link Files#createLink},
 *       {@code link(2)}), which is atomic and fails with {@code EEXIST} rather than replace a file:
 *       of two creators racing, in one process or many, exactly one wins, and the name appears only
 *       with its complete content;
 *   <li>the temporary name is removed and the directory is forced to disk, so the new entry
 *       survives a crash once {@code create} has returned.
 * </ol>
 *
 * A rename would not do: {@code rename(2)} replaces an existing target, and {@code Files.move}
 * without {@code REPLACE_EXISTING} only checks for the target before renaming, which races. A crash
 * before step 2 leaves only a temporary file (the create never happened); a crash after it leaves
 * the complete key plus a temporary duplicate. Temporary files contain a {@code .}, so they are
 * never listed or read; {@link #open} removes those older than {@link #STALE_TEMP_AGE}.
 *
 * <p><b>Errors.</b> A missing key is {@link KeyNotFoundException}, an existing one {@link
 * KeyExistsException}. Any other I/O failure is a {@link KeyStoreUnreachableException} (502) with
 * KES's message for the operation ({@code failed to create key}, {@code failed to read key}, {@code
 * failed to delete key}, {@code failed to list keys}) and, for logs, a cause naming the file. A
 * stored value larger than {@value #MAX_VALUE_SIZE} bytes fails {@code get} with a {@link
 * KesException} 502 {@code failed to read key} without being read into memory. Messages and causes
 * name paths, never key material.
 *
 * <p><b>Concurrency.</b> Thread-safe, and safe to share one local directory between processes
 * (kes4j or Go KES): the file system arbitrates creates. There is no locking beyond that; see the
 * module README for network file systems. Every method blocks on file I/O, {@code create} and
 * {@code delete} on two {@code fsync}s.
 */
public final class FsKeyStore implements KeyStore {
  /** The largest value stored or read: 1 MiB, the cap KES reads values with (spec §5.1). */
  public static final int MAX_VALUE_SIZE = 1 << 20;

  /** The longest key name in UTF-8 bytes: the common file-name limit (ext4, XFS, APFS, NTFS). */
  public static final int MAX_NAME_BYTES = 255;

  /** Temporary files of interrupted creates older than this are removed by {@link #open}. */
  public static final Duration STALE_TEMP_AGE = Duration.ofMinutes(15);

  static final String TEMP_PREFIX = ".kes4j-tmp-";
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final boolean posix;
  private volatile boolean closed;

  private FsKeyStore(Path dir, boolean posix) {
    this.dir = dir;
    this.posix = posix;
  }

  /**
   * Opens the store in {@code dir}, creating the directory and its parents with mode 0755 (less the
   * umask) if missing, and removing temporary files of creates interrupted more than {@link
   * #STALE_TEMP_AGE} ago. A relative {@code dir} is resolved against the working directory, as Go
   * KES does. Blocks on file I/O.
   *
   * @param dir the key directory
   * @return the open store
   * @throws KeyStoreUnreachableException 502 {@code failed to open key store} with a cause naming
   *     the directory if it cannot be created, is not a directory or cannot be read
   * @throws NullPointerException if {@code dir} is null
   */
  public static FsKeyStore open(Path dir) {
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
      removeStaleTempFiles(abs);
    } catch (IOException | DirectoryIteratorException | UnsupportedOperationException e) {
      throw new KeyStoreUnreachableException(
          false, "failed to open key store", ioCause("cannot use key directory", abs, e));
    }
    return new FsKeyStore(abs, posix);
  }

  /** The key directory (absolute and normalised). */
  public Path directory() {
    return dir;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Writes a temporary file, forces it, hard-links it to the key's name and forces the directory
   * (see the class comment). The file content is exactly {@code value}; the array is not kept.
   *
   * @throws KeyExistsException if a file of that name exists (its content is left untouched)
   * @throws InvalidNameException if the name cannot be a file name here
   * @throws IllegalArgumentException if {@code value} is larger than {@value #MAX_VALUE_SIZE} bytes
   * @throws KeyStoreUnreachableException 502 {@code failed to create key} on any other I/O failure,
   *     including a file system without hard links
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public void create(String name, byte[] value) {
    checkOpen();
    Path target = keyFile(name);
    Objects.requireNonNull(value, "value");
    if (value.length > MAX_VALUE_SIZE) {
      throw new IllegalArgumentException(
          "value of " + value.length + " bytes exceeds " + MAX_VALUE_SIZE + " bytes");
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new KeyExistsException(); // cheap early answer; link(2) below is what decides
    }
    Path temp = dir.resolve(TEMP_PREFIX + HexFormat.of().formatHex(randomBytes(12)));
    try {
      writeDurably(temp, value);
    } catch (IOException | UnsupportedOperationException e) {
      deleteQuietly(temp);
      throw new KeyStoreUnreachableException(
          false, "failed to create key", ioCause("cannot write", temp, e));
    }
    try {
      Files.createLink(target, temp); // atomic and exclusive: EEXIST if the name is taken
      Files.delete(temp);
      syncDirectory();
    } catch (FileAlreadyExistsException e) {
      throw new KeyExistsException();
    } catch (IOException | UnsupportedOperationException e) {
      throw new KeyStoreUnreachableException(
          false, "failed to create key", ioCause("cannot create", target, e));
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
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads at most {@value #MAX_VALUE_SIZE} bytes; a larger file is refused, never loaded.
   *
   * @throws KeyNotFoundException if no file of that name exists
   * @throws InvalidNameException if the name cannot be a file name here
   * @throws KesException 502 {@code failed to read key} if the file is larger than {@value
   *     #MAX_VALUE_SIZE} bytes
   * @throws KeyStoreUnreachableException 502 {@code failed to read key} on any other I/O failure
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public byte[] get(String name) {
    checkOpen();
    Path file = keyFile(name);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() > MAX_VALUE_SIZE) {
        throw tooLarge(file);
      }
      InputStream in = Channels.newInputStream(ch);
      byte[] value = in.readNBytes(MAX_VALUE_SIZE + 1); // the file may grow meanwhile
      if (value.length > MAX_VALUE_SIZE) {
        throw tooLarge(file);
      }
      return value;
    } catch (NoSuchFileException e) {
      throw new KeyNotFoundException();
    } catch (IOException e) {
      throw new KeyStoreUnreachableException(
          false, "failed to read key", ioCause("cannot read", file, e));
    }
  }

  private static KesException tooLarge(Path file) {
    return new KesException(
        502,
        "failed to read key",
        new IOException(file + " is larger than " + MAX_VALUE_SIZE + " bytes"));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Removes the file and forces the directory.
   *
   * @throws KeyNotFoundException if no file of that name exists
   * @throws InvalidNameException if the name cannot be a file name here
   * @throws KeyStoreUnreachableException 502 {@code failed to delete key} on any other I/O failure
   * @throws IllegalStateException if the store is closed
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
      throw new KeyStoreUnreachableException(
          false, "failed to delete key", ioCause("cannot delete", file, e));
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads the directory for every page and skips entries that cannot be key names (temporary
   * files, anything else containing a {@code .}). Pages are consistent per call; creates and
   * deletes between calls show up in later pages as in any listing of a live store.
   *
   * @throws KeyStoreUnreachableException 502 {@code failed to list keys} if the directory cannot be
   *     read
   * @throws IllegalStateException if the store is closed
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
        if (name.startsWith(prefix) && name.compareTo(continueAt) >= 0 && validName(name)) {
          names.add(name);
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      throw new KeyStoreUnreachableException(
          false, "failed to list keys", ioCause("cannot list", dir, e));
    }
    Collections.sort(names);
    if (names.size() <= size) {
      return Page.last(names);
    }
    return new Page<>(names.subList(0, size), names.get(size));
  }

  /**
   * Checks that the key directory exists, is a directory and can be read and searched, and returns
   * how long that took. Cheap: a {@code stat} and two {@code access} calls, no file is opened.
   *
   * @throws KeyStoreUnreachableException 502 {@code key store is not reachable} with a cause naming
   *     the directory if it is not
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public Duration status() {
    checkOpen();
    long start = System.nanoTime();
    try {
      BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class);
      if (!attrs.isDirectory()) {
        throw new IOException(dir + " is not a directory");
      }
      if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
        throw new IOException(dir + " cannot be read");
      }
    } catch (IOException e) {
      throw new KeyStoreUnreachableException(
          false, "key store is not reachable", ioCause("cannot access", dir, e));
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Marks the store closed; it holds no open files between calls. Idempotent; never throws. */
  @Override
  public void close() {
    closed = true;
  }

  /** The directory only; never a key name or value. */
  @Override
  public String toString() {
    return "FsKeyStore[" + dir + (closed ? ", closed" : "") + "]";
  }

  // ---- helpers

  /** Whether {@code name} can be a key file name (spec §5.4, plus what a file name cannot hold). */
  static boolean validName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || c == '.' || c == '\0' || c == '\uFFFD') {
        return false; // "." and ".." contain '.'; U+FFFD marks an undecodable directory entry
      }
    }
    return name.length() <= MAX_NAME_BYTES
        && name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES;
  }

  private Path keyFile(String name) {
    Objects.requireNonNull(name, "name");
    if (!validName(name)) {
      throw InvalidNameException.keyName(name);
    }
    try {
      Path file = dir.resolve(name);
      if (!file.getParent().equals(dir)) {
        throw InvalidNameException.keyName(name); // e.g. a drive or root spec on Windows
      }
      return file;
    } catch (InvalidPathException e) {
      throw InvalidNameException.keyName(name); // a character this platform cannot store
    }
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

  /**
   * Removes temporary files older than {@link #STALE_TEMP_AGE}. Safe even if a slow create still
   * owns one: its link then fails and that create reports an error, leaving no key behind.
   */
  private static void removeStaleTempFiles(Path dir) throws IOException {
    FileTime cutoff = FileTime.from(Instant.now().minus(STALE_TEMP_AGE));
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
      for (Path temp : temps) {
        try {
          if (Files.getLastModifiedTime(temp, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0) {
            Files.deleteIfExists(temp);
          }
        } catch (IOException ignored) {
          // best effort: another process may have removed it, or it is not ours to remove
        }
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // best effort; a leftover temporary file is never listed or read, and open removes it later
    }
  }

  /** A cause for logs that names the file; the original exception is kept as its cause. */
  private static IOException ioCause(String what, Path file, Exception e) {
    return new IOException("fs key store: " + what + " " + file, e);
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
