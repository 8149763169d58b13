package io.tracemetrics.job.replay;

import java.util.List;

/**
 * The fixed shape every seed shares: the job's options that the corpus is built against, and the services.
 * Short windows and a short expiry keep a seed under a minute; the future-skew cap is lowered from the
 * default minute so that spans beyond it are emitted within the run.
 */
final class Scenario {
  static final long WINDOW_MS = 1_000;
  static final long OUT_OF_ORDERNESS_MS = 300;
  static final long IDLE_AFTER_MS = 1_000;
  static final long MAX_FUTURE_SKEW_MS = 5_000;
  static final long EXPIRY_MS = 5_000;
  static final long CHECKPOINT_MS = 1_000;
  static final int SERIES_LIMIT = 6;
  static final int PARTITIONS = 4;
  /** Live ticks and their spacing: spans are stamped at the moment they are sent. */
  static final int TICKS = 45;
  static final long TICK_MS = 300;
  /**
   * The job's backfill horizon: samples older than the run's start by more than this are catch-up bounded by a
   * span's age (guarantee 4).
   */
  static final long BACKFILL_HORIZON_MS = 60_000;

  /** Kinds and statuses (OTLP numbers) of every regular label set: two names × three = the limit exactly. */
  static final List<int[]> KIND_STATUS = List.of(new int[] {2, 1}, new int[] {3, 2}, new int[] {0, 0});

  private Scenario() {}

  static String[] jobArgs(String bootstrap, String topic, String remoteWriteUrls) {
    return new String[] {
      "--kafka.bootstrap-servers", bootstrap,
      "--kafka.topic", topic,
      "--kafka.group-id", topic,
      "--remote-write.url", remoteWriteUrls,
      "--window.size", WINDOW_MS + " ms",
      "--watermark.out-of-orderness", OUT_OF_ORDERNESS_MS + " ms",
      "--watermark.idle-after", IDLE_AFTER_MS + " ms",
      "--watermark.max-future-skew", MAX_FUTURE_SKEW_MS + " ms",
      "--series.expiry", EXPIRY_MS + " ms",
      "--series.max-per-service", Integer.toString(SERIES_LIMIT),
      "--series.backfill-horizon", BACKFILL_HORIZON_MS + " ms",
      "--checkpoint.interval", CHECKPOINT_MS + " ms",
    };
  }
}
