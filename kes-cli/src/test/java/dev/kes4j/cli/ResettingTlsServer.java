package dev.kes4j.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A TLS 1.2 server (the reference server's certificate) that, on receiving a client certificate,
 * resets the TCP connection instead of sending an alert: the client's handshake then fails after
 * the server certificate with a reset or an end of stream, as when a TLS 1.3 server's refusal
 * arrives while the client still writes.
 */
final class ResettingTlsServer implements AutoCloseable {
  private final ServerSocket listener;
  private final Thread acceptor;
  private volatile Socket handshaking; // the one connection the acceptor thread serves

  ResettingTlsServer(CliServer kes) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLSv1.2");
    ctx.init(kes.serverKeyManagers(), new TrustManager[] {new Resetting()}, null);
    listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              while (!listener.isClosed()) {
                try (Socket raw = listener.accept();
                    SSLSocket tls =
                        (SSLSocket) ctx.getSocketFactory().createSocket(raw, null, false)) {
                  tls.setUseClientMode(false);
                  tls.setEnabledProtocols(new String[] {"TLSv1.2"});
                  tls.setNeedClientAuth(true);
                  handshaking = raw;
                  tls.startHandshake();
                } catch (IOException expected) {
                  // the reset connection, or the listener closed
                }
              }
            },
            "resetting-tls-server");
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    listener.close();
    acceptor.join(5_000);
  }

  /** Resets the connection being handshaken when asked to trust a client certificate. */
  private final class Resetting extends X509ExtendedTrustManager {
    private void reset() throws CertificateException {
      try {
        handshaking.setSoLinger(true, 0);
        handshaking.close();
      } catch (IOException e) {
        // closed already
      }
      throw new CertificateException("reset instead of an alert");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, Socket s)
        throws CertificateException {
      reset();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e)
        throws CertificateException {
      reset();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {
      reset();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
