package io.tracemetrics.job.replay;

import java.util.List;

/** One Kafka record of the corpus: a service's spans on one partition, or poison bytes that are not OTLP. */
record RecordPlan(int partition, String service, List<SpanPlan> spans, byte[] poison) {

  static RecordPlan spans(int partition, String service, List<SpanPlan> spans) {
    return new RecordPlan(partition, service, List.copyOf(spans), null);
  }

  static RecordPlan poison(int partition, byte[] bytes) {
    return new RecordPlan(partition, "", List.of(), bytes);
  }

  boolean isPoison() {
    return poison != null;
  }
}
