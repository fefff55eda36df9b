package dev.kes4j.http;

import static dev.kes4j.http.Responses.NDJSON;
import static dev.kes4j.http.Responses.empty;
import static dev.kes4j.http.Responses.json;

import dev.kes4j.api.KesException;
import dev.kes4j.api.ServiceStatus;
import dev.kes4j.api.internal.KesJson;
import dev.kes4j.core.Kes;
import dev.kes4j.http.Endpoint.Call;
import dev.kes4j.http.internal.LogHub;
import dev.kes4j.http.internal.ServerMetrics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The service routes: {@code /version}, {@code /v1/ready}, {@code /v1/status}, {@code /v1/metrics},
 * {@code /v1/api} and the two log streams. Thread-safe; ready and status probe the key store
 * (blocking within its bounds), the streams block in {@link ApiResponse.EventStream#run}.
 */
final class ServiceHandlers {
  private final Kes kes;
  private final String commit;
  private final ServerMetrics metrics;
  private final LogHub auditHub;
  private final LogHub errorHub;
  private final Supplier<List<KesHttpApi.Route>> routes;

  ServiceHandlers(
      Kes kes,
      String commit,
      ServerMetrics metrics,
      LogHub auditHub,
      LogHub errorHub,
      Supplier<List<KesHttpApi.Route>> routes) {
    this.kes = kes;
    this.commit = commit;
    this.metrics = metrics;
    this.auditHub = auditHub;
    this.errorHub = errorHub;
    this.routes = routes;
  }

  ApiResponse version(Call call) {
    return json(
        "{\"version\":"
            + KesJson.quote(Kes.version())
            + ",\"commit\":"
            + KesJson.quote(commit)
            + "}");
  }

  ApiResponse ready(Call call) {
    ServiceStatus s = kes.status();
    if (!s.keyStoreReachable()) {
      throw new KesException(504, "key store is not reachable");
    }
    return empty();
  }

  ApiResponse status(Call call) {
    ServiceStatus s = kes.status();
    Runtime rt = Runtime.getRuntime();
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"version\":").append(KesJson.quote(s.version()));
    sb.append(",\"os\":").append(KesJson.quote(goOs()));
    sb.append(",\"arch\":").append(KesJson.quote(goArch()));
    sb.append(",\"uptime\":").append(s.uptime().toSeconds());
    sb.append(",\"num_cpu\":").append(rt.availableProcessors());
    sb.append(",\"num_cpu_used\":").append(rt.availableProcessors());
    sb.append(",\"mem_heap_used\":").append(rt.totalMemory() - rt.freeMemory());
    sb.append(",\"mem_stack_used\":").append(ServerMetrics.stackEstimate());
    if (s.keyStoreReachable()) {
      if (!s.keyStoreLatency().isZero()) {
        // spec §1.4: sent as milliseconds, rounded, at least 1
        long ms = Math.max(1, Math.round(s.keyStoreLatency().toNanos() / 1e6));
        sb.append(",\"keystore_latency\":").append(ms);
      }
    } else {
      // spec §1.4: kms-go rejects unreachable without unavailable; send both
      sb.append(",\"keystore_unreachable\":true,\"keystore_unavailable\":true");
    }
    sb.append('}');
    return json(sb);
  }

  static String goOs() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("windows")) {
      return "windows";
    }
    if (os.startsWith("mac")) {
      return "darwin";
    }
    return os.replace(' ', '_');
  }

  static String goArch() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    switch (arch) {
      case "x86_64":
      case "amd64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      case "x86":
      case "i386":
      case "i686":
        return "386";
      default:
        return arch;
    }
  }

  ApiResponse metrics(Call call) {
    String accept = call.request().header("Accept").orElse("");
    return ApiResponse.of(
        200, Map.of("Content-Type", metrics.contentType(accept)), metrics.scrape(accept));
  }

  ApiResponse api(Call call) {
    List<KesHttpApi.Route> all = routes.get();
    StringBuilder sb = new StringBuilder(2048).append('[');
    for (int i = 0; i < all.size(); i++) {
      KesHttpApi.Route r = all.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"method\":").append(KesJson.quote(r.method()));
      sb.append(",\"path\":").append(KesJson.quote(r.path()));
      sb.append(",\"max_body\":").append(r.maxBody());
      sb.append(",\"timeout\":").append(r.timeout().toSeconds()).append('}');
    }
    return json(sb.append(']'));
  }

  ApiResponse errorLog(Call call) {
    return ApiResponse.stream(Map.of("Content-Type", NDJSON), errorHub.stream());
  }

  ApiResponse auditLog(Call call) {
    return ApiResponse.stream(Map.of("Content-Type", NDJSON), auditHub.stream());
  }
}
