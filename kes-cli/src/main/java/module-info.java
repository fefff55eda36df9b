/**
 * The {@code kes4j} command: {@code server --dev|--config}, {@code identity}, {@code key}, {@code
 * doctor} and the other client commands, over {@code dev.kes4j.server} and {@code
 * dev.kes4j.client}. Key stores (mem, fs, GCP) are run-time dependencies, found through {@link
 * dev.kes4j.api.spi.KeyStores}; the log binding (slf4j-simple) and the System.Logger bridge are
 * run-time services too.
 *
 * <p>It uses other jars' internals only through their qualified exports: the dev and config servers
 * ({@code dev.kes4j.server.internal}), the client's environment and TLS helpers ({@code
 * dev.kes4j.client.internal}) and kes4j's PEM codec and certificate minter ({@code
 * dev.kes4j.policy.internal.pki}). Picocli reads the command classes reflectively, so their
 * packages are open to it. The runnable {@code kes4j.jar} is a shaded class-path jar; this
 * descriptor is for the module path (and keeps the compiler checking the qualified exports).
 */
module dev.kes4j.cli {
  requires dev.kes4j.api;
  requires dev.kes4j.client;
  requires dev.kes4j.core;
  requires dev.kes4j.policy;
  requires dev.kes4j.server;
  requires com.fasterxml.jackson.databind;
  requires info.picocli;
  requires java.net.http;
  requires jul.to.slf4j;

  exports dev.kes4j.cli;

  opens dev.kes4j.cli to
      info.picocli;
  opens dev.kes4j.cli.internal to
      info.picocli;
}
