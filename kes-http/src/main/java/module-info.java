/**
 * KES's HTTP API, transport-neutral: the route table, handlers, limits, error bodies, metrics text
 * and log streams, for a host to mount on its own server ({@link dev.kes4j.http.KesHttpApi}). No
 * transport, TLS provider or JSON library: kes4j's one KES JSON codec comes from kes-api.
 */
module dev.kes4j.http {
  requires transitive dev.kes4j.core;
  requires java.management;
  requires org.slf4j;

  exports dev.kes4j.http;
  // RefusalLog.clean for the reference server's TLS refusals
  exports dev.kes4j.http.internal to
      dev.kes4j.server;
}
