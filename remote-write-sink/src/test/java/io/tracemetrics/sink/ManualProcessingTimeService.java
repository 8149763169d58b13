package io.tracemetrics.sink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;

/** Processing time that moves only when the test says so; due timers fire in the caller's thread. */
final class ManualProcessingTimeService implements ProcessingTimeService {
  private record Timer(long at, ProcessingTimeCallback callback) {}

  private final List<Timer> timers = new ArrayList<>();
  private long now;

  @Override
  public long getCurrentProcessingTime() {
    return now;
  }

  /** The writer ignores the returned handle, so none is made. */
  @Override
  public ScheduledFuture<?> registerTimer(long at, ProcessingTimeCallback callback) {
    timers.add(new Timer(at, callback));
    return null;
  }

  int pendingTimers() {
    return timers.size();
  }

  void advanceTo(long time) throws Exception {
    now = time;
    while (true) {
      Timer due = timers.stream().filter(t -> t.at() <= now).min(Comparator.comparingLong(Timer::at))
          .orElse(null);
      if (due == null) {
        return;
      }
      timers.remove(due);
      due.callback().onProcessingTime(now);
    }
  }
}
