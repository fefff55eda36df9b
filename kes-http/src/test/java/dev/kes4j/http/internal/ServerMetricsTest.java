package dev.kes4j.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The expositions byte for byte as the Prometheus Java client 1.x wrote them (with KES's counter
 * names in the text format), for the families whose values a test can fix.
 */
class ServerMetricsTest {
  static ServerMetrics sample() {
    ServerMetrics m = new ServerMetrics(Instant.now(), HeapObjects.every(Duration.ZERO));
    m.requestStarted();
    m.requestEnded(200, 3_000_000L);
    m.requestStarted();
    m.requestEnded(200, 70_000_000L);
    m.requestStarted();
    m.requestEnded(404, 12_000_000_000L);
    m.requestStarted();
    m.requestEnded(503, 1_000L);
    m.requestStarted();
    m.errorEvent();
    m.auditEvent();
    m.auditEvent();
    return m;
  }

  static String scrape(ServerMetrics m, String accept) {
    return new String(m.scrape(accept), StandardCharsets.UTF_8);
  }

  @Test
  void textFormatUsesKesCounterNames() {
    ServerMetrics m = sample();
    assertThat(m.contentType("text/plain")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(scrape(m, "text/plain"))
        .startsWith(
            ""
                + "# HELP kes_http_request_active Number of active requests that are not finished, yet.\n"
                + "# TYPE kes_http_request_active gauge\n"
                + "kes_http_request_active 1.0\n"
                + "# HELP kes_http_request_error Number of request that failed due to some error. (HTTP 4xx status code)\n"
                + "# TYPE kes_http_request_error counter\n"
                + "kes_http_request_error{code=\"404\"} 1.0\n"
                + "# HELP kes_http_request_failure Number of request that failed due to some internal failure. (HTTP 5xx status code)\n"
                + "# TYPE kes_http_request_failure counter\n"
                + "kes_http_request_failure{code=\"503\"} 1.0\n"
                + "# HELP kes_http_request_success Number of requests that have been served successfully.\n"
                + "# TYPE kes_http_request_success counter\n"
                + "kes_http_request_success{code=\"200\"} 2.0\n"
                + "# HELP kes_http_response_time Histogram of request response times spawning from 10ms to 10s.\n"
                + "# TYPE kes_http_response_time histogram\n"
                + "kes_http_response_time_bucket{le=\"0.01\"} 2\n"
                + "kes_http_response_time_bucket{le=\"0.05\"} 2\n"
                + "kes_http_response_time_bucket{le=\"0.1\"} 3\n"
                + "kes_http_response_time_bucket{le=\"0.25\"} 3\n"
                + "kes_http_response_time_bucket{le=\"0.5\"} 3\n"
                + "kes_http_response_time_bucket{le=\"1.0\"} 3\n"
                + "kes_http_response_time_bucket{le=\"1.5\"} 3\n"
                + "kes_http_response_time_bucket{le=\"3.0\"} 3\n"
                + "kes_http_response_time_bucket{le=\"5.0\"} 3\n"
                + "kes_http_response_time_bucket{le=\"10.0\"} 3\n"
                + "kes_http_response_time_bucket{le=\"+Inf\"} 4\n"
                + "kes_http_response_time_count 4\n"
                + "kes_http_response_time_sum 12.073001\n"
                + "# HELP kes_log_audit_events Number of audit log events written to the audit log targets.\n"
                + "# TYPE kes_log_audit_events counter\n"
                + "kes_log_audit_events 2.0\n"
                + "# HELP kes_log_error_events Number of error log events written to the error log targets.\n"
                + "# TYPE kes_log_error_events counter\n"
                + "kes_log_error_events 1.0\n")
        .contains("# HELP kes_system_num_cpu The number of logical CPUs available on the system.\n")
        .contains("# TYPE kes_system_up_time gauge\nkes_system_up_time 0.0\n")
        .contains("kes_system_mem_heap_objects 0.0\n")
        .doesNotContain("_total")
        .doesNotContain("# EOF");
  }

  @Test
  void openMetricsSuffixesCountersAndEnds() {
    ServerMetrics m = sample();
    String accept = "application/openmetrics-text; version=1.0.0";
    assertThat(m.contentType(accept))
        .isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(scrape(m, accept))
        .startsWith(
            ""
                + "# TYPE kes_http_request_active gauge\n"
                + "# HELP kes_http_request_active Number of active requests that are not finished, yet.\n"
                + "kes_http_request_active 1.0\n"
                + "# TYPE kes_http_request_error counter\n"
                + "# HELP kes_http_request_error Number of request that failed due to some error. (HTTP 4xx status code)\n"
                + "kes_http_request_error_total{code=\"404\"} 1.0\n"
                + "# TYPE kes_http_request_failure counter\n"
                + "# HELP kes_http_request_failure Number of request that failed due to some internal failure. (HTTP 5xx status code)\n"
                + "kes_http_request_failure_total{code=\"503\"} 1.0\n"
                + "# TYPE kes_http_request_success counter\n"
                + "# HELP kes_http_request_success Number of requests that have been served successfully.\n"
                + "kes_http_request_success_total{code=\"200\"} 2.0\n"
                + "# TYPE kes_http_response_time histogram\n"
                + "# HELP kes_http_response_time Histogram of request response times spawning from 10ms to 10s.\n"
                + "kes_http_response_time_bucket{le=\"0.01\"} 2\n"
                + "kes_http_response_time_bucket{le=\"0.05\"} 2\n"
                + "kes_http_response_time_bucket{le=\"0.1\"} 3\n"
                + "kes_http_response_time_bucket{le=\"0.25\"} 3\n"
                + "kes_http_response_time_bucket{le=\"0.5\"} 3\n"
                + "kes_http_response_time_bucket{le=\"1.0\"} 3\n"
                + "kes_http_response_time_bucket{le=\"1.5\"} 3\n"
                + "kes_http_response_time_bucket{le=\"3.0\"} 3\n"
                + "kes_http_response_time_bucket{le=\"5.0\"} 3\n"
                + "kes_http_response_time_bucket{le=\"10.0\"} 3\n"
                + "kes_http_response_time_bucket{le=\"+Inf\"} 4\n"
                + "kes_http_response_time_count 4\n"
                + "kes_http_response_time_sum 12.073001\n"
                + "# TYPE kes_log_audit_events counter\n"
                + "# HELP kes_log_audit_events Number of audit log events written to the audit log targets.\n"
                + "kes_log_audit_events_total 2.0\n"
                + "# TYPE kes_log_error_events counter\n"
                + "# HELP kes_log_error_events Number of error log events written to the error log targets.\n"
                + "kes_log_error_events_total 1.0\n")
        .contains("# TYPE kes_system_num_threads gauge\n# HELP kes_system_num_threads ")
        .endsWith("\n# EOF\n");
  }

  @Test
  void labelledCountersWithoutSamplesAreLeftOut() {
    String text = scrape(new ServerMetrics(Instant.now(), HeapObjects.every(Duration.ZERO)), null);
    assertThat(text)
        .startsWith(
            "# HELP kes_http_request_active Number of active requests that are not finished, yet.\n"
                + "# TYPE kes_http_request_active gauge\n"
                + "kes_http_request_active 0.0\n"
                + "# HELP kes_http_response_time ")
        .contains("kes_http_response_time_bucket{le=\"+Inf\"} 0\n")
        .contains("kes_log_audit_events 0.0\n")
        .doesNotContain("kes_http_request_success");
  }

  @Test
  void heapObjectsGaugeReadsTheCounter() {
    ServerMetrics m =
        new ServerMetrics(
            Instant.now(), new HeapObjects(Duration.ofMinutes(1), () -> 0L, () -> 123_456L));
    assertThat(scrape(m, ""))
        .contains(
            "# HELP kes_system_mem_heap_objects The number of objects currently allocated on the"
                + " heap.\n# TYPE kes_system_mem_heap_objects gauge\n"
                + "kes_system_mem_heap_objects 123456.0\n");
  }

  @Test
  void bucketBoundsAreInclusive() {
    ServerMetrics m = new ServerMetrics(Instant.now(), HeapObjects.every(Duration.ZERO));
    m.requestStarted();
    m.requestEnded(200, 10_000_000L); // exactly 0.01 s
    assertThat(scrape(m, "")).contains("kes_http_response_time_bucket{le=\"0.01\"} 1\n");
  }
}
