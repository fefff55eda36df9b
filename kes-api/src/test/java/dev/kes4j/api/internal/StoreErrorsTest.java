package dev.kes4j.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyStoreUnreachableException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class StoreErrorsTest {

  @Test
  void namesTheKeyAndTheReasonInWords() {
    KesException e =
        new KeyStoreUnreachableException(
            false,
            "failed to create key",
            new IOException(
                "fs key store: cannot create /keys/my-key",
                new AccessDeniedException("/keys/my-key")));
    assertThat(StoreErrors.describe(e, "my-key"))
        .isEqualTo(
            "failed to create key \"my-key\": fs key store: cannot create /keys/my-key:"
                + " permission denied: /keys/my-key");
  }

  @Test
  void jdkExceptionsReadAsWordsNotClassNames() {
    assertThat(StoreErrors.reason(new NoSuchFileException("/x")))
        .isEqualTo("no such file or directory: /x");
    assertThat(StoreErrors.reason(new ConnectException("Connection refused")))
        .isEqualTo("connection refused");
    assertThat(
            StoreErrors.reason(
                new IOException("outer", new ConnectException("Connection refused"))))
        .isEqualTo("outer: connection refused");
  }

  @Test
  void withoutCauseOrNameItIsKesText() {
    assertThat(StoreErrors.describe(new KesException(502, "failed to list keys"), ""))
        .isEqualTo("failed to list keys");
  }
}
