package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracemetrics.sink.WireDecoder.DecodedLabel;
import io.tracemetrics.sink.WireDecoder.DecodedSample;
import io.tracemetrics.sink.WireDecoder.DecodedSeries;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class WriteRequestBufferTest {
  /** Prometheus' stale marker: a NaN with a specific payload that must survive bit for bit. */
  private static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  @Test
  void labelsAreSortedWithNameLabelInItsByteOrderPlace() throws Exception {
    TimeSeries series = TimeSeries.builder("http_requests_total")
        .label("zone", "z").label("_private", "p").label("Upper", "u").label("job", "api")
        .sample(1, 1000).build();

    List<DecodedSeries> decoded = encodeAndDecode(series);

    assertThat(decoded).singleElement().satisfies(s -> assertThat(s.labels()).containsExactly(
        new DecodedLabel("Upper", "u"),
        new DecodedLabel("__name__", "http_requests_total"),
        new DecodedLabel("_private", "p"),
        new DecodedLabel("job", "api"),
        new DecodedLabel("zone", "z")));
  }

  @Test
  void oddLabelValuesArriveUnchanged() throws Exception {
    String[] values = {"say \"hi\"", "C:\\path\\", "line1\nline2\r\n\ttab", "ünïcødé 日本語 🚀", "{a=\"b\"}",
        " "};
    TimeSeries.Builder builder = TimeSeries.builder("m");
    for (int i = 0; i < values.length; i++) {
      builder.label("l" + i, values[i]);
    }

    DecodedSeries decoded = encodeAndDecode(builder.sample(1, 1).build()).get(0);

    for (int i = 0; i < values.length; i++) {
      assertThat(decoded.label("l" + i)).isEqualTo(values[i]);
    }
  }

  @Test
  void specialValuesAndTimestampsArriveBitExact() throws Exception {
    double staleNaN = Double.longBitsToDouble(STALE_NAN_BITS);
    TimeSeries series = TimeSeries.builder("m")
        .sample(0.0, -1_000)
        .sample(-0.0, 0)
        .sample(staleNaN, 1)
        .sample(Double.POSITIVE_INFINITY, 1_700_000_000_000L)
        .sample(Double.NEGATIVE_INFINITY, 1_700_000_000_001L)
        .sample(Double.MIN_VALUE, 1_700_000_000_002L)
        .sample(-1.5e300, Long.MAX_VALUE)
        .build();

    List<DecodedSample> samples = encodeAndDecode(series).get(0).samples();

    assertThat(samples).containsExactly(
        new DecodedSample(Double.doubleToRawLongBits(0.0), -1_000),
        new DecodedSample(Double.doubleToRawLongBits(-0.0), 0),
        new DecodedSample(STALE_NAN_BITS, 1),
        new DecodedSample(Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), 1_700_000_000_000L),
        new DecodedSample(Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY), 1_700_000_000_001L),
        new DecodedSample(Double.doubleToRawLongBits(Double.MIN_VALUE), 1_700_000_000_002L),
        new DecodedSample(Double.doubleToRawLongBits(-1.5e300), Long.MAX_VALUE));
  }

  @Test
  void sizeIsExactAndCountsAccumulateAcrossSeries() throws Exception {
    WriteRequestBuffer buffer = new WriteRequestBuffer(1); // forces growth
    TimeSeries a = TimeSeries.builder("a").label("k", "v").sample(1, 1).sample(2, 2).build();
    TimeSeries b = TimeSeries.builder("b").label("k", "🚀\ud800 lone surrogate").sample(3, 3).build();

    buffer.add(a);
    assertThat(buffer.sizeBytes()).isEqualTo(WriteRequestBuffer.encodedSize(a));
    buffer.add(b);

    assertThat(buffer.sizeBytes()).isEqualTo(WriteRequestBuffer.encodedSize(a)
        + WriteRequestBuffer.encodedSize(b));
    assertThat(buffer.seriesCount()).isEqualTo(2);
    assertThat(buffer.sampleCount()).isEqualTo(3);
    byte[] raw = Snappy.uncompress(buffer.snappyCompressed());
    assertThat(raw).hasSize(buffer.sizeBytes());
    assertThat(WireDecoder.decode(raw)).extracting(s -> s.label("__name__")).containsExactly("a", "b");
  }

  @Test
  void compressionUsesSnappyBlockFormatNotFramed() throws Exception {
    WriteRequestBuffer buffer = new WriteRequestBuffer(64);
    buffer.add(TimeSeries.builder("m").sample(1, 1).build());

    byte[] compressed = buffer.snappyCompressed();

    // The framed format starts with a stream identifier chunk (0xff); the block format with a varint length.
    assertThat(compressed[0] & 0xff).isNotEqualTo(0xff);
    assertThat(Snappy.isValidCompressedBuffer(compressed)).isTrue();
  }

  @Test
  void clearEmptiesTheBufferForReuse() throws Exception {
    WriteRequestBuffer buffer = new WriteRequestBuffer(64);
    buffer.add(TimeSeries.builder("old").sample(1, 1).build());
    buffer.clear();
    buffer.add(TimeSeries.builder("new").sample(2, 2).build());

    assertThat(WireDecoder.decodeSnappy(buffer.snappyCompressed()))
        .extracting(s -> s.label("__name__")).containsExactly("new");
    assertThat(buffer.sampleCount()).isEqualTo(1);
  }

  private static List<DecodedSeries> encodeAndDecode(TimeSeries series) throws Exception {
    WriteRequestBuffer buffer = new WriteRequestBuffer(64);
    buffer.add(series);
    return WireDecoder.decodeSnappy(buffer.snappyCompressed());
  }
}
