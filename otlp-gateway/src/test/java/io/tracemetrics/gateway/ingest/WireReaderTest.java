package io.tracemetrics.gateway.ingest;

import static io.tracemetrics.gateway.ingest.Wire.bytes;
import static io.tracemetrics.gateway.ingest.Wire.cat;
import static io.tracemetrics.gateway.ingest.Wire.len;
import static io.tracemetrics.gateway.ingest.Wire.varint;
import static io.tracemetrics.gateway.ingest.Wire.varintField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import org.junit.jupiter.api.Test;

/** Packed repeated scalars (absent from OTLP traces today, but the schema tables follow the descriptors). */
class WireReaderTest {
  // SourceCodeInfo.Location: repeated int32 path = 1 [packed = true]; repeated int32 span = 2 [packed = true].
  private static final WireSchema LOCATION = WireSchema.of(SourceCodeInfo.Location.getDescriptor());

  @Test
  void acceptsPackedAndUnpackedRepeatedScalarsLikeTheParser() throws Exception {
    byte[] packed = len(1, varint(1), varint(300), varint(-1));
    byte[] unpacked = cat(varintField(1, 1), varintField(1, 300), varintField(1, -1));
    byte[] mixed = cat(packed, unpacked, len(2));

    for (byte[] body : new byte[][] {packed, unpacked, mixed}) {
      check(body);
      assertThat(SourceCodeInfo.Location.parseFrom(body).getPathCount()).isPositive();
    }
  }

  @Test
  void refusesAPackedRunEndingInsideAVarint() {
    byte[] body = len(1, varint(1), bytes(0x80));

    assertThatThrownBy(() -> check(body)).isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> SourceCodeInfo.Location.parseFrom(body)).isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void refusesAScalarFieldInAWireTypeItCannotHave() {
    byte[] body = Wire.fixed32(1, 5);

    assertThatThrownBy(() -> check(body)).hasMessageContaining("Location.path (1) has the wire type fixed32");
  }

  private static void check(byte[] body) throws InvalidProtocolBufferException {
    WireReader reader = new WireReader(body);
    reader.message(LOCATION, body.length, 1);
    assertThat(reader.position()).isEqualTo(body.length);
  }
}
