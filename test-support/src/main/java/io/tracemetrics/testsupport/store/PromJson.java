package io.tracemetrics.testsupport.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the JSON of the Prometheus HTTP API and of VictoriaMetrics' {@code /api/v1/export}. */
final class PromJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Comparator<RawSample> BY_TIME = Comparator.comparingLong(RawSample::timestampMillis);

  private PromJson() {}

  /** The samples of an instant query whose result is a vector or a scalar. */
  static List<Sample> instant(String body) {
    JsonNode data = data(body);
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    switch (type) {
      case "vector":
        List<Sample> samples = new ArrayList<>();
        for (JsonNode series : result) {
          JsonNode point = series.path("value");
          samples.add(new Sample(labels(series.path("metric")), value(point.get(1)), millis(point.get(0))));
        }
        return samples;
      case "scalar":
        return List.of(new Sample(Map.of(), value(result.get(1)), millis(result.get(0))));
      default:
        throw new IllegalArgumentException("expected a vector or scalar result, got " + type + ": " + body);
    }
  }

  /** The series of an instant query over a range selector ({@code metric[1h]}): every raw sample in it. */
  static Map<Map<String, String>, List<RawSample>> matrix(String body) {
    JsonNode data = data(body);
    if (!"matrix".equals(data.path("resultType").asText())) {
      throw new IllegalArgumentException("expected a matrix result: " + body);
    }
    Map<Map<String, String>, List<RawSample>> series = new LinkedHashMap<>();
    for (JsonNode one : data.path("result")) {
      List<RawSample> samples = new ArrayList<>();
      for (JsonNode point : one.path("values")) {
        samples.add(new RawSample(millis(point.get(0)), value(point.get(1))));
      }
      samples.sort(BY_TIME);
      series.put(labels(one.path("metric")), List.copyOf(samples));
    }
    return series;
  }

  /** VictoriaMetrics' export format: one JSON object per line, values and millisecond timestamps apart. */
  static Map<Map<String, String>, List<RawSample>> export(String body) {
    Map<Map<String, String>, List<RawSample>> series = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode one = tree(line);
      JsonNode values = one.path("values");
      JsonNode timestamps = one.path("timestamps");
      List<RawSample> samples = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        samples.add(new RawSample(timestamps.get(i).asLong(), value(values.get(i))));
      }
      samples.sort(BY_TIME);
      // One series can come in several lines (one per storage part): join them.
      series.merge(labels(one.path("metric")), samples, PromJson::concatSorted);
    }
    series.replaceAll((labels, samples) -> List.copyOf(samples));
    return series;
  }

  private static List<RawSample> concatSorted(List<RawSample> a, List<RawSample> b) {
    List<RawSample> all = new ArrayList<>(a);
    all.addAll(b);
    all.sort(BY_TIME);
    return all;
  }

  private static JsonNode data(String body) {
    JsonNode root = tree(body);
    if (!"success".equals(root.path("status").asText())) {
      throw new IllegalArgumentException("query failed: " + body);
    }
    return root.path("data");
  }

  private static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  private static Map<String, String> labels(JsonNode metric) {
    Map<String, String> labels = new LinkedHashMap<>();
    metric.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /** Seconds with a fraction, as the query API writes them. */
  private static long millis(JsonNode seconds) {
    return Math.round(seconds.asDouble() * 1000);
  }

  /** Values are strings in the query API ({@code "+Inf"}, {@code "NaN"}) and numbers in the export. */
  static double value(JsonNode node) {
    if (node.isNull()) {
      // VictoriaMetrics exports a Prometheus stale marker as null (it drops every other NaN at ingestion).
      return Double.longBitsToDouble(0x7ff0000000000002L);
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    String text = node.asText();
    switch (text) {
      case "+Inf":
      case "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        return Double.parseDouble(text);
    }
  }
}
