package dev.kes4j.api.spi;

import dev.kes4j.api.KesConfigException;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * A registry of {@link KeyStoreProvider}s by id, and the way from a {@code keystore:} config
 * section to an open {@link KeyStore}. Immutable and thread-safe.
 *
 * <pre>{@code
 * KeyStore store = KeyStores.discover().open(keystoreSection);
 * }</pre>
 */
public final class KeyStores {
  private static final System.Logger LOG = System.getLogger(KeyStores.class.getName());

  private final Map<String, KeyStoreProvider> providers;

  private KeyStores(Map<String, KeyStoreProvider> providers) {
    this.providers = Collections.unmodifiableMap(providers);
  }

  /**
   * Finds every provider visible to {@link ServiceLoader} (module path and class path) and logs the
   * id, class and code source of each.
   *
   * @throws KesConfigException if two providers claim one id (naming both classes)
   */
  public static KeyStores discover() {
    List<KeyStoreProvider> found = new ArrayList<>();
    for (KeyStoreProvider p : ServiceLoader.load(KeyStoreProvider.class)) {
      found.add(p);
    }
    KeyStores stores = of(found.toArray(new KeyStoreProvider[0]));
    for (KeyStoreProvider p : found) {
      LOG.log(
          System.Logger.Level.INFO,
          "key store provider ''{0}'': {1} from {2}",
          p.id(),
          p.getClass().getName(),
          origin(p.getClass()));
    }
    return stores;
  }

  /**
   * A registry of exactly these providers.
   *
   * @throws KesConfigException if two providers claim one id (naming both classes)
   */
  public static KeyStores of(KeyStoreProvider... providers) {
    Map<String, KeyStoreProvider> byId = new LinkedHashMap<>();
    for (KeyStoreProvider p : providers) {
      Objects.requireNonNull(p, "provider");
      KeyStoreProvider previous = byId.putIfAbsent(p.id(), p);
      if (previous != null) {
        throw new KesConfigException(
            "two key store providers claim the id '"
                + p.id()
                + "': "
                + previous.getClass().getName()
                + " and "
                + p.getClass().getName());
      }
    }
    return new KeyStores(byId);
  }

  /**
   * This registry plus {@code provider}.
   *
   * @throws KesConfigException if its id is taken
   */
  public KeyStores with(KeyStoreProvider provider) {
    List<KeyStoreProvider> all = new ArrayList<>(providers.values());
    all.add(provider);
    return of(all.toArray(new KeyStoreProvider[0]));
  }

  /** The ids of the registered providers. */
  public Set<String> ids() {
    return providers.keySet();
  }

  /** The provider with this id, if registered. */
  public Optional<KeyStoreProvider> provider(String id) {
    return Optional.ofNullable(providers.get(id));
  }

  /**
   * Opens the store that a {@code keystore:} section names. The section must name exactly one
   * provider: its id is a dotted path ({@code gcp.secretmanager} is the section {@code gcp} holding
   * {@code secretmanager}), and the provider receives the tree under that path.
   *
   * @param keystore the tree under {@code keystore:}
   * @throws KesConfigException if no or several stores are named, a store is unknown, or the
   *     provider rejects its configuration
   */
  public KeyStore open(KeyStoreConfig keystore) {
    Resolved r = resolve(keystore);
    return r.provider().open(r.section());
  }

  /**
   * The store a {@code keystore:} section names and where it keeps keys, for a startup banner:
   * {@code gcp.secretmanager: project 'p', endpoint secretmanager.googleapis.com:443}, {@code fs:
   * directory /var/lib/kes}, {@code mem: in memory} (see {@link KeyStoreProvider#describe}). Does
   * not open the store.
   *
   * @throws KesConfigException as {@link #open} does for an unknown or ambiguous section
   */
  public String describe(KeyStoreConfig keystore) {
    Resolved r = resolve(keystore);
    String where = r.provider().describe(r.section());
    return r.provider().id() + (where == null || where.isEmpty() ? "" : ": " + where);
  }

  private record Resolved(KeyStoreProvider provider, KeyStoreConfig section) {}

  private Resolved resolve(KeyStoreConfig keystore) {
    Objects.requireNonNull(keystore, "keystore");
    String where = keystore.path().isEmpty() ? "keystore" : keystore.path();
    if (keystore.keys().isEmpty()) {
      throw new KesConfigException(where + ": no keystore specified");
    }
    if (keystore.keys().size() > 1) {
      throw new KesConfigException(
          where + ": more than one keystore specified: " + String.join(", ", keystore.keys()));
    }
    String first = keystore.keys().iterator().next();
    List<String> candidates = new ArrayList<>();
    for (Map.Entry<String, KeyStoreProvider> e : providers.entrySet()) {
      String[] parts = e.getKey().split("\\.");
      if (!parts[0].equals(first)) {
        continue;
      }
      candidates.add(e.getKey());
      KeyStoreConfig section = keystore;
      boolean present = true;
      for (String part : parts) {
        if (!section.has(part)) {
          present = false;
          break;
        }
        section = section.sectionOrEmpty(part);
      }
      if (present) {
        return new Resolved(e.getValue(), section);
      }
    }
    throw new KesConfigException(
        where
            + ": unknown key store '"
            + first
            + "'"
            + (candidates.isEmpty() ? "" : " (known here: " + String.join(", ", candidates) + ")")
            + "; available: "
            + (providers.isEmpty() ? "none" : String.join(", ", providers.keySet())));
  }

  private static String origin(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null || source.getLocation() == null
        ? "<unknown>"
        : source.getLocation().toString();
  }
}
