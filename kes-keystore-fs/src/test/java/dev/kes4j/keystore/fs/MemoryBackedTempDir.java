package dev.kes4j.keystore.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Puts a {@code @TempDir} on {@code /dev/shm} (tmpfs) when there is one, else in the default
 * temporary directory. The key store contract creates and deletes over a thousand keys, each with
 * two fsyncs; on tmpfs fsync is free, which keeps the module's suite fast on a shared disk. The
 * code paths are the same; the layout tests still run on the default (disk) temporary directory.
 */
final class MemoryBackedTempDir implements TempDirFactory {
  private static final Path SHM = Path.of("/dev/shm");

  @Override
  public Path createTempDirectory(
      AnnotatedElementContext elementContext, ExtensionContext extensionContext)
      throws IOException {
    if (Files.isDirectory(SHM) && Files.isWritable(SHM)) {
      return Files.createTempDirectory(SHM, "kes4j-fs-");
    }
    return Files.createTempDirectory("kes4j-fs-");
  }
}
