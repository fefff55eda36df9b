package dev.kes4j.core.internal;

import dev.kes4j.api.spi.KeyStoreProvider;
import dev.kes4j.api.spi.KeyStores;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a config's {@code keystore:} section against the providers' declared {@link
 * KeyStoreProvider#settings()} before any store is opened: a near miss of a store's name or of a
 * setting is an error naming line, column and the setting meant; any other unknown setting is a
 * warning (an error in strict mode). Sections of providers that declare nothing are left to the
 * provider. Stateless and thread-safe.
 */
public final class KeyStoreSettings {
  private KeyStoreSettings() {}

  /**
   * Checks {@code keystore}.
   *
   * @return warnings, each naming path and line
   * @throws dev.kes4j.api.KesConfigException for a near miss, or an unknown setting when strict
   */
  public static List<String> check(ConfigNode keystore, KeyStores stores, boolean strict) {
    List<String> warnings = new ArrayList<>();
    if (keystore == null || keystore.isNull() || !keystore.isMapping()) {
      return warnings;
    }
    walk(keystore, "", stores, strict, warnings);
    return warnings;
  }

  /** {@code node} is the section at provider-id prefix {@code prefix} ("" or "gcp" …). */
  private static void walk(
      ConfigNode node, String prefix, KeyStores stores, boolean strict, List<String> warnings) {
    Optional<KeyStoreProvider> provider =
        prefix.isEmpty() ? Optional.empty() : stores.provider(prefix);
    if (provider.isPresent()) {
      provider.get().settings().ifPresent(s -> checkSection(node, s, strict, warnings));
      return;
    }
    Set<String> next = new LinkedHashSet<>();
    for (String id : stores.ids()) {
      if (prefix.isEmpty() || id.startsWith(prefix + ".")) {
        next.add(id.substring(prefix.isEmpty() ? 0 : prefix.length() + 1).split("\\.")[0]);
      }
    }
    for (Map.Entry<String, ConfigNode> e : node.mapping().entrySet()) {
      if (next.contains(e.getKey())) {
        ConfigNode child = e.getValue();
        if (child.isNull() || child.isMapping()) {
          walk(
              child,
              prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
              stores,
              strict,
              warnings);
        }
        continue;
      }
      Optional<String> meant = Suggest.nearest(e.getKey(), next);
      if (meant.isPresent()) {
        throw e.getValue()
            .errorAt(
                "unknown key store '" + e.getKey() + "' — did you mean '" + meant.get() + "'?");
      }
      // not a near miss: KeyStores.open names the unknown store and the available ones
    }
  }

  private static void checkSection(
      ConfigNode node, Set<String> settings, boolean strict, List<String> warnings) {
    if (node.isNull() || !node.isMapping()) {
      return;
    }
    Set<String> here = new LinkedHashSet<>();
    for (String s : settings) {
      here.add(s.split("\\.")[0]);
    }
    node.checkKnown(here, strict, warnings);
    for (Map.Entry<String, ConfigNode> e : node.mapping().entrySet()) {
      if (!here.contains(e.getKey()) || !e.getValue().isMapping()) {
        continue;
      }
      Set<String> nested = new LinkedHashSet<>();
      for (String s : settings) {
        if (s.startsWith(e.getKey() + ".")) {
          nested.add(s.substring(e.getKey().length() + 1));
        }
      }
      if (!nested.isEmpty()) {
        checkSection(e.getValue(), nested, strict, warnings);
      }
    }
  }
}
