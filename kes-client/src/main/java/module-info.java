/**
 * A Java client for KES servers: {@link dev.kes4j.client.KesClient}, a {@link
 * dev.kes4j.api.KeyService} over HTTPS with mutual TLS or an API key, built on {@code
 * java.net.http}.
 *
 * <p>{@code dev.kes4j.api} is required transitively (its types are in every signature); it also
 * brings kes4j's one KES JSON codec. {@code dev.kes4j.policy} brings the API key codec and kes4j's
 * one PEM codec (JDK only): the client needs no other library. {@code dev.kes4j.client.internal} is
 * exported only to the kes4j command line, which reuses its environment and TLS helpers.
 */
module dev.kes4j.client {
  requires transitive dev.kes4j.api;
  requires dev.kes4j.policy;
  requires java.net.http;

  exports dev.kes4j.client;
  exports dev.kes4j.client.internal to
      dev.kes4j.cli;
}
