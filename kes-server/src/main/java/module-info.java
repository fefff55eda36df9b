/**
 * The reference mTLS HTTPS front of {@link dev.kes4j.http.KesHttpApi} (Netty, JDK TLS or
 * BoringSSL), and the dev and config servers the {@code kes4j} command starts. Key stores are found
 * at run time through {@link dev.kes4j.api.spi.KeyStores}.
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
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.util;
  requires org.slf4j;

  exports dev.kes4j.server;
  // the kes4j command (kes-cli) starts the dev and config servers and reads PEM files with these;
  // the JUnit extension (kes-junit) generates its test server's certificates with Pki and Pem
  exports dev.kes4j.server.internal to
      dev.kes4j.cli,
      dev.kes4j.junit;
}
