/**
 * The reference mTLS HTTPS front of {@link dev.kes4j.http.KesHttpApi} (Netty, JDK TLS or
 * BoringSSL), and the dev and config servers the {@code kes4j} command starts. Key stores are found
 * at run time through {@link dev.kes4j.api.spi.KeyStores}. Keys and certificates are read and
 * minted with kes-policy's JDK-only PEM codec and certificate minter: no Bouncy Castle.
 */
module dev.kes4j.server {
  requires transitive dev.kes4j.http;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.codec.http2;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;
  requires org.slf4j;

  exports dev.kes4j.server;
  // the kes4j command (kes-cli) starts the dev and config servers with these; the JUnit
  // extension (kes-junit) starts its test server with them
  exports dev.kes4j.server.internal to
      dev.kes4j.cli,
      dev.kes4j.junit;
}
