package io.tracemetrics.bench.compare;

import java.util.Arrays;

/** The stacks the comparison runs, by the names of the command line and the report. */
enum StackKind {
  /** The seed's stack as documented: Collector {@code spanmetrics} → Prometheus scrape → remote write. */
  SEED("seed", "A: seed stack"),
  /** The Collector's fastest honest configuration: {@code spanmetrics} → {@code prometheusremotewrite}. */
  COLLECTOR_RW("collector-rw", "A': Collector remote write"),
  /** This pipeline with the demo's defaults: gateway → Kafka → job → VictoriaMetrics. */
  PIPELINE("pipeline", "B: pipeline (demo settings)"),
  /** This pipeline with the job's production defaults, at parallelism 1 (one machine of 2 cores). */
  PIPELINE_TUNED("pipeline-tuned", "B': pipeline (job defaults, parallelism 1)");

  private final String flag;
  private final String title;

  StackKind(String flag, String title) {
    this.flag = flag;
    this.title = title;
  }

  static StackKind of(String flag) {
    return Arrays.stream(values()).filter(kind -> kind.flag.equals(flag.trim())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown stack '" + flag + "'; stacks: "
            + Arrays.stream(values()).map(kind -> kind.flag).toList()));
  }

  String flag() {
    return flag;
  }

  String title() {
    return title;
  }

  boolean isPipeline() {
    return this == PIPELINE || this == PIPELINE_TUNED;
  }
}
