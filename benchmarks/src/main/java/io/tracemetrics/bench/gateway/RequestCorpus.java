package io.tracemetrics.bench.gateway;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracemetrics.bench.ServerSpans;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pre-encoded export requests shaped like an SDK's batches: one service per request (the resource), one
 * scope, HTTP-server-like spans with the usual semantic-convention attributes. Encoded once, before the
 * clock starts, so the load generator spends no CPU on protobuf.
 */
final class RequestCorpus {
  private final List<byte[]> requests;
  private final int spansPerRequest;

  private RequestCorpus(List<byte[]> requests, int spansPerRequest) {
    this.requests = requests;
    this.spansPerRequest = spansPerRequest;
  }

  static RequestCorpus build(LoadOptions options) {
    SplittableRandom random = new SplittableRandom(42);
    List<byte[]> requests = new ArrayList<>(options.distinctRequests());
    for (int r = 0; r < options.distinctRequests(); r++) {
      requests.add(request(r % options.services(), options, random).toByteArray());
    }
    return new RequestCorpus(List.copyOf(requests), options.spansPerRequest());
  }

  private static ExportTraceServiceRequest request(int service, LoadOptions options, SplittableRandom random) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ServerSpans.batch(random, service, options.spansPerRequest(), options.spanNames(), 20))
        .build();
  }

  byte[] request(int index) {
    return requests.get(Math.floorMod(index, requests.size()));
  }

  int size() {
    return requests.size();
  }

  int spansPerRequest() {
    return spansPerRequest;
  }

  double averageBytes() {
    return requests.stream().mapToInt(b -> b.length).average().orElse(0);
  }
}
