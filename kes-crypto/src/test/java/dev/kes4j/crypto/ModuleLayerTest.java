package dev.kes4j.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.KesException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Loads kes-api and kes-crypto as real named modules in a fresh {@link ModuleLayer} (whatever way
 * the test itself runs) and seals/opens through the exported API only.
 */
class ModuleLayerTest {

  private static Path location(Class<?> c, String fallback) throws URISyntaxException {
    Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isRegularFile(p.resolve("module-info.class"))
        || (Files.isRegularFile(p) && p.toString().endsWith(".jar"))) {
      return p;
    }
    return Path.of(fallback); // e.g. target/classes when run from the module directory
  }

  @Test
  void sealsAndOpensThroughTheModuleLayer() throws Exception {
    Path api = location(KesException.class, "../kes-api/target/classes");
    Path crypto = location(MasterKey.class, "target/classes");
    ModuleFinder finder = ModuleFinder.of(api, crypto);
    Configuration cf =
        Configuration.resolve(
            finder,
            List.of(ModuleLayer.boot().configuration()),
            ModuleFinder.of(),
            Set.of("dev.kes4j.crypto"));
    ModuleLayer layer =
        ModuleLayer.defineModulesWithOneLoader(
                cf, List.of(ModuleLayer.boot()), ClassLoader.getPlatformClassLoader())
            .layer();

    Module module = layer.findModule("dev.kes4j.crypto").orElseThrow();
    ModuleDescriptor descriptor = module.getDescriptor();
    assertThat(descriptor.isAutomatic()).isFalse();
    assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source))
        .containsExactly("dev.kes4j.crypto");
    assertThat(descriptor.packages()).contains("dev.kes4j.crypto.internal");
    assertThat(
            descriptor.requires().stream()
                .filter(r -> r.name().equals("dev.kes4j.api"))
                .map(ModuleDescriptor.Requires::modifiers)
                .collect(Collectors.toList()))
        .containsExactly(Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE));

    ClassLoader loader = layer.findLoader("dev.kes4j.crypto");
    Class<?> masterKey = loader.loadClass("dev.kes4j.crypto.MasterKey");
    assertThat(masterKey.getModule()).isSameAs(module);
    assertThat(masterKey).isNotSameAs(MasterKey.class);

    @SuppressWarnings({"unchecked", "rawtypes"})
    Object aes = Enum.valueOf((Class) loader.loadClass("dev.kes4j.api.KeyAlgorithm"), "CHACHA20");
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object json = Enum.valueOf((Class) loader.loadClass("dev.kes4j.api.CiphertextFormat"), "JSON");
    Class<?> algorithmType = aes.getClass();
    Class<?> formatType = json.getClass();

    Object key = masterKey.getMethod("generate", algorithmType).invoke(null, aes);
    Method seal = masterKey.getMethod("seal", byte[].class, byte[].class, formatType);
    Method open = masterKey.getMethod("open", byte[].class, byte[].class);
    byte[] plaintext = "in a module layer".getBytes(StandardCharsets.UTF_8);
    byte[] context = "ctx".getBytes(StandardCharsets.UTF_8);
    byte[] ct = (byte[]) seal.invoke(key, plaintext, context, json);
    assertThat((byte[]) open.invoke(key, ct, context)).isEqualTo(plaintext);

    // the internal package is encapsulated
    Class<?> internal = loader.loadClass("dev.kes4j.crypto.internal.HChaCha20");
    assertThat(internal.getModule().isExported("dev.kes4j.crypto.internal")).isFalse();
  }
}
