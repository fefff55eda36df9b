/**
 * The filesystem key store: provider id {@code fs}, selected in a KES config by {@code keystore:
 * fs: path: <dir>}. One file per key, laid out as Go KES lays it out, so a key directory can be
 * shared with Go KES in either direction.
 */
module dev.kes4j.keystore.fs {
  requires transitive dev.kes4j.api;

  exports dev.kes4j.keystore.fs;

  provides dev.kes4j.api.spi.KeyStoreProvider with
      dev.kes4j.keystore.fs.FsKeyStoreProvider;
}
