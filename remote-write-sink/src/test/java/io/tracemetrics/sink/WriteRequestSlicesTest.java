package io.tracemetrics.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteRequestSlicesTest {
  private final WriteRequestBuffer buffer = new WriteRequestBuffer(256);
  private final List<TimeSeries> sent = List.of(
      TimeSeries.builder("calls_total").label("service_name", "api").label("z", "with \"quote\"")
          .sample(1, 1_000).sample(2, 2_000).sample(3, 3_000).build(),
      TimeSeries.builder("a:b").sample(0, 0).build(),
      TimeSeries.builder("latency_bucket").label("le", "+Inf").sample(Double.NaN, 5).sample(-0.0, 6).build(),
      TimeSeries.builder("last").label("k", "v").sample(7, 7).build());

  WriteRequestSlicesTest() {
    sent.forEach(buffer::add);
  }

  @Test
  void indexesEverySeriesWithItsSampleCount() throws IOException {
    WriteRequestSlices slices = WriteRequestSlices.parse(uncompressed());

    assertThat(slices.seriesCount()).isEqualTo(4);
    assertThat(List.of(slices.samples(0), slices.samples(1), slices.samples(2), slices.samples(3)))
        .containsExactly(3, 1, 2, 1);
    assertThat(slices.bytes(0, 4)).isEqualTo(buffer.sizeBytes());
  }

  @Test
  void aSliceIsTheSameSeriesBytesAsTheWholeRequestDecodedByAnIndependentDecoder() throws IOException {
    WriteRequestSlices slices = WriteRequestSlices.parse(uncompressed());
    List<WireDecoder.DecodedSeries> whole = WireDecoder.decode(uncompressed());

    assertThat(WireDecoder.decodeSnappy(slices.snappyCompressed(1, 3))).isEqualTo(whole.subList(1, 3));
    assertThat(WireDecoder.decodeSnappy(slices.snappyCompressed(0, 1))).isEqualTo(whole.subList(0, 1));
    assertThat(WireDecoder.decodeSnappy(slices.snappyCompressed(0, 4))).isEqualTo(whole);
    assertThat(slices.bytes(1, 3) + slices.bytes(0, 1) + slices.bytes(3, 4)).isEqualTo(buffer.sizeBytes());
  }

  @Test
  void describesASeriesAsPromQlWouldPrintIt() throws IOException {
    WriteRequestSlices slices = WriteRequestSlices.parse(uncompressed());

    assertThat(slices.describe(0)).isEqualTo("calls_total{service_name=\"api\",z=\"with \\\"quote\\\"\"}");
    assertThat(slices.describe(1)).isEqualTo("a:b{}");
  }

  @Test
  void refusesBytesThatAreNotAWriteRequest() {
    assertThatThrownBy(() -> WriteRequestSlices.parse(new byte[] {0x12, 0x00}))
        .isInstanceOf(IOException.class).hasMessageContaining("not a remote-write WriteRequest");
    assertThatThrownBy(() -> WriteRequestSlices.parse(new byte[] {0x0a, 0x02, 0x18, 0x01}))
        .isInstanceOf(IOException.class).hasMessageContaining("not a remote-write TimeSeries");
  }

  @Test
  void sliceOutsideTheRequestIsRefused() throws IOException {
    WriteRequestSlices slices = WriteRequestSlices.parse(uncompressed());

    assertThatThrownBy(() -> slices.snappyCompressed(2, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> slices.snappyCompressed(0, 5)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  private byte[] uncompressed() throws IOException {
    return org.xerial.snappy.Snappy.uncompress(buffer.snappyCompressed());
  }

  @Override
  public String toString() {
    return Arrays.toString(sent.toArray());
  }
}
