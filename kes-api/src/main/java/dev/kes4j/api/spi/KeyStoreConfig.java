package dev.kes4j.api.spi;

import dev.kes4j.api.KesConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A small read-only configuration tree, as found under {@code keystore:} in a KES config: string
 * keys mapping to scalars (kept as strings), lists of scalars, or nested sections. Every section
 * knows its dotted YAML path, so errors can name the setting. Immutable and thread-safe.
 */
public final class KeyStoreConfig {
  private final String path;
  private final Map<String, Object> values;

  private KeyStoreConfig(String path, Map<String, Object> values) {
    this.path = path;
    this.values = values;
  }

  /** A root tree built from a map of scalars, lists and nested maps. */
  public static KeyStoreConfig of(Map<String, ?> map) {
    return of("", map);
  }

  /**
   * A tree built from a map, rooted at {@code path} (used in error messages).
   *
   * @throws KesConfigException naming the setting if the map nests lists or maps inside a list
   */
  public static KeyStoreConfig of(String path, Map<String, ?> map) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(map, "map");
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      copy.put(key, freeze(join(path, key), e.getValue()));
    }
    return new KeyStoreConfig(path, Collections.unmodifiableMap(copy));
  }

  private static Object freeze(String path, Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> sub = new LinkedHashMap<>();
      m.forEach((k, x) -> sub.put(String.valueOf(k), x));
      return of(path, sub);
    }
    if (v instanceof List<?> l) {
      List<String> out = new ArrayList<>();
      for (Object x : l) {
        if (x instanceof Map || x instanceof List) {
          throw new KesConfigException(path + ": nested lists or maps are not supported");
        }
        out.add(x == null ? "" : String.valueOf(x));
      }
      return List.copyOf(out);
    }
    if (v instanceof KeyStoreConfig c) {
      return of(path, c.toMap());
    }
    return String.valueOf(v);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The dotted path of this section, empty for the root. */
  public String path() {
    return path;
  }

  /** The keys of this section, in configuration order. */
  public Set<String> keys() {
    return values.keySet();
  }

  /**
   * Checks that this section holds no settings other than {@code allowed}.
   *
   * @throws KesConfigException {@code <path>.<key>: unknown setting (allowed: …)} for the first
   *     setting that is not allowed
   */
  public void requireOnly(String... allowed) {
    List<String> known = List.of(allowed);
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        throw new KesConfigException(
            join(path, key)
                + ": unknown setting (allowed: "
                + (known.isEmpty() ? "none" : String.join(", ", known))
                + ")");
      }
    }
  }

  /** Whether {@code key} is present (even with an empty value). */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /**
   * The scalar under {@code key}; empty if absent, null or the empty string.
   *
   * @throws KesConfigException if the value is a list or a section
   */
  public Optional<String> string(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw new KesConfigException(join(path, key) + ": expected a single value");
    }
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  /**
   * The non-empty scalar under {@code key}.
   *
   * @throws KesConfigException naming the setting if it is missing or empty
   */
  public String requireString(String key) {
    return string(key)
        .orElseThrow(() -> new KesConfigException(join(path, key) + ": required but not set"));
  }

  /**
   * The Go duration ({@code 5s}, {@code 1m30s}) under {@code key}; empty if absent.
   *
   * @throws KesConfigException naming the setting if it is not a valid, non-negative Go duration
   */
  public Optional<Duration> duration(String key) {
    Optional<String> text = string(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Duration d;
    try {
      d = GoDuration.parse(text.get().trim());
    } catch (IllegalArgumentException e) {
      throw new KesConfigException(join(path, key) + ": " + e.getMessage());
    }
    if (d.isNegative()) {
      throw new KesConfigException(join(path, key) + ": duration must not be negative");
    }
    return Optional.of(d);
  }

  /**
   * The list of scalars under {@code key}; empty if absent. A single scalar reads as a list of one.
   *
   * @throws KesConfigException if the value is a section
   */
  @SuppressWarnings("unchecked")
  public List<String> strings(String key) {
    Object v = values.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      return (List<String>) l;
    }
    if (v instanceof String s) {
      return List.of(s);
    }
    throw new KesConfigException(join(path, key) + ": expected a list");
  }

  /**
   * The section under {@code key}; empty if absent or null.
   *
   * @throws KesConfigException if the value is not a section
   */
  public Optional<KeyStoreConfig> section(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof KeyStoreConfig c)) {
      throw new KesConfigException(join(path, key) + ": expected a section");
    }
    return Optional.of(c);
  }

  /** The section under {@code key}, or an empty section (with the right path) if absent or null. */
  public KeyStoreConfig sectionOrEmpty(String key) {
    return section(key).orElseGet(() -> new KeyStoreConfig(join(path, key), Map.of()));
  }

  /** This tree as nested maps, lists and strings (a copy). */
  public Map<String, Object> toMap() {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, v instanceof KeyStoreConfig c ? c.toMap() : v));
    return out;
  }

  /** Lists the keys only: values may be secrets (credentials), so they are never printed. */
  @Override
  public String toString() {
    return "KeyStoreConfig[" + (path.isEmpty() ? "<root>" : path) + ": " + values.keySet() + "]";
  }
}
