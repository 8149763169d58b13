package io.tracemetrics.job.red;

import io.tracemetrics.job.otlp.Dimensions;
import io.tracemetrics.sink.TimeSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

/**
 * Cumulative RED values per series, written once per event-time window, keyed by (service, span name).
 *
 * <p>Input is {@link WindowCounts}: a series' spans of one window, summed upstream. A window is
 * <em>closed</em> once the watermark has passed its end; counts of an open window wait in the series'
 * pending block of that window; counts of a closed window are late and go to the first open window, never
 * dropped. Closed windows are <em>written</em> (merged into the cumulative counts, one sample per live series)
 * only once a checkpoint taken after they closed has completed. So every sample written is a function of
 * checkpointed state: a replay after a failure recomputes only windows that were never written, and writes
 * again, value for value, those that were. Without checkpointing (a bounded test job) windows are written as
 * soon as they close.
 *
 * <p>The watermark at each snapshot is checkpointed too: after a restore, counts of windows closed before
 * the failure stay late, whatever the new run's watermark, so a replayed backlog never reopens a window.
 *
 * <p>A series keeps writing every window, so queries see it, until it has had no span for the expiry time
 * (event time); then its state is cleared. Its first value is preceded by zeros one window earlier and its
 * expiry is written as staleness markers one millisecond before the end of the window it expires in, so that
 * {@code increase()} counts every span, a restart included.
 *
 * <p>Work is bounded by live series and windows elapsed, never by a span's age: when the watermark jumps
 * (a first start on a backlog, an outlier years old among the first records), pending counts more than the
 * backfill horizon behind it are moved to the first open window when their window closes.
 */
public final class RedAggregator extends AbstractStreamOperator<TimeSeries>
    implements OneInputStreamOperator<WindowCounts, TimeSeries>, Triggerable<ServiceSpan, VoidNamespace> {
  private static final long serialVersionUID = 2L;
  private static final String SERIES = "series";

  private final long windowMillis;
  private final long expiryMillis;
  private final long horizonMillis;
  private final boolean writeOnCheckpoint;
  private final SeriesState layout;
  private final SeriesEmitter emitter;

  /** Each series' cumulative counts, last active and written windows, and pending windows. */
  private transient MapState<SeriesKey, long[]> series;
  private transient InternalTimerService<VoidNamespace> timers;
  /** The watermark at the last snapshot, restored as the largest of all subtasks'. */
  private transient ListState<Long> floorState;
  private transient long floor;
  /** Watermarks at snapshots not yet known to be complete, by checkpoint id. */
  private transient NavigableMap<Long, Long> snapshotWatermarks;
  private transient long writtenThrough;
  private transient boolean finished;
  private transient Collector<TimeSeries> collector;

  private transient Counter lateSpans;
  private transient Counter spansBeyondHorizon;
  private transient Counter seriesCreated;
  private transient Counter seriesExpired;
  private transient long liveSeries;

  /**
   * @param window the window size
   * @param expiry how long a series without spans keeps writing before its state is cleared
   * @param backfillHorizon how far behind the watermark a window with pending counts may still be written
   * @param writeOnCheckpoint write a closed window once a later checkpoint completes (exactly-once
   *     output); false: at once (only for jobs without checkpointing)
   */
  public RedAggregator(Duration window, Duration expiry, Duration backfillHorizon, boolean writeOnCheckpoint,
      LatencyBuckets buckets, MetricNames names, Dimensions dimensions) {
    if (window.toMillis() < 2) {
      // The stale marker goes 1 ms before the end of the window after a series' last value.
      throw new IllegalArgumentException("the window must be at least 2 ms: " + window);
    }
    if (expiry.compareTo(window) < 0) {
      throw new IllegalArgumentException("series expiry " + expiry + " is shorter than the window " + window);
    }
    if (backfillHorizon.compareTo(window) < 0) {
      throw new IllegalArgumentException("the backfill horizon " + backfillHorizon + " is shorter than the window");
    }
    this.windowMillis = window.toMillis();
    this.expiryMillis = expiry.toMillis();
    this.horizonMillis = backfillHorizon.toMillis();
    this.writeOnCheckpoint = writeOnCheckpoint;
    this.layout = new SeriesState(buckets);
    this.emitter = new SeriesEmitter(names, buckets, dimensions);
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    floorState = context.getOperatorStateStore()
        .getUnionListState(new ListStateDescriptor<>("watermark-floor", Types.LONG));
    floor = Long.MIN_VALUE;
    for (Long watermark : floorState.get()) {
      floor = Math.max(floor, watermark);
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    series = getKeyedStateStore().getMapState(new MapStateDescriptor<>(
        SERIES, TypeInformation.of(SeriesKey.class), PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    timers = getInternalTimerService("window-close", VoidNamespaceSerializer.INSTANCE, this);
    snapshotWatermarks = new TreeMap<>();
    writtenThrough = Long.MIN_VALUE;
    StreamRecord<TimeSeries> reuse = new StreamRecord<>(null);
    collector = new Collector<>() {
      @Override
      public void collect(TimeSeries record) {
        output.collect(reuse.replace(record));
      }

      @Override
      public void close() {}
    };
    MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("red");
    lateSpans = group.counter("spansLate");
    spansBeyondHorizon = group.counter("spansBeyondHorizon");
    seriesCreated = group.counter("seriesCreated");
    seriesExpired = group.counter("seriesExpired");
    group.<Long, Gauge<Long>>gauge("liveSeries", () -> liveSeries);
  }

  /** The watermark, or the one checkpointed before a restore while the new run's is still behind it. */
  private long watermark() {
    return Math.max(timers.currentWatermark(), floor);
  }

  @Override
  public void processElement(StreamRecord<WindowCounts> record) throws Exception {
    WindowCounts counts = record.getValue();
    long watermark = watermark();
    long windowEnd = counts.windowEnd();
    if (windowEnd - 1 <= watermark) {
      lateSpans.inc(counts.spanCount());
      windowEnd = firstOpenWindow(watermark);
    }
    long[] state = series.get(counts.series());
    series.put(counts.series(), layout.addPending(state != null ? state : layout.create(), windowEnd, counts.counts()));
    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, windowEnd - 1);
  }

  /**
   * A window with pending counts of this key closed. If the watermark has jumped more than the backfill
   * horizon past it, its counts (and any as old) move to the first open window; else they wait to be written.
   */
  @Override
  public void onEventTime(InternalTimer<ServiceSpan, VoidNamespace> timer) throws Exception {
    long watermark = timers.currentWatermark();
    long oldest = watermark - horizonMillis;
    if (timer.getTimestamp() + 1 > oldest || watermark == Long.MAX_VALUE) {
      return; // within the horizon, or the end of input: every window is written as it is
    }
    long target = firstOpenWindow(watermark);
    for (Map.Entry<SeriesKey, long[]> entry : series.entries()) {
      long[] state = entry.getValue();
      long[] moved = layout.movePending(state, oldest, target);
      if (moved != state) {
        spansBeyondHorizon.inc(layout.pendingSpans(state, oldest));
        entry.setValue(moved);
      }
    }
    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, target - 1);
  }

  @Override
  public void onProcessingTime(InternalTimer<ServiceSpan, VoidNamespace> timer) {}

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    super.processWatermark(mark);
    if (!writeOnCheckpoint) {
      write(lastClosedWindow(watermark()));
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    long watermark = watermark();
    floorState.update(List.of(watermark));
    snapshotWatermarks.put(context.getCheckpointId(), watermark);
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    super.notifyCheckpointComplete(checkpointId);
    Long watermark = snapshotWatermarks.get(checkpointId);
    snapshotWatermarks.headMap(checkpointId, true).clear();
    if (watermark != null && !finished) {
      write(lastClosedWindow(watermark));
    }
  }

  /** The end of input: every closed window is written, there will be no later checkpoint to wait for. */
  @Override
  public void finish() throws Exception {
    write(lastClosedWindow(watermark()));
    finished = true;
    super.finish();
  }

  /** This subtask's live series, as of the last window written. */
  long liveSeries() {
    return liveSeries;
  }

  /** Writes every window up to and including the one ending at {@code through}, for every key. */
  private void write(long through) throws Exception {
    if (through <= writtenThrough) {
      return;
    }
    List<ServiceSpan> keys;
    try (Stream<ServiceSpan> stream =
        this.<ServiceSpan>getKeyedStateBackend().getKeys(SERIES, VoidNamespace.INSTANCE)) {
      keys = stream.collect(Collectors.toList());
    }
    long live = 0;
    for (ServiceSpan key : keys) {
      setCurrentKey(key);
      live += writeKey(key, through);
    }
    writtenThrough = through;
    liveSeries = live;
  }

  /** @return how many of the key's series wrote a value at {@code through} */
  private int writeKey(ServiceSpan key, long through) throws Exception {
    int live = 0;
    List<SeriesKey> gone = null;
    Iterator<Map.Entry<SeriesKey, long[]>> it = series.iterator();
    while (it.hasNext()) {
      Map.Entry<SeriesKey, long[]> entry = it.next();
      long[] state = entry.getValue();
      long emittedBefore = layout.emittedThrough(state);
      long[] written = writeSeries(key, entry.getKey(), state, through);
      if (written == null) {
        gone = gone == null ? new ArrayList<>() : gone;
        gone.add(entry.getKey());
        continue;
      }
      if (written != state || layout.emittedThrough(written) != emittedBefore) {
        entry.setValue(written); // also when changed in place: a RocksDB value is a copy
      }
      if (layout.lastActive(written) != SeriesState.NEVER && layout.emittedThrough(written) == through) {
        live++;
      }
    }
    if (gone != null) {
      // Removed after the iteration: removing the key's last series drops the key from the state table.
      for (SeriesKey dead : gone) {
        series.remove(dead);
      }
    }
    return live;
  }

  /**
   * Writes one series' windows after the last it wrote, up to {@code through}: a window with pending counts
   * adds them and writes the new values (zeros one window before its first), a window without writes the
   * same values again while the series lives, and the window in which it has been idle for the expiry time
   * writes stale markers and restarts it.
   *
   * @return the new state (possibly the same array), or null when nothing is left of the series
   */
  private long[] writeSeries(ServiceSpan key, SeriesKey id, long[] state, long through) {
    long emitted = layout.emittedThrough(state);
    if (emitted != SeriesState.NEVER && layout.firstPending(state) <= emitted) {
      // Counts pending at a window already written can only come from state of an older version: they are
      // late, so they go to the next window written.
      state = layout.movePending(state, emitted, emitted + windowMillis);
    }
    long window = emitted == SeriesState.NEVER ? layout.firstPending(state) : emitted + windowMillis;
    while (window <= through) {
      long lastActive = layout.lastActive(state);
      long[] merged = layout.mergeDue(state, window);
      if (merged != state) {
        if (lastActive == SeriesState.NEVER) {
          seriesCreated.inc();
          // Before the values: a writer sends them in order, so the zero is never out of order in the store.
          emitter.emitZeros(key, id, window - windowMillis, collector);
        }
        state = merged;
        emitter.emit(key, id, state, window, collector);
      } else if (lastActive == SeriesState.NEVER) {
        // Restarted with nothing pending here: the next window it has counts in, if any.
        window = layout.firstPending(state);
        continue;
      } else if (window - lastActive >= expiryMillis) {
        seriesExpired.inc();
        emitter.emitStale(key, id, window - 1, collector);
        layout.restart(state);
      } else {
        emitter.emit(key, id, state, window, collector);
      }
      layout.setEmittedThrough(state, window);
      window += windowMillis;
    }
    if (layout.lastActive(state) == SeriesState.NEVER && !layout.hasPending(state)) {
      return null;
    }
    return state;
  }

  /** The end of the first window the watermark has not passed (no watermark yet: a window long ago). */
  private long firstOpenWindow(long watermark) {
    long bounded = Math.max(Long.MIN_VALUE + 4 * windowMillis, Math.min(watermark, Long.MAX_VALUE - 4 * windowMillis));
    return WindowCounts.windowEnd(bounded + 1, windowMillis);
  }

  /** The end of the last window the watermark has passed. */
  private long lastClosedWindow(long watermark) {
    return firstOpenWindow(watermark) - windowMillis;
  }
}
