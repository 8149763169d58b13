package io.tracemetrics.testsupport.store;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Sends one-sample Remote-Write 1.0 requests, encoded by hand, so the stores' receivers are checked here
 * without the sink module. Field numbers from the remote-write protobuf: WriteRequest.timeseries = 1,
 * TimeSeries.labels = 1 and samples = 2, Label.name = 1 and value = 2, Sample.value = 1 and timestamp = 2.
 */
final class RemoteWriteRequests {

  private RemoteWriteRequests() {}

  static int post(String url, String name, Map<String, String> labels, double value, long timestampMillis)
      throws Exception {
    HttpResponse<String> response = send(url, name, labels, value, timestampMillis);
    if (response.statusCode() / 100 != 2) {
      throw new AssertionError("remote write answered " + response.statusCode() + ": " + response.body());
    }
    return response.statusCode();
  }

  /** Sends one sample and returns the answer, whatever its status. */
  static HttpResponse<String> send(String url, String name, Map<String, String> labels, double value,
      long timestampMillis) throws Exception {
    TreeMap<String, String> sorted = new TreeMap<>(labels);
    sorted.put("__name__", name);
    ByteArrayOutputStream series = new ByteArrayOutputStream();
    sorted.forEach((k, v) -> field(series, 1, label(k, v)));
    field(series, 2, sample(value, timestampMillis));
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    field(request, 1, series.toByteArray());

    HttpRequest post = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-protobuf")
        .header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(request.toByteArray())))
        .build();
    return HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] label(String name, String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    field(out, 1, name.getBytes(StandardCharsets.UTF_8));
    field(out, 2, value.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static byte[] sample(double value, long timestampMillis) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(1 << 3 | 1); // field 1, 64-bit
    long bits = Double.doubleToRawLongBits(value); // keeps a NaN's payload: the stale marker's
    for (int i = 0; i < 8; i++) {
      out.write((int) (bits >>> (8 * i)));
    }
    out.write(2 << 3); // field 2, varint
    varint(out, timestampMillis);
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, int number, byte[] bytes) {
    out.write(number << 3 | 2); // length-delimited
    varint(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
