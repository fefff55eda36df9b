package dev.kes4j.api.spi;

import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.Page;
import java.time.Duration;

/**
 * A key/value store of name → opaque bytes, the root of trust behind kes4j (spec §5.1). The store
 * knows nothing of what the bytes mean; the engine encodes and decodes them.
 *
 * <p>Implementations must be safe for concurrent use, must copy byte arrays at the boundary, and
 * must report failures only as the exceptions below — never a backend-specific type:
 *
 * <ul>
 *   <li>{@link KeyExistsException} / {@link KeyNotFoundException} as documented per method;
 *   <li>{@link KeyStoreUnreachableException} when the backend cannot be reached in time, with the
 *       KES message of the operation ({@code failed to create key}, {@code failed to read key},
 *       {@code failed to delete key}, {@code failed to list keys});
 *   <li>{@link KesException} 502 with the same messages for any other backend failure.
 * </ul>
 *
 * <p>Every method blocks until the backend answers, within the store's own configured bounds. After
 * {@link #close()} every method throws {@link IllegalStateException}.
 */
public interface KeyStore extends AutoCloseable {

  /** Page size used when {@link #list} is called with a limit of 0 or less. */
  int DEFAULT_PAGE_SIZE = 1024;

  /**
   * Stores {@code value} under {@code name} only if no value is stored under it yet. Of many
   * concurrent creates of one name exactly one succeeds. A create that fails leaves nothing that
   * {@link #get} would return.
   *
   * @throws KeyExistsException if the name is taken
   */
  void create(String name, byte[] value);

  /**
   * Returns a copy of the value stored under {@code name}.
   *
   * @throws KeyNotFoundException if nothing is stored under the name
   */
  byte[] get(String name);

  /**
   * Removes the value stored under {@code name}.
   *
   * @throws KeyNotFoundException if nothing is stored under the name
   */
  void delete(String name);

  /**
   * Lists stored names that start with {@code prefix}, in ascending (UTF-16 code unit) order.
   *
   * @param prefix the required prefix; empty for all names
   * @param continueAt the first name to return (inclusive); empty to start at the beginning
   * @param limit the page size; 0 or less means {@link #DEFAULT_PAGE_SIZE}
   * @return a page whose {@code continueAt} is the first name of the next page, or empty
   */
  Page<String> list(String prefix, String continueAt, int limit);

  /**
   * Checks that the backend is reachable and returns how long the check took.
   *
   * @throws KeyStoreUnreachableException if it is not
   */
  Duration status();

  /** Releases the store's resources. Idempotent; never throws. */
  @Override
  void close();
}
