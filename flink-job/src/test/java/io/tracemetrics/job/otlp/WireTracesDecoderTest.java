package io.tracemetrics.job.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The wire decoder against the generated classes: the same spans and rejections for the same bytes. */
class WireTracesDecoderTest {
  private static final long NOW_NANOS = System.currentTimeMillis() * 1_000_000L;
  private static final List<TracesDecoder> DECODERS = List.of(
      TracesDecoder.plain(),
      new TracesDecoder(Dimensions.of(List.of("http.route", "deployment.environment=none", "http.status_code",
          "flag", "ratio", "tags")), false, false),
      new TracesDecoder(Dimensions.of(List.of("service.version")), true, true));

  /** Everything one decode call passed on, in order. */
  record Outcome(List<SpanEvent> spans, Map<TracesDecoder.Rejection, Integer> rejections) {}

  /**
   * Through the wire decoder. Reasons for refusing a whole record are compared as UNDECODABLE: the
   * generated parser's exception does not always say which fault it met first.
   */
  static Outcome viaWire(TracesDecoder decoder, byte[] value, String region) {
    Outcome outcome = new Outcome(new ArrayList<>(), new EnumMap<>(TracesDecoder.Rejection.class));
    decoder.decode(value, region, sink(outcome));
    return outcome;
  }

  /** Through {@code TracesData.parseFrom} and the generated classes. */
  static Outcome viaMessages(TracesDecoder decoder, byte[] value, String region) {
    Outcome outcome = new Outcome(new ArrayList<>(), new EnumMap<>(TracesDecoder.Rejection.class));
    decoder.decodeReference(value, region, sink(outcome));
    return outcome;
  }

  /** The precise reason a whole record was refused for, without the normalisation of {@link #viaWire}. */
  static TracesDecoder.Rejection refusal(TracesDecoder decoder, byte[] value) {
    TracesDecoder.Rejection[] refusal = {null};
    decoder.decode(value, null, new TracesDecoder.Sink() {
      @Override
      public void accept(SpanEvent span) {}

      @Override
      public void rejected(TracesDecoder.Rejection reason, int count) {}

      @Override
      public void rejectedRecord(TracesDecoder.Rejection reason, String detail) {
        refusal[0] = reason;
      }
    });
    return refusal[0];
  }

  private static TracesDecoder.Sink sink(Outcome outcome) {
    return new TracesDecoder.Sink() {
      @Override
      public void accept(SpanEvent span) {
        outcome.spans().add(span);
      }

      @Override
      public void rejected(TracesDecoder.Rejection reason, int count) {
        outcome.rejections().merge(reason, count, Integer::sum);
      }

      @Override
      public void rejectedRecord(TracesDecoder.Rejection reason, String detail) {
        outcome.rejections().merge(reason == TracesDecoder.Rejection.NOT_TRACES ? reason
            : TracesDecoder.Rejection.UNDECODABLE, 1, Integer::sum);
      }
    };
  }

  @Test
  void randomValidRecordsGiveTheSameSpansAsTheGeneratedClasses() {
    SplittableRandom random = new SplittableRandom(20240601);
    int spans = 0;
    for (int i = 0; i < 500; i++) {
      byte[] value = randomTraces(random).toByteArray();
      String region = random.nextInt(3) == 0 ? "eu-west-1" : null;
      for (TracesDecoder decoder : DECODERS) {
        Outcome expected = viaMessages(decoder, value, region);
        assertThat(viaWire(decoder, value, region)).as("record %d with %s", i, decoder).isEqualTo(expected);
        spans += expected.spans().size();
      }
    }
    assertThat(spans).as("the generator makes spans, not only rejections").isGreaterThan(5_000);
  }

  @Test
  void everyTruncationIsUndecodableOrAValidPrefixForBothDecoders() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20; i++) {
      byte[] value = randomTraces(random).toByteArray();
      for (int cut = 0; cut < value.length; cut++) {
        byte[] prefix = java.util.Arrays.copyOf(value, cut);
        assertThat(viaWire(DECODERS.get(1), prefix, null)).as("record %d cut at %d", i, cut)
            .isEqualTo(viaMessages(DECODERS.get(1), prefix, null));
      }
    }
  }

  @Test
  void resourceAfterItsSpansOnTheWireStillNamesTheService() throws Exception {
    ResourceSpans spansOnly = ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span("GET /", 1, Status.StatusCode.STATUS_CODE_OK)))
        .build();
    ResourceSpans resourceOnly = ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(string("service.name", "late"))).build();
    ByteArrayOutputStream resourceSpans = new ByteArrayOutputStream();
    spansOnly.writeTo(resourceSpans);
    resourceOnly.writeTo(resourceSpans); // concatenated messages merge: the resource comes last
    byte[] value = TracesData.newBuilder()
        .addResourceSpans(ResourceSpans.parseFrom(resourceSpans.toByteArray())).build().toByteArray();
    ByteArrayOutputStream reordered = new ByteArrayOutputStream();
    reordered.write(0x0A);
    writeVarint(reordered, resourceSpans.size());
    resourceSpans.writeTo(reordered);

    Outcome wire = viaWire(TracesDecoder.plain(), reordered.toByteArray(), null);

    assertThat(wire.spans()).extracting(SpanEvent::serviceName).containsExactly("late");
    assertThat(wire).isEqualTo(viaMessages(TracesDecoder.plain(), value, null));
  }

  @Test
  void invalidUtf8InASpanNameMakesTheWholeRecordUndecodable() {
    byte[] value = TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(
        ScopeSpans.newBuilder()
            .addSpans(span("ok", 1, Status.StatusCode.STATUS_CODE_UNSET))
            .addSpans(span("b\u00e9(", 2, Status.StatusCode.STATUS_CODE_UNSET))))
        .build().toByteArray();
    for (int i = 0; i + 1 < value.length; i++) {
      if (value[i] == (byte) 0xC3 && value[i + 1] == (byte) 0xA9) {
        value[i + 1] = '('; // a lead byte without its continuation byte: not UTF-8
      }
    }

    Outcome wire = viaWire(TracesDecoder.plain(), value, null);

    assertThat(wire.spans()).isEmpty();
    assertThat(wire.rejections()).containsExactly(Map.entry(TracesDecoder.Rejection.UNDECODABLE, 1));
    assertThat(refusal(TracesDecoder.plain(), value)).isEqualTo(TracesDecoder.Rejection.INVALID_UTF8);
    assertThat(wire).isEqualTo(viaMessages(TracesDecoder.plain(), value, null));
  }

  @Test
  void unknownFieldsAndGroupsAreSkippedAndAnUnclosedGroupIsUndecodable() {
    byte[] traces = TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(
        ScopeSpans.newBuilder().addSpans(span("x", 1, Status.StatusCode.STATUS_CODE_OK)))).build().toByteArray();
    byte[] group = {(byte) 0x9B, 0x06, 8, 1, (byte) 0x9C, 0x06}; // field 99: group {1: 1}, closed
    byte[] withGroup = concat(group, traces);
    byte[] unclosed = concat(traces, new byte[] {(byte) 0x9B, 0x06, 8, 1});

    assertThat(viaWire(TracesDecoder.plain(), withGroup, null).spans()).hasSize(1);
    assertThat(viaWire(TracesDecoder.plain(), withGroup, null))
        .isEqualTo(viaMessages(TracesDecoder.plain(), withGroup, null));
    assertThat(viaWire(TracesDecoder.plain(), unclosed, null).rejections())
        .containsExactly(Map.entry(TracesDecoder.Rejection.UNDECODABLE, 1));
    assertThat(viaWire(TracesDecoder.plain(), unclosed, null))
        .isEqualTo(viaMessages(TracesDecoder.plain(), unclosed, null));
  }

  @Test
  void aNegativeKindOrStatusIsNeverTakenForAnExcludedLabel() {
    long end = NOW_NANOS;
    TracesData traces = TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(Span.newBuilder().setName("minus-one").setKindValue(-1).setStartTimeUnixNano(end - 5)
                .setEndTimeUnixNano(end).setStatus(Status.newBuilder().setCodeValue(-1)))
            .addSpans(Span.newBuilder().setName("nine").setKindValue(9).setStartTimeUnixNano(end - 5)
                .setEndTimeUnixNano(end).setStatus(Status.newBuilder().setCodeValue(7)))))
        .build();
    Outcome wire = viaWire(TracesDecoder.plain(), traces.toByteArray(), null);
    assertThat(wire.spans()).extracting(SpanEvent::spanKind).containsExactly(0, 9);
    assertThat(wire.spans()).extracting(SpanEvent::statusCode).containsExactly(0, 7);
    assertThat(viaMessages(TracesDecoder.plain(), traces.toByteArray(), null)).isEqualTo(wire);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void writeVarint(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7F) != 0) {
      out.write((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  private static Span span(String name, long endOffsetNanos, Status.StatusCode code) {
    return Span.newBuilder().setName(name).setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(NOW_NANOS - 5_000_000).setEndTimeUnixNano(NOW_NANOS + endOffsetNanos)
        .setStatus(Status.newBuilder().setCode(code)).build();
  }

  static TracesData randomTraces(SplittableRandom random) {
    TracesData.Builder traces = TracesData.newBuilder();
    for (int r = random.nextInt(4); r > 0; r--) {
      ResourceSpans.Builder resourceSpans =
          ResourceSpans.newBuilder().setSchemaUrl("https://opentelemetry.io/schemas/1.24.0");
      if (random.nextInt(5) > 0) {
        resourceSpans.setResource(randomResource(random));
      }
      for (int s = random.nextInt(4); s > 0; s--) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("lib-" + random.nextInt(3)).setVersion("1.0"));
        for (int n = random.nextInt(12); n > 0; n--) {
          scope.addSpans(randomSpan(random));
        }
        resourceSpans.addScopeSpans(scope);
      }
      traces.addResourceSpans(resourceSpans);
    }
    return traces.build();
  }

  private static Resource randomResource(SplittableRandom random) {
    Resource.Builder resource = Resource.newBuilder();
    if (random.nextInt(4) == 0) {
      resource.addAttributes(string("service.name", "")); // empty: the next one (if any) counts
    }
    if (random.nextInt(6) == 0) {
      resource.addAttributes(
          KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setIntValue(7)));
    }
    if (random.nextInt(5) > 0) {
      resource.addAttributes(string("service.name", pick(random, "checkout", "cart", "Zahlungsdienst-ü", "支付")));
    }
    if (random.nextBoolean()) {
      resource.addAttributes(string("cloud.region", pick(random, "us-east-1", "", "ap-south-1")));
    }
    resource.addAttributes(string("service.version", "1." + random.nextInt(3)));
    if (random.nextBoolean()) {
      resource.addAttributes(string("deployment.environment", pick(random, "prod", "staging")));
    }
    resource.addAttributes(KeyValue.newBuilder().setKey("host.cores").setValue(AnyValue.newBuilder().setIntValue(8)));
    return resource.setDroppedAttributesCount(random.nextInt(2)).build();
  }

  private static Span randomSpan(SplittableRandom random) {
    long end = switch (random.nextInt(20)) {
      case 0 -> 0; // no end time
      case 1 -> 900_000_000_000_000_000L; // 1998: absurd
      case 2 -> NOW_NANOS + 2 * 86_400_000_000_000L; // two days ahead: absurd
      default -> NOW_NANOS - random.nextLong(600_000_000_000L);
    };
    long start = random.nextInt(15) == 0 ? end + 1 : end - random.nextLong(2_000_000_000L);
    Span.Builder span = Span.newBuilder()
        .setTraceId(bytes(random, 16)).setSpanId(bytes(random, 8))
        .setName(pick(random, "GET /cart", "SELECT orders", "münze ✓", "", "grpc.Health/Check"))
        .setKindValue(random.nextInt(6))
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(end)
        .setFlags(random.nextInt(512));
    if (random.nextBoolean()) {
      span.setParentSpanId(bytes(random, 8)).setTraceState("k=v");
    }
    if (random.nextInt(4) > 0) {
      span.setStatus(
          Status.newBuilder().setCodeValue(random.nextInt(3)).setMessage(random.nextBoolean() ? "boom" : ""));
    }
    addRandomAttributes(random, span);
    if (random.nextInt(3) == 0) {
      span.addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(end)
          .addAttributes(string("exception.message", "oops")));
      span.addLinks(Span.Link.newBuilder().setTraceId(bytes(random, 16)).setSpanId(bytes(random, 8)));
    }
    return span.build();
  }

  private static void addRandomAttributes(SplittableRandom random, Span.Builder span) {
    if (random.nextBoolean()) {
      span.addAttributes(string("http.route", pick(random, "/cart", "/pay", "")));
    }
    if (random.nextBoolean()) {
      span.addAttributes(KeyValue.newBuilder().setKey("http.status_code")
          .setValue(AnyValue.newBuilder().setIntValue(random.nextBoolean() ? 200 : 503)));
    }
    if (random.nextInt(3) == 0) {
      span.addAttributes(KeyValue.newBuilder().setKey("flag").setValue(AnyValue.newBuilder().setBoolValue(true)));
      span.addAttributes(KeyValue.newBuilder().setKey("ratio").setValue(AnyValue.newBuilder().setDoubleValue(0.25)));
      span.addAttributes(KeyValue.newBuilder().setKey("tags").setValue(AnyValue.newBuilder()
          .setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("a")))));
    }
    if (random.nextInt(4) == 0) {
      span.addAttributes(string("deployment.environment", "canary")); // span wins over resource
    }
    span.addAttributes(string("url.path", "/x/" + random.nextInt(1000)));
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static String pick(SplittableRandom random, String... values) {
    return values[random.nextInt(values.length)];
  }

  private static ByteString bytes(SplittableRandom random, int n) {
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return ByteString.copyFrom(bytes);
  }
}
