package io.tracemetrics.bench.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Asks VictoriaMetrics' {@code /api/v1/export} how many series of a selector hold a sample stamped
 * exactly with a window's end: the raw data, not a query's look-back, so a sample counts as queryable
 * exactly when it is.
 */
final class WindowProbe {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String selector;

  WindowProbe(String baseUrl, String selector) {
    this.baseUrl = baseUrl;
    this.selector = selector;
  }

  /** Series with a sample at {@code windowEndMillis}. */
  int seriesAt(long windowEndMillis) throws IOException, InterruptedException {
    String seconds = String.format("%d.%03d", windowEndMillis / 1000, windowEndMillis % 1000);
    URI uri = URI.create(baseUrl + "/api/v1/export?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)
        + "&start=" + seconds + "&end=" + seconds);
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
    }
    return count(response.body(), windowEndMillis);
  }

  /** Lines of export JSON whose timestamps include {@code millis}. */
  static int count(String exportBody, long millis) throws IOException {
    int count = 0;
    for (String line : exportBody.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode series = MAPPER.readTree(line);
      for (JsonNode timestamp : series.path("timestamps")) {
        if (timestamp.asLong() == millis) {
          count++;
          break;
        }
      }
    }
    return count;
  }
}
