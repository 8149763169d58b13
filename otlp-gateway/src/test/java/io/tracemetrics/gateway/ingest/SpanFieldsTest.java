package io.tracemetrics.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The span fast path against the generic reader it stands in for: a span as SDKs write it never reaches
 * the generic reader (ASCII or not), and on valid and corrupted requests alike (random byte changes, insertions,
 * deletions, truncations of requests holding every kind of span field) the scan with the fast path
 * accepts exactly what the generic reader accepts, with the same spans, and refuses the rest with the
 * same message.
 */
class SpanFieldsTest {
  private static final WireSchema SPAN = WireSchema.of(ExportTraceServiceRequest.getDescriptor())
      .child(1).child(2).child(2);
  private static final String[] NAMES = {"GET /", "SELECT orders", "x".repeat(20), "y".repeat(130), "résumé", ""};

  @Test
  void aSpanAsSdksWriteItIsCheckedWithoutTheGenericReader() {
    for (String name : List.of("GET /api/v1/orders/{id}", "résumé", "☕", "GET /😀/" + "x".repeat(40))) {
      byte[] span = sdkSpan(new SplittableRandom(1), name).toByteArray();
      assertThat(new SpanFields(span).fields(0, span.length)).as(name).isEqualTo(span.length);
    }
  }

  @Test
  void aStringThatIsNotUtf8IsLeftToTheGenericReader() {
    byte[] span = Wire.cat(Wire.len(1, new byte[16]), Wire.len(2, new byte[8]),
        Wire.len(5, Wire.bytes(0x61, 0xc0, 0x41)), Wire.varintField(6, 2));
    assertThat(new SpanFields(span).fields(0, span.length)).isEqualTo(28);   // the name, after the ids
  }

  @Test
  void aFieldLeftToTheGenericReaderStopsTheFastPathAtItsStart() {
    Span withEvent = sdkSpan(new SplittableRandom(3), "op").toBuilder()
        .addEvents(Span.Event.newBuilder().setName("exception")).build();
    byte[] span = withEvent.toByteArray();
    int event = withEvent.toBuilder().clearEvents().clearDroppedEventsCount().clearDroppedLinksCount()   // fields 11-16
        .clearStatus().clearFlags().build().getSerializedSize();
    assertThat(new SpanFields(span).fields(0, span.length)).isEqualTo(event);
  }

  @Test
  void theFastPathRefusesToLoadAgainstASchemaItDoesNotMatch() {
    SpanFields.checkAgainst(SPAN);
    WireSchema link = SPAN.child(13);
    assertThatThrownBy(() -> SpanFields.checkAgainst(link))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the span fast path");
  }

  @Test
  void withAndWithoutTheFastPathTheScanAgreesOnEveryCorruption() throws Exception {
    SplittableRandom random = new SplittableRandom(20261124);
    int valid = 0;
    int accepted = 0;
    int refused = 0;
    for (int n = 0; n < 300; n++) {
      byte[] body = request(random).toByteArray();
      String original = outcome(body, false);
      assertThat(outcome(body, true)).as("request %d", n).isEqualTo(original);
      if (original.startsWith("spans")) {
        valid++;
      }
      for (int m = 0; m < 100; m++) {
        byte[] corrupt = corrupt(body, random);
        String outcome = outcome(corrupt, false);
        assertThat(outcome(corrupt, true)).as("mutation %d of request %d", m, n).isEqualTo(outcome);
        if (outcome.startsWith("spans")) {
          accepted++;
        } else {
          refused++;
        }
      }
    }
    assertThat(valid).as("requests valid before corruption").isGreaterThan(150);
    assertThat(accepted).as("corrupted requests still valid").isGreaterThan(1000);
    assertThat(refused).as("corrupted requests refused").isGreaterThan(10_000);
  }

  @Test
  void everyFieldNumberWithEveryWireTypeInEachMessageOfTheFastPathIsJudgedAsWithoutIt() {
    List<UnknownFieldSet.Field> values = List.of(
        UnknownFieldSet.Field.newBuilder().addVarint(0).build(),
        UnknownFieldSet.Field.newBuilder().addVarint(300).build(),
        UnknownFieldSet.Field.newBuilder().addFixed32(7).build(),
        UnknownFieldSet.Field.newBuilder().addFixed64(7).build(),
        UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.EMPTY).build(),
        UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("ok")).build(),
        UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFrom(new byte[] {(byte) 0xc0})).build(),
        UnknownFieldSet.Field.newBuilder().addGroup(UnknownFieldSet.getDefaultInstance()).build());
    Span span = sdkSpan(new SplittableRandom(4), "op");
    int cases = 0;
    int accepted = 0;
    for (int number = 1; number <= 17; number++) {
      for (UnknownFieldSet.Field value : values) {
        UnknownFieldSet field = UnknownFieldSet.newBuilder().addField(number, value).build();
        for (Span odd : List.of(
            span.toBuilder().setUnknownFields(field).build(),
            span.toBuilder().setAttributes(0, span.getAttributes(0).toBuilder().setUnknownFields(field)).build(),
            span.toBuilder().setAttributes(0, span.getAttributes(0).toBuilder()
                .setValue(span.getAttributes(0).getValue().toBuilder().setUnknownFields(field))).build(),
            span.toBuilder().setAttributes(0, span.getAttributes(0).toBuilder()
                .setValue(AnyValue.newBuilder().setUnknownFields(field))).build(),
            span.toBuilder().setStatus(span.getStatus().toBuilder().setUnknownFields(field)).build())) {
          byte[] body = ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(odd)))
              .build().toByteArray();
          String outcome = outcome(body, false);
          assertThat(outcome(body, true)).as("field %d: %s in %s", number, value, odd).isEqualTo(outcome);
          cases++;
          accepted += outcome.startsWith("spans") ? 1 : 0;
        }
      }
    }
    assertThat(cases).isEqualTo(17 * values.size() * 5);
    assertThat(accepted).as("cases accepted").isBetween(100, cases - 100);
  }

  /** What a scan makes of a body: its spans and where they lie, or the refusal's message. */
  private static String outcome(byte[] body, boolean fastPath) {
    try {
      ScannedTraces scanned = TracesScanner.scan(body, fastPath);
      List<String> records = new ArrayList<>();
      for (byte[] record : new TracesSplitter(Math.max(200, body.length / 3)).split(scanned)) {
        records.add(Arrays.toString(record));
      }
      return "spans " + scanned.spanCount() + " " + records;
    } catch (InvalidProtocolBufferException e) {
      return "refused: " + e.getMessage();
    } catch (TracesSplitter.SpanTooLargeException e) {
      return "spans " + e.getMessage();
    }
  }

  private static byte[] corrupt(byte[] body, SplittableRandom random) {
    int at = random.nextInt(body.length);
    return switch (random.nextInt(6)) {
      case 0 -> with(body, at, (byte) random.nextInt(256));
      case 1 -> with(body, at, (byte) (body[at] | 0x80));                     // a length or string byte gone long
      case 2 -> with(body, at, (byte) (body[at] + (random.nextBoolean() ? 1 : -1)));
      case 3 -> Arrays.copyOf(body, at);                                       // truncated
      case 4 -> Wire.cat(Arrays.copyOf(body, at), new byte[] {(byte) random.nextInt(256)},
          Arrays.copyOfRange(body, at, body.length));                          // a byte inserted
      default -> Wire.cat(Arrays.copyOf(body, at), Arrays.copyOfRange(body, at + 1, body.length));
    };
  }

  private static byte[] with(byte[] body, int at, byte value) {
    byte[] copy = body.clone();
    copy[at] = value;
    return copy;
  }

  private static ExportTraceServiceRequest request(SplittableRandom random) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int s = random.nextInt(1, 4); s > 0; s--) {
      Span span = sdkSpan(random, NAMES[random.nextInt(NAMES.length)]);
      scope.addSpans(random.nextInt(4) == 0 ? unusual(span, random) : span);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(string("service.name", "checkout")))
            .addScopeSpans(scope))
        .build();
  }

  /** A span with every field the fast path checks itself, as the OpenTelemetry SDKs fill them. */
  private static Span sdkSpan(SplittableRandom random, String name) {
    ByteString spanId = TestTraces.randomBytes(random, 8);
    Span.Builder span = Span.newBuilder()
        .setTraceId(TestTraces.randomBytes(random, 16))
        .setSpanId(spanId)
        .setTraceState("vendor=" + random.nextInt(100))
        .setParentSpanId(TestTraces.randomBytes(random, 8))
        .setFlags(0x301)
        .setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setStartTimeUnixNano(random.nextLong())
        .setEndTimeUnixNano(random.nextLong())
        .addAttributes(string("http.request.method", "GET"))
        .addAttributes(string("url.full", "https://shop.example/" + "p".repeat(random.nextInt(200))))
        .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
            .setValue(AnyValue.newBuilder().setIntValue(random.nextInt(100, 600))))
        .addAttributes(KeyValue.newBuilder().setKey("retry").setValue(AnyValue.newBuilder().setBoolValue(true)))
        .addAttributes(KeyValue.newBuilder().setKey("ratio").setValue(AnyValue.newBuilder().setDoubleValue(0.5)))
        .addAttributes(KeyValue.newBuilder().setKey("blob")
            .setValue(AnyValue.newBuilder().setBytesValue(spanId)))
        .addAttributes(KeyValue.newBuilder().setKey("empty").setValue(AnyValue.getDefaultInstance()))
        .setDroppedAttributesCount(random.nextInt(3))
        .setDroppedEventsCount(random.nextInt(3))
        .setDroppedLinksCount(random.nextInt(3))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("timeout"));
    return span.build();
  }

  /** The same span with a field the fast path leaves to the generic reader. */
  private static Span unusual(Span span, SplittableRandom random) {
    Span.Builder builder = span.toBuilder();
    switch (random.nextInt(7)) {
      case 0 -> builder.addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(1));
      case 1 -> builder.addLinks(Span.Link.newBuilder().setTraceId(span.getTraceId()).setSpanId(span.getSpanId()));
      case 2 -> builder.addAttributes(KeyValue.newBuilder().setKey("list").setValue(AnyValue.newBuilder()
          .setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("a")))))
          .addAttributes(KeyValue.newBuilder().setKey("map").setValue(AnyValue.newBuilder()
              .setKvlistValue(KeyValueList.newBuilder().addValues(string("k", "v")))));
      case 3 -> builder.setUnknownFields(oddFields(random));
      case 4 -> builder.addAttributes(string("odd", "key").toBuilder().setUnknownFields(oddFields(random)));
      case 5 -> builder.addAttributes(KeyValue.newBuilder().setKey("odd")
          .setValue(AnyValue.newBuilder().setUnknownFields(oddFields(random))));
      default -> builder.setStatus(span.getStatus().toBuilder().setUnknownFields(oddFields(random)));
    }
    return builder.build();
  }

  /**
   * Fields of any number a message of these four types has or had (some reserved, some unused) and any
   * wire type, well framed: known fields with a wrong wire type, repeated oneof members, reserved numbers.
   */
  private static UnknownFieldSet oddFields(SplittableRandom random) {
    UnknownFieldSet.Builder fields = UnknownFieldSet.newBuilder();
    for (int n = random.nextInt(1, 3); n > 0; n--) {
      UnknownFieldSet.Field.Builder field = UnknownFieldSet.Field.newBuilder();
      switch (random.nextInt(5)) {
        case 0 -> field.addVarint(random.nextLong() >>> random.nextInt(64));
        case 1 -> field.addFixed32(random.nextInt());
        case 2 -> field.addFixed64(random.nextLong());
        case 3 -> field.addLengthDelimited(ByteString.copyFromUtf8("v".repeat(random.nextInt(3))));
        default -> field.addGroup(UnknownFieldSet.getDefaultInstance());
      }
      fields.mergeField(random.nextInt(1, 18), field.build());
    }
    return fields.build();
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
