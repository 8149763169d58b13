package io.tracemetrics.bench.compare.load;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The export requests of a {@link TrafficMix}, encoded once before any clock starts, and the oracle of which
 * series each of their spans belongs to.
 *
 * <p>Each request carries one service's batch (resource with {@code service.name}, {@code
 * service.instance.id}, {@code telemetry.sdk.language}; one scope) of {@code spansPerRequest} HTTP spans.
 * Within a service the spans walk a fixed sequence of the service's series, each request continuing where the
 * service's previous one stopped: first every (name, kind) UNSET, then the extra UNSET visits of the error
 * names, then their ERROR spans. The set holds the fewest requests that cover the sequence once, so sending
 * every request once makes all {@link TrafficMix#series()} series live. Requests alternate between services.
 *
 * <p>The stacks under test count spans in event-time windows, so timestamps are rewritten at send time by
 * {@link #stamp}: in place, in the encoded bytes, at offsets found once while encoding. A request's bytes are
 * shared; whoever stamps and sends a request holds {@link #lock(int)} from stamping until the bytes are
 * written.
 */
public final class RequestSet {
  /** The high 32 bits of the placeholder timestamps written while encoding, found again in the bytes. */
  private static final long MAGIC = 0x5EA1C0DEL;
  private static final int START_TAG = (7 << 3) | 1;
  private static final int END_TAG = (8 << 3) | 1;
  private static final long WINDOW_NANOS = 100_000_000L;

  private final TrafficMix mix;
  private final byte[][] bodies;
  private final int[][] seriesIds;
  private final int[][] startOffsets;
  private final int[][] durationMicros;
  private final String[] names;
  private final int[] errorNames;
  private final long totalSpans;
  private final long totalBytes;

  private RequestSet(TrafficMix mix, byte[][] bodies, int[][] seriesIds, int[][] startOffsets,
      int[][] durationMicros, String[] names) {
    this.mix = mix;
    this.bodies = bodies;
    this.seriesIds = seriesIds;
    this.startOffsets = startOffsets;
    this.durationMicros = durationMicros;
    this.names = names;
    this.errorNames = errorNames(mix);
    long spans = 0;
    long bytes = 0;
    for (int r = 0; r < bodies.length; r++) {
      spans += seriesIds[r].length;
      bytes += bodies[r].length;
    }
    this.totalSpans = spans;
    this.totalBytes = bytes;
  }

  /** The fewest requests that cover every series of {@code mix} once. */
  public static RequestSet build(TrafficMix mix) {
    return build(mix, 0);
  }

  /**
   * At least {@code minRequests} requests (for variety in the rotation, or to have more requests than
   * senders so that they rarely wait for each other's lock), and at least the fewest that cover every series.
   */
  public static RequestSet build(TrafficMix mix, int minRequests) {
    if (minRequests < 0) {
      throw new IllegalArgumentException("minRequests must be >= 0, got " + minRequests);
    }
    int[] cycle = serviceCycle(mix);
    int spr = mix.spansPerRequest();
    long perService = Math.max((cycle.length + spr - 1) / spr, (minRequests + mix.services() - 1L) / mix.services());
    long count = perService * mix.services();
    if (count > 50_000_000L) {
      throw new IllegalArgumentException("the mix needs " + count + " requests; use more spansPerRequest");
    }
    String[] names = new String[mix.spanNames()];
    KeyValue[] routes = new KeyValue[names.length];
    for (int n = 0; n < names.length; n++) {
      String route = String.format("/api/r%04d", n);
      names[n] = "GET " + route;
      routes[n] = string("http.route", route);
    }
    Encoder encoder = new Encoder(mix, cycle, names, routes);
    int requests = (int) count;
    byte[][] bodies = new byte[requests][];
    int[][] seriesIds = new int[requests][];
    int[][] starts = new int[requests][];
    int[][] durations = new int[requests][];
    int[] position = new int[mix.services()];
    for (int r = 0; r < requests; r++) {
      int service = r % mix.services();
      int spans = (int) Math.min(spr, Math.max(cycle.length - position[service], 0));
      if (spans == 0) {
        spans = spr;
      }
      encoder.encode(service, position[service], spans);
      position[service] += spans;
      bodies[r] = encoder.body;
      seriesIds[r] = encoder.seriesIds;
      starts[r] = encoder.starts;
      durations[r] = encoder.durations;
    }
    return new RequestSet(mix, bodies, seriesIds, starts, durations, names);
  }

  /**
   * One pass over a service's series as local series ids: every (name, kind) UNSET, then the error names'
   * further UNSET visits, then their ERROR spans (see {@link TrafficMix#errorNameVisits()}).
   */
  private static int[] serviceCycle(TrafficMix mix) {
    int kinds = mix.kinds();
    int[] errorNames = errorNames(mix);
    int visits = mix.errorNameVisits();
    List<Integer> cycle = new ArrayList<>();
    for (int n = 0; n < mix.spanNames(); n++) {
      for (int k = 0; k < kinds; k++) {
        cycle.add(n * kinds + k);
      }
    }
    for (int visit = 1; visit < visits - 1; visit++) {
      for (int name : errorNames) {
        for (int k = 0; k < kinds; k++) {
          cycle.add(name * kinds + k);
        }
      }
    }
    for (int e = 0; e < errorNames.length; e++) {
      for (int k = 0; k < kinds; k++) {
        cycle.add(mix.spanNames() * kinds + e * kinds + k);
      }
    }
    return cycle.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The span names that also produce errors, in the order of their ERROR series ids. */
  private static int[] errorNames(TrafficMix mix) {
    int[] names = new int[mix.spanNames()];
    for (int i = 0; i < names.length; i++) {
      names[i] = i;
    }
    SplittableRandom random = new SplittableRandom(mix.seed());
    for (int i = names.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = names[i];
      names[i] = names[j];
      names[j] = swap;
    }
    return java.util.Arrays.copyOf(names, mix.errorNames());
  }

  public TrafficMix mix() {
    return mix;
  }

  /** Number of requests. */
  public int size() {
    return bodies.length;
  }

  /** Number of spans of request {@code request}. */
  public int spans(int request) {
    return seriesIds[request].length;
  }

  public long totalSpans() {
    return totalSpans;
  }

  /** The encoded size of all requests together. */
  public long totalBytes() {
    return totalBytes;
  }

  /** Number of series ids: {@link TrafficMix#series()}. */
  public int seriesCount() {
    return Math.toIntExact(mix.series());
  }

  /** The series with id {@code id}. */
  public SeriesKey series(int id) {
    long perService = mix.seriesPerService();
    int service = (int) (id / perService);
    int local = (int) (id % perService);
    int kinds = mix.kinds();
    int pairs = mix.spanNames() * kinds;
    boolean error = local >= pairs;
    int name = error ? errorNames[(local - pairs) / kinds] : local / kinds;
    return new SeriesKey(serviceName(service), names[name],
        (local % kinds == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT).name(),
        (error ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET).name());
  }

  /** The series id of each span of request {@code request}, in span order (a copy). */
  public int[] seriesIds(int request) {
    return seriesIds[request].clone();
  }

  /** Adds {@code times} to the count of each series request {@code request}'s spans belong to. */
  void addSeries(int request, long times, long[] perSeries) {
    for (int id : seriesIds[request]) {
      perSeries[id] += times;
    }
  }

  /** What to synchronize on while stamping request {@code request} and writing its bytes. */
  public Object lock(int request) {
    return bodies[request];
  }

  /**
   * Rewrites the timestamps of request {@code request} in place so that each span ends within the 100 ms
   * before {@code nowEpochNanos} and starts its duration earlier; returns the request's bytes. Hold
   * {@link #lock(int)} from this call until the bytes are sent.
   */
  public byte[] stamp(int request, long nowEpochNanos) {
    byte[] body = bodies[request];
    int[] starts = startOffsets[request];
    int[] durations = durationMicros[request];
    for (int s = 0; s < starts.length; s++) {
      long end = nowEpochNanos - jitter(request, s);
      putLong(body, starts[s], end - durations[s] * 1_000L);
      putLong(body, starts[s] + 9, end);
    }
    return body;
  }

  /** How long before now span {@code span} of {@code request} ends: fixed per span, in [0, 100 ms). */
  private static long jitter(int request, int span) {
    long mixed = ((long) request * 1_000_003L + span) * 0x9E3779B97F4A7C15L;
    return (mixed >>> 1) % WINDOW_NANOS;
  }

  private static void putLong(byte[] bytes, int offset, long value) {
    for (int i = 0; i < 8; i++) {
      bytes[offset + i] = (byte) (value >>> (8 * i));
    }
  }

  static String serviceName(int service) {
    return String.format("svc-%04d", service);
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  /** Encodes one request at a time; its last results are in its fields. */
  private static final class Encoder {
    private static final KeyValue METHOD = string("http.request.method", "GET");
    private static final KeyValue SCHEME = string("url.scheme", "http");
    private static final KeyValue OK = status(200);
    private static final KeyValue SERVER_ERROR = status(500);
    private static final InstrumentationScope SCOPE =
        InstrumentationScope.newBuilder().setName("io.opentelemetry.tomcat-10.0").setVersion("2.9.0").build();

    private final TrafficMix mix;
    private final int[] cycle;
    private final String[] names;
    private final KeyValue[] routes;
    private final int[] errorNames;
    private final SplittableRandom random;
    private final byte[] traceId = new byte[16];
    private final byte[] spanId = new byte[8];
    byte[] body;
    int[] seriesIds;
    int[] starts;
    int[] durations;

    Encoder(TrafficMix mix, int[] cycle, String[] names, KeyValue[] routes) {
      this.mix = mix;
      this.cycle = cycle;
      this.names = names;
      this.routes = routes;
      this.errorNames = errorNames(mix);
      this.random = new SplittableRandom(mix.seed() * 31 + 7);
    }

    void encode(int service, int position, int spans) {
      int kinds = mix.kinds();
      int pairs = mix.spanNames() * kinds;
      long seriesBase = service * mix.seriesPerService();
      String serviceName = serviceName(service);
      KeyValue address = string("server.address", serviceName + ".bench.internal");
      ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(SCOPE);
      seriesIds = new int[spans];
      durations = new int[spans];
      for (int s = 0; s < spans; s++) {
        int local = cycle[(position + s) % cycle.length];
        boolean error = local >= pairs;
        int name = error ? errorNames[(local - pairs) / kinds] : local / kinds;
        seriesIds[s] = (int) (seriesBase + local);
        durations[s] = durationMicros(random);
        random.nextBytes(traceId);
        random.nextBytes(spanId);
        scope.addSpans(Span.newBuilder()
            .setTraceId(ByteString.copyFrom(traceId))
            .setSpanId(ByteString.copyFrom(spanId))
            .setName(names[name])
            .setKind(local % kinds == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(MAGIC << 32 | 2L * s)
            .setEndTimeUnixNano(MAGIC << 32 | 2L * s + 1)
            .addAttributes(METHOD)
            .addAttributes(routes[name])
            .addAttributes(error ? SERVER_ERROR : OK)
            .addAttributes(address)
            .addAttributes(SCHEME)
            .setStatus(Status.newBuilder().setCode(
                error ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET)));
      }
      Resource resource = Resource.newBuilder()
          .addAttributes(string("service.name", serviceName))
          .addAttributes(string("service.instance.id", serviceName + "-0"))
          .addAttributes(string("telemetry.sdk.language", "java"))
          .build();
      body = ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
          .build().toByteArray();
      starts = locateTimestamps(body, spans);
    }

    /**
     * Finds the placeholder start and end times in the encoded bytes: each start (field 7) is directly followed
     * by its end (field 8), protobuf writing fields in number order.
     */
    private static int[] locateTimestamps(byte[] body, int spans) {
      int[] starts = new int[spans];
      java.util.Arrays.fill(starts, -1);
      int found = 0;
      for (int p = 1; p + 17 <= body.length; p++) {
        if (body[p - 1] == START_TAG && (readLong(body, p) >>> 32) == MAGIC) {
          long low = readLong(body, p) & 0xFFFF_FFFFL;
          int span = (int) (low / 2);
          if (low % 2 != 0 || span >= spans || starts[span] >= 0 || body[p + 8] != END_TAG
              || readLong(body, p + 9) != (MAGIC << 32 | low + 1)) {
            throw new IllegalStateException("unexpected placeholder timestamp at offset " + p);
          }
          starts[span] = p;
          found++;
          p += 16;
        }
      }
      if (found != spans) {
        throw new IllegalStateException("found " + found + " of " + spans + " span timestamps");
      }
      return starts;
    }

    private static long readLong(byte[] bytes, int offset) {
      long value = 0;
      for (int i = 7; i >= 0; i--) {
        value = value << 8 | (bytes[offset + i] & 0xFF);
      }
      return value;
    }

    /**
     * A span duration: mostly tens of milliseconds (log-normal around 30 ms), and a log-uniform tail from 1 ms
     * to 20 s so that every bucket of the spanmetrics default histogram (2 ms .. 15 s, and above) gets some.
     */
    private static int durationMicros(SplittableRandom random) {
      double millis;
      if (random.nextInt(10) < 7) {
        millis = Math.exp(Math.log(30) + 0.8 * gaussian(random));
      } else {
        millis = Math.exp(random.nextDouble(Math.log(1), Math.log(20_000)));
      }
      return (int) Math.round(Math.max(1, Math.min(20_000, millis)) * 1000);
    }

    private static double gaussian(SplittableRandom random) {
      double u = 1 - random.nextDouble();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static KeyValue status(int code) {
      return KeyValue.newBuilder().setKey("http.response.status_code")
          .setValue(AnyValue.newBuilder().setIntValue(code)).build();
    }
  }
}
