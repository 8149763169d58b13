package io.tracemetrics.bench.compare.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestSetTest {
  private static final long[] BUCKETS_MS = {2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10000,
      15000};

  /** The series of every span of every request, by decoding the bytes, in request and span order. */
  static List<List<SeriesKey>> decode(RequestSet set) throws Exception {
    List<List<SeriesKey>> all = new java.util.ArrayList<>();
    for (int r = 0; r < set.size(); r++) {
      all.add(decode(ExportTraceServiceRequest.parseFrom(set.stamp(r, 1_000_000_000_000L))));
    }
    return all;
  }

  static List<SeriesKey> decode(ExportTraceServiceRequest request) {
    List<SeriesKey> keys = new java.util.ArrayList<>();
    for (ResourceSpans resource : request.getResourceSpansList()) {
      String service = attribute(resource.getResource().getAttributesList(), "service.name");
      resource.getScopeSpansList().forEach(scope -> scope.getSpansList().forEach(span -> keys.add(
          new SeriesKey(service, span.getName(), span.getKind().name(), span.getStatus().getCode().name()))));
    }
    return keys;
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    return attributes.stream().filter(a -> a.getKey().equals(key)).findFirst().orElseThrow()
        .getValue().getStringValue();
  }

  private static void assertOracleMatchesTheBytes(TrafficMix mix, int minRequests) throws Exception {
    RequestSet set = RequestSet.build(mix, minRequests);
    List<List<SeriesKey>> decoded = decode(set);
    Set<SeriesKey> distinct = new HashSet<>();
    for (int r = 0; r < set.size(); r++) {
      int[] ids = set.seriesIds(r);
      assertThat(decoded.get(r)).hasSize(set.spans(r)).hasSize(ids.length);
      for (int s = 0; s < ids.length; s++) {
        assertThat(set.series(ids[s])).isEqualTo(decoded.get(r).get(s));
      }
      distinct.addAll(decoded.get(r));
    }
    assertThat((long) distinct.size()).isEqualTo(mix.series()).isEqualTo(set.seriesCount());
    assertThat(set.size()).isGreaterThanOrEqualTo(minRequests);
  }

  @Test
  void theDecodedRequestsHoldExactlyTheMixsSeriesAndTheOracleNamesEachSpansSeries() throws Exception {
    assertOracleMatchesTheBytes(new TrafficMix(3, 7, 2, 0.3, 0.25, 4, 1), 0);
    assertOracleMatchesTheBytes(new TrafficMix(2, 5, 1, 0, 0, 3, 2), 0);
    assertOracleMatchesTheBytes(new TrafficMix(4, 10, 2, 0.1, 0.05, 50, 3), 37);
  }

  @Test
  void aHundredThousandSeriesMixIsCoveredByTheFewestRequests() throws Exception {
    TrafficMix mix = TrafficMix.forSeries(100_000, 200, 7);
    assertThat(mix.services()).isEqualTo(100);
    assertThat(mix.spanNames()).isEqualTo(500);
    RequestSet set = RequestSet.build(mix);
    Set<SeriesKey> distinct = new HashSet<>();
    decode(set).forEach(distinct::addAll);
    assertThat((long) distinct.size()).isEqualTo(mix.series()).isEqualTo(105_000);
    // Per service: every (name, kind) UNSET, and an ERROR span for each of the 25 error names' kinds.
    long cycle = 2L * (500 + 25);
    assertThat(set.size()).isEqualTo(100 * (int) ((cycle + 199) / 200));
  }

  @Test
  void errorsAreSparse() throws Exception {
    TrafficMix mix = new TrafficMix(5, 200, 2, 0.1, 0.05, 100, 11);
    RequestSet set = RequestSet.build(mix);
    Map<String, long[]> byName = new HashMap<>();
    decode(set).forEach(spans -> spans.forEach(key -> {
      long[] counts = byName.computeIfAbsent(key.spanName(), n -> new long[2]);
      counts[key.status().equals("STATUS_CODE_ERROR") ? 1 : 0]++;
    }));
    long errorNames = byName.values().stream().filter(c -> c[1] > 0).count();
    assertThat(errorNames).isEqualTo(mix.errorNames()).isEqualTo(20);
    byName.values().stream().filter(c -> c[1] > 0)
        .forEach(c -> assertThat(c[1] / (double) (c[0] + c[1])).isCloseTo(0.05, org.assertj.core.data.Offset.offset(0.001)));
  }

  @Test
  void stampedSpansEndWithinTheLast100MillisecondsAndKeepTheirDurations() throws Exception {
    RequestSet set = RequestSet.build(new TrafficMix(2, 50, 2, 0.1, 0.05, 100, 5));
    long now = 1_760_000_000_123_456_789L;
    List<List<Long>> firstDurations = new java.util.ArrayList<>();
    int[] bucketCounts = new int[BUCKETS_MS.length + 1];
    for (int r = 0; r < set.size(); r++) {
      List<Long> durations = new java.util.ArrayList<>();
      for (Span span : spans(set.stamp(r, now))) {
        assertThat(span.getEndTimeUnixNano()).isBetween(now - 100_000_000L, now);
        long duration = span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
        assertThat(duration).isBetween(1_000_000L, 20_000_000_000L);
        durations.add(duration);
        int bucket = 0;
        while (bucket < BUCKETS_MS.length && duration > BUCKETS_MS[bucket] * 1_000_000L) {
          bucket++;
        }
        bucketCounts[bucket]++;
      }
      firstDurations.add(durations);
    }
    assertThat(bucketCounts).as("every spanmetrics default bucket gets spans").doesNotContain(0);
    long later = now + 5_000_000_000L;
    for (int r = 0; r < set.size(); r++) {
      List<Span> spans = spans(set.stamp(r, later));
      for (int s = 0; s < spans.size(); s++) {
        Span span = spans.get(s);
        assertThat(span.getEndTimeUnixNano()).isBetween(later - 100_000_000L, later);
        assertThat(span.getEndTimeUnixNano() - span.getStartTimeUnixNano()).isEqualTo(firstDurations.get(r).get(s));
        assertThat(span.getAttributesCount()).isEqualTo(5);
        assertThat(span.getStatus().getCode()).isIn(Status.StatusCode.STATUS_CODE_UNSET,
            Status.StatusCode.STATUS_CODE_ERROR);
      }
    }
  }

  private static List<Span> spans(byte[] body) throws Exception {
    return ExportTraceServiceRequest.parseFrom(body).getResourceSpans(0).getScopeSpans(0).getSpansList();
  }

  @Test
  void forSeriesPicksServicesAndNamesNearTheTarget() {
    TrafficMix small = TrafficMix.forSeries(1_000, 100, 1);
    assertThat(List.of(small.services(), small.spanNames(), small.kinds())).containsExactly(10, 50, 2);
    TrafficMix large = TrafficMix.forSeries(1_000_000, 100, 1);
    assertThat(List.of(large.services(), large.spanNames(), large.kinds())).containsExactly(500, 1000, 2);
  }

  @Test
  void invalidMixesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> new TrafficMix(0, 5, 1, 0, 0, 1, 1)).hasMessageContaining("services");
    assertThatThrownBy(() -> new TrafficMix(1, 5, 3, 0, 0, 1, 1)).hasMessageContaining("kinds");
    assertThatThrownBy(() -> new TrafficMix(1, 5, 1, 0.1, 0.7, 1, 1)).hasMessageContaining("errorRate");
    assertThatThrownBy(() -> new TrafficMix(1, 5, 1, 1.5, 0.1, 1, 1)).hasMessageContaining("errorNameFraction");
    assertThatThrownBy(() -> new TrafficMix(1, 5, 1, 0, 0, 0, 1)).hasMessageContaining("spansPerRequest");
  }
}
