package dev.kes4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.KesConfigException;
import dev.kes4j.api.KesException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** {@link ErrorWords} on the shapes the JDK and kes4j's libraries produce. */
class ErrorWordsTest {
  @Test
  void connectFailuresAsJavaNetHttpReportsThem() {
    ConnectException c = new ConnectException();
    c.initCause(new ClosedChannelException());
    KesException e =
        new KesException(503, "cannot connect to KES server https://h:1: ConnectException", c);
    assertThat(ErrorWords.message(e))
        .isEqualTo("cannot connect to KES server https://h:1: connection refused");
  }

  @Test
  void wrappedFileErrorsSayThePathOnce() {
    NoSuchFileException f = new NoSuchFileException("/a/b.pem");
    KesConfigException e = new KesConfigException("cannot read /a/b.pem: " + f, f);
    assertThat(ErrorWords.message(e)).isEqualTo("cannot read /a/b.pem: no such file");
    AccessDeniedException d = new AccessDeniedException("/a/c.pem");
    assertThat(ErrorWords.message(new KesConfigException("cannot open the key file", d)))
        .isEqualTo("cannot open the key file: permission denied: /a/c.pem");
  }

  @Test
  void tlsAlertsAndHostnameMismatches() {
    SSLHandshakeException alert =
        new SSLHandshakeException("Received fatal alert: bad_certificate");
    assertThat(ErrorWords.message(new KesException(503, "request to KES server x failed", alert)))
        .isEqualTo(
            "request to KES server x failed: the server refused the client certificate (TLS alert"
                + " bad_certificate)");
    SSLHandshakeException name =
        new SSLHandshakeException(
            "No subject alternative names matching IP address 10.0.0.1 found");
    assertThat(ErrorWords.message(name)).contains("not issued for this address");
  }

  @Test
  void classNamesNeverRemain() {
    assertThat(
            ErrorWords.clean(
                "PKIX path building failed:"
                    + " sun.security.provider.certpath.SunCertPathBuilderException: unable to find"
                    + " valid certification path to requested target"))
        .isEqualTo(
            "PKIX path building failed: unable to find valid certification path to requested target");
    assertThat(ErrorWords.clean("key 'MyError' does not exist"))
        .isEqualTo("key 'MyError' does not exist");
    assertThat(ErrorWords.message(new IllegalStateException()))
        .isEqualTo("unexpected error (a bug in kes4j: please report it)");
    assertThat(
            ErrorWords.message(
                new KesException(
                    502,
                    "failed to create key",
                    new RuntimeException(
                        "CreateSecret: PERMISSION_DENIED: io.grpc.StatusRuntimeException:"
                            + " PERMISSION_DENIED: denied (io.grpc.StatusRuntimeException:"
                            + " PERMISSION_DENIED: denied)"))))
        .isEqualTo("failed to create key: CreateSecret: PERMISSION_DENIED: denied");
  }

  @Test
  void nearMissesOnly() {
    assertThat(ParseErrors.near("stauts", "status")).isTrue();
    assertThat(ParseErrors.near("stat", "status")).isTrue();
    assertThat(ParseErrors.near("tool", "doctor")).isFalse();
    assertThat(ParseErrors.near("bogus", "log")).isFalse();
  }
}
