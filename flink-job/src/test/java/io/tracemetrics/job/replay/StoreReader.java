package io.tracemetrics.job.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemetrics.testsupport.store.RawSample;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a seed's raw samples from a time on only: a job that emits a window per second from a span years
 * old writes millions of samples, which the launchers' whole-history readers would hold in memory. What lies
 * before that time is counted by the store instead ({@link #countBefore}).
 */
final class StoreReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private StoreReader() {}

  /** VictoriaMetrics' {@code /api/v1/export} from {@code fromMillis} on. */
  static Map<Map<String, String>, List<RawSample>> victoriaMetrics(String baseUrl, String selector, long fromMillis)
      throws Exception {
    String body = get(baseUrl + "/api/v1/export?match[]=" + encode(selector) + "&start=" + seconds(fromMillis));
    Map<Map<String, String>, List<RawSample>> series = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      List<RawSample> samples = series.computeIfAbsent(labels(node.get("metric")), l -> new ArrayList<>());
      for (int i = 0; i < node.get("values").size(); i++) {
        JsonNode value = node.get("values").get(i);
        // A staleness marker (the series expired) is exported as null.
        samples.add(new RawSample(node.get("timestamps").get(i).asLong(), value.isNull() ? Double.NaN : value.asDouble()));
      }
    }
    // Export may split one series over several lines: order each by time, duplicates kept.
    series.values().forEach(s -> s.sort((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis())));
    return series;
  }

  /** Prometheus' stored samples from {@code fromMillis} to now, through a range-vector selector. */
  static Map<Map<String, String>, List<RawSample>> prometheus(String baseUrl, String selector, long fromMillis)
      throws Exception {
    long now = System.currentTimeMillis();
    long rangeSeconds = (now - fromMillis) / 1000 + 1;
    JsonNode result = JSON.readTree(get(baseUrl + "/api/v1/query?query=" + encode(selector + "[" + rangeSeconds + "s]")
        + "&time=" + seconds(now))).path("data").path("result");
    Map<Map<String, String>, List<RawSample>> series = new LinkedHashMap<>();
    for (JsonNode node : result) {
      List<RawSample> samples = new ArrayList<>();
      for (JsonNode value : node.get("values")) {
        samples.add(new RawSample(Math.round(value.get(0).asDouble() * 1000), Double.parseDouble(value.get(1).asText())));
      }
      series.put(labels(node.get("metric")), samples);
    }
    return series;
  }

  /**
   * Per series, how many samples the store holds stamped before {@code beforeMillis} (since 2000). One
   * query per metric name: a rollup drops the name, so names queried together would collide.
   */
  static Map<Map<String, String>, Long> countBefore(String baseUrl, String prefix, long beforeMillis) throws Exception {
    long rangeSeconds = (beforeMillis - 946_684_800_000L) / 1000;
    Map<Map<String, String>, Long> counts = new LinkedHashMap<>();
    for (String name : new String[] {Oracle.CALLS, Oracle.COUNT, Oracle.SUM, Oracle.BUCKET}) {
      String selector = name + "{service_name=~\"" + prefix + ".*\"}";
      JsonNode result = JSON.readTree(get(baseUrl + "/api/v1/query?query="
          + encode("count_over_time(" + selector + "[" + rangeSeconds + "s])") + "&time=" + seconds(beforeMillis - 1)))
          .path("data").path("result");
      for (JsonNode node : result) {
        Map<String, String> labels = labels(node.get("metric"));
        labels.put("__name__", name);
        counts.put(labels, (long) Double.parseDouble(node.get("value").get(1).asText()));
      }
    }
    return counts;
  }

  private static Map<String, String> labels(JsonNode metric) {
    Map<String, String> labels = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      labels.put(field.getKey(), field.getValue().asText());
    }
    return labels;
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static String seconds(long millis) {
    return String.format("%d.%03d", millis / 1000, millis % 1000);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
