package dev.kes4j.api;

import java.util.List;
import java.util.Objects;

/**
 * One page of a sorted listing.
 *
 * @param items the items of this page, in ascending order; immutable
 * @param continueAt the first item of the next page, or the empty string when this is the last
 *     page; pass it as {@code continueAt} to get the next page
 * @param <T> the item type
 */
public record Page<T>(List<T> items, String continueAt) {
  /** Validates and copies. */
  public Page {
    items = List.copyOf(items);
    Objects.requireNonNull(continueAt, "continueAt");
  }

  /** Whether a further page follows. */
  public boolean hasMore() {
    return !continueAt.isEmpty();
  }

  /** A last page holding {@code items}. */
  public static <T> Page<T> last(List<T> items) {
    return new Page<>(items, "");
  }
}
