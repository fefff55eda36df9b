package dev.kes4j.server.internal;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * KES's Prometheus metrics (spec §11) in a registry of their own, exposed through the Prometheus
 * Java client's text writers. Counters keep KES's names in the Prometheus text format: the Java
 * client would name their samples {@code <name>_total}, which KES clients (kms-go) do not find, so
 * the three request counters and two log counters have that suffix removed again (sample, {@code #
 * HELP} and {@code # TYPE} lines), giving exactly the exposition Go KES serves. OpenMetrics output
 * is left as the client writes it. Thread-safe.
 */
public final class ServerMetrics {
  /** The text format's content type. */
  public static final String TEXT_CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private static final List<String> COUNTERS =
      List.of(
          "kes_http_request_success",
          "kes_http_request_error",
          "kes_http_request_failure",
          "kes_log_error_events",
          "kes_log_audit_events");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter success;
  private final Counter error;
  private final Counter failure;
  private final Gauge active;
  private final Histogram responseTime;
  private final Counter errorEvents;
  private final Counter auditEvents;
  private final PrometheusTextFormatWriter textWriter = PrometheusTextFormatWriter.create();
  private final OpenMetricsTextFormatWriter openMetricsWriter =
      OpenMetricsTextFormatWriter.create();

  /** Registers the metrics; {@code started} is the server's start time for the up-time gauge. */
  public ServerMetrics(Instant started) {
    success =
        Counter.builder()
            .name("kes_http_request_success")
            .help("Number of requests that have been served successfully.")
            .labelNames("code")
            .register(registry);
    error =
        Counter.builder()
            .name("kes_http_request_error")
            .help("Number of request that failed due to some error. (HTTP 4xx status code)")
            .labelNames("code")
            .register(registry);
    failure =
        Counter.builder()
            .name("kes_http_request_failure")
            .help(
                "Number of request that failed due to some internal failure. (HTTP 5xx status code)")
            .labelNames("code")
            .register(registry);
    active =
        Gauge.builder()
            .name("kes_http_request_active")
            .help("Number of active requests that are not finished, yet.")
            .register(registry);
    responseTime =
        Histogram.builder()
            .name("kes_http_response_time")
            .help("Histogram of request response times spawning from 10ms to 10s.")
            .classicOnly()
            .classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 3, 5, 10)
            .register(registry);
    errorEvents =
        Counter.builder()
            .name("kes_log_error_events")
            .help("Number of error log events written to the error log targets.")
            .register(registry);
    auditEvents =
        Counter.builder()
            .name("kes_log_audit_events")
            .help("Number of audit log events written to the audit log targets.")
            .register(registry);
    Runtime rt = Runtime.getRuntime();
    gauge(
        "kes_system_up_time",
        "The time the server has been up and running in seconds.",
        () -> java.time.Duration.between(started, Instant.now()).toSeconds());
    gauge(
        "kes_system_num_cpu",
        "The number of logical CPUs available on the system.",
        rt::availableProcessors);
    gauge(
        "kes_system_num_cpu_used",
        "The number of logical CPUs usable by the server.",
        rt::availableProcessors);
    gauge(
        "kes_system_num_threads",
        "The number of concurrently running threads.",
        ServerMetrics::threads);
    gauge(
        "kes_system_mem_heap_used",
        "The number of bytes currently allocated on the heap.",
        () -> rt.totalMemory() - rt.freeMemory());
    gauge(
        "kes_system_mem_heap_objects",
        "The number of objects currently allocated on the heap.",
        () -> 0);
    gauge(
        "kes_system_mem_stack_used",
        "The number of bytes currently used on the stack.",
        ServerMetrics::stackEstimate);
  }

  private void gauge(String name, String help, LongSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsLong()))
        .register(registry);
  }

  /** Live thread count. */
  public static long threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /** A thread-stack estimate: live threads × 1 MiB (the JVM's default stack size). */
  public static long stackEstimate() {
    return threads() << 20;
  }

  /** A request started. */
  public void requestStarted() {
    active.inc();
  }

  /** A request finished with {@code status} after {@code nanos}. */
  public void requestEnded(int status, long nanos) {
    active.dec();
    String code = Integer.toString(status);
    if (status >= 500) {
      failure.labelValues(code).inc();
    } else if (status >= 400) {
      error.labelValues(code).inc();
    } else {
      success.labelValues(code).inc();
    }
    responseTime.observe(nanos / 1e9);
  }

  /** One error log event was written. */
  public void errorEvent() {
    errorEvents.inc();
  }

  /** One audit log event was written. */
  public void auditEvent() {
    auditEvents.inc();
  }

  /** The registry (dedicated to this server). */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** The content type {@link #scrape} answers for an {@code Accept} header. */
  public String contentType(String accept) {
    return openMetricsWriter.accepts(accept)
        ? openMetricsWriter.getContentType()
        : textWriter.getContentType();
  }

  /** The exposition for an {@code Accept} header (OpenMetrics if asked for, else text 0.0.4). */
  public byte[] scrape(String accept) {
    MetricSnapshots snapshots = registry.scrape();
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try {
      if (openMetricsWriter.accepts(accept)) {
        openMetricsWriter.write(out, snapshots);
        return out.toByteArray();
      }
      textWriter.write(out, snapshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return kesNames(out.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
  }

  private static String stripTotal(String line, String counter) {
    String suffixed = counter + "_total";
    for (String prefix : new String[] {"", "# HELP ", "# TYPE "}) {
      int n = prefix.length() + suffixed.length();
      if (line.startsWith(prefix)
          && line.startsWith(suffixed, prefix.length())
          && line.length() > n
          && (line.charAt(n) == '{' || line.charAt(n) == ' ')) {
        return prefix + counter + line.substring(n);
      }
    }
    return line;
  }

  private static String kesNames(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl + 1;
      String line = text.substring(start, end);
      for (String c : COUNTERS) {
        line = stripTotal(line, c);
      }
      sb.append(line);
      start = end;
    }
    return sb.toString();
  }
}
