package dev.kes4j.http.internal;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * KES's fixed set of Prometheus metrics (spec §11) and their two text expositions, written here
 * rather than through a metrics library. The Prometheus text format 0.0.4 output carries KES's own
 * names (counters without a {@code _total} suffix, as kms-go expects); the OpenMetrics 1.0 output
 * names counter samples {@code <name>_total} and ends with {@code # EOF}. Both list the metric
 * families sorted by name; a labelled counter with no samples yet is left out, as the Prometheus
 * Java client leaves it out.
 *
 * <p>Thread-safe and lock-free: updates never block; a scrape reads each value once (a concurrent
 * update may show in one value and not yet in another).
 */
public final class ServerMetrics {
  /** The text format's content type. */
  public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** The OpenMetrics format's content type. */
  public static final String OPENMETRICS_CONTENT_TYPE =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private static final double[] BOUNDS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 3, 5, 10};

  /** One metric family: its name, help and how it writes its samples. */
  private abstract static class Family {
    final String name;
    final String help;

    Family(String name, String help) {
      this.name = name;
      this.help = help;
    }

    abstract String type();

    /** Whether there is at least one sample to write. */
    boolean present() {
      return true;
    }

    abstract void samples(StringBuilder out, boolean openMetrics);
  }

  /** A counter with one {@code code} label per status. */
  private static final class CodeCounter extends Family {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    CodeCounter(String name, String help) {
      super(name, help);
    }

    void inc(String code) {
      counts.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    @Override
    String type() {
      return "counter";
    }

    @Override
    boolean present() {
      return !counts.isEmpty();
    }

    @Override
    void samples(StringBuilder out, boolean openMetrics) {
      for (Map.Entry<String, LongAdder> e : new TreeMap<>(counts).entrySet()) {
        out.append(name).append(openMetrics ? "_total" : "").append("{code=\"");
        out.append(e.getKey()).append("\"} ");
        number(out, e.getValue().sum()).append('\n');
      }
    }
  }

  /** A counter without labels. */
  private static final class PlainCounter extends Family {
    private final LongAdder count = new LongAdder();

    PlainCounter(String name, String help) {
      super(name, help);
    }

    @Override
    String type() {
      return "counter";
    }

    @Override
    void samples(StringBuilder out, boolean openMetrics) {
      out.append(name).append(openMetrics ? "_total " : " ");
      number(out, count.sum()).append('\n');
    }
  }

  /** A gauge read from a supplier at scrape time. */
  private static final class Gauge extends Family {
    private final LongSupplier value;

    Gauge(String name, String help, LongSupplier value) {
      super(name, help);
      this.value = value;
    }

    @Override
    String type() {
      return "gauge";
    }

    @Override
    void samples(StringBuilder out, boolean openMetrics) {
      number(out.append(name).append(' '), value.getAsLong()).append('\n');
    }
  }

  /** A classic histogram over {@link #BOUNDS} (upper bounds inclusive). */
  private static final class Histogram extends Family {
    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(String name, String help) {
      super(name, help);
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void observe(double seconds) {
      int i = 0;
      while (i < BOUNDS.length && seconds > BOUNDS[i]) {
        i++;
      }
      buckets[i].increment();
      sum.add(seconds);
      count.increment();
    }

    @Override
    String type() {
      return "histogram";
    }

    @Override
    void samples(StringBuilder out, boolean openMetrics) {
      long cumulative = 0;
      for (int i = 0; i < buckets.length; i++) {
        cumulative += buckets[i].sum();
        out.append(name).append("_bucket{le=\"");
        out.append(i < BOUNDS.length ? Double.toString(BOUNDS[i]) : "+Inf");
        out.append("\"} ").append(cumulative).append('\n');
      }
      out.append(name).append("_count ").append(cumulative).append('\n');
      out.append(name).append("_sum ").append(Double.toString(sum.sum())).append('\n');
    }
  }

  private final CodeCounter success =
      new CodeCounter(
          "kes_http_request_success", "Number of requests that have been served successfully.");
  private final CodeCounter error =
      new CodeCounter(
          "kes_http_request_error",
          "Number of request that failed due to some error. (HTTP 4xx status code)");
  private final CodeCounter failure =
      new CodeCounter(
          "kes_http_request_failure",
          "Number of request that failed due to some internal failure. (HTTP 5xx status code)");
  private final AtomicLong active = new AtomicLong();
  private final Histogram responseTime =
      new Histogram(
          "kes_http_response_time",
          "Histogram of request response times spawning from 10ms to 10s.");
  private final PlainCounter errorEvents =
      new PlainCounter(
          "kes_log_error_events", "Number of error log events written to the error log targets.");
  private final PlainCounter auditEvents =
      new PlainCounter(
          "kes_log_audit_events", "Number of audit log events written to the audit log targets.");
  private final List<Family> families;

  /**
   * The metrics; {@code started} is the server's start time for the up-time gauge, {@code
   * heapObjects} counts for the heap objects gauge.
   */
  public ServerMetrics(Instant started, HeapObjects heapObjects) {
    Runtime rt = Runtime.getRuntime();
    List<Family> all = new ArrayList<>();
    all.add(success);
    all.add(error);
    all.add(failure);
    all.add(
        new Gauge(
            "kes_http_request_active",
            "Number of active requests that are not finished, yet.",
            active::get));
    all.add(responseTime);
    all.add(errorEvents);
    all.add(auditEvents);
    all.add(
        new Gauge(
            "kes_system_up_time",
            "The time the server has been up and running in seconds.",
            () -> Duration.between(started, Instant.now()).toSeconds()));
    all.add(
        new Gauge(
            "kes_system_num_cpu",
            "The number of logical CPUs available on the system.",
            rt::availableProcessors));
    all.add(
        new Gauge(
            "kes_system_num_cpu_used",
            "The number of logical CPUs usable by the server.",
            rt::availableProcessors));
    all.add(
        new Gauge(
            "kes_system_num_threads",
            "The number of concurrently running threads.",
            ServerMetrics::threads));
    all.add(
        new Gauge(
            "kes_system_mem_heap_used",
            "The number of bytes currently allocated on the heap.",
            () -> rt.totalMemory() - rt.freeMemory()));
    all.add(
        new Gauge(
            "kes_system_mem_heap_objects",
            "The number of objects currently allocated on the heap.",
            heapObjects::count));
    all.add(
        new Gauge(
            "kes_system_mem_stack_used",
            "The number of bytes currently used on the stack.",
            ServerMetrics::stackEstimate));
    all.sort(Comparator.comparing(f -> f.name));
    this.families = List.copyOf(all);
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
    active.incrementAndGet();
  }

  /** A request finished with {@code status} after {@code nanos}. */
  public void requestEnded(int status, long nanos) {
    active.decrementAndGet();
    String code = Integer.toString(status);
    if (status >= 500) {
      failure.inc(code);
    } else if (status >= 400) {
      error.inc(code);
    } else {
      success.inc(code);
    }
    responseTime.observe(nanos / 1e9);
  }

  /** One error log event was written. */
  public void errorEvent() {
    errorEvents.count.increment();
  }

  /** One audit log event was written. */
  public void auditEvent() {
    auditEvents.count.increment();
  }

  /** Whether an {@code Accept} header asks for OpenMetrics. */
  private static boolean wantsOpenMetrics(String accept) {
    return accept != null && accept.contains("application/openmetrics-text");
  }

  /** The content type {@link #scrape} answers for an {@code Accept} header. */
  public String contentType(String accept) {
    return wantsOpenMetrics(accept) ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
  }

  /** The exposition for an {@code Accept} header (OpenMetrics if asked for, else text 0.0.4). */
  public byte[] scrape(String accept) {
    boolean om = wantsOpenMetrics(accept);
    StringBuilder out = new StringBuilder(4096);
    for (Family f : families) {
      if (!f.present()) {
        continue;
      }
      if (om) {
        out.append("# TYPE ").append(f.name).append(' ').append(f.type()).append('\n');
        out.append("# HELP ").append(f.name).append(' ').append(f.help).append('\n');
      } else {
        out.append("# HELP ").append(f.name).append(' ').append(f.help).append('\n');
        out.append("# TYPE ").append(f.name).append(' ').append(f.type()).append('\n');
      }
      f.samples(out, om);
    }
    if (om) {
      out.append("# EOF\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A sample value as the Prometheus client prints doubles ({@code 2.0}, {@code 1.2345678E7}). */
  private static StringBuilder number(StringBuilder out, long value) {
    return out.append(Double.toString((double) value));
  }
}
