package dev.kes4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditEventTest {

  @Test
  void newestKesShapeWithMilliseconds() {
    AuditEvent e =
        new AuditEvent(
            Instant.parse("2026-11-27T10:00:00.123456789Z"),
            "/v1/key/create/my-key",
            "3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22",
            "127.0.0.1",
            200,
            Duration.ofMillis(12));
    assertThat(e.toJson())
        .isEqualTo(
            "{\"time\":\"2026-11-27T10:00:00.123456789Z\",\"request\":{\"ip\":\"127.0.0.1\","
                + "\"path\":\"/v1/key/create/my-key\",\"identity\":"
                + "\"3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22\"},"
                + "\"response\":{\"code\":200,\"time\":12}}");
  }

  @Test
  void emptyIpAndIdentityAreOmittedAndTimeIsTrimmed() {
    AuditEvent e =
        new AuditEvent(
            Instant.parse("2026-11-27T10:00:00.500Z"), "/v1/status", "", "", 403, Duration.ZERO);
    assertThat(e.toJson())
        .isEqualTo(
            "{\"time\":\"2026-11-27T10:00:00.5Z\",\"request\":{\"path\":\"/v1/status\"},"
                + "\"response\":{\"code\":403,\"time\":0}}");
  }

  @Test
  void pathsAreJsonEscaped() {
    AuditEvent e =
        new AuditEvent(Instant.EPOCH, "/v1/key/create/a\"b\n", "", "", 400, Duration.ZERO);
    assertThat(e.toJson()).contains("\"path\":\"/v1/key/create/a\\\"b\\n\"");
    assertThat(e.toJson()).contains("\"time\":\"1970-01-01T00:00:00Z\"");
  }
}
