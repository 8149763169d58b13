package io.tracemetrics.bench.compare;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tracemetrics.bench.compare.ProcessMeter.Usage;
import io.tracemetrics.bench.compare.StoreCheck.Reading;
import io.tracemetrics.bench.compare.load.StepOutcome;
import java.util.List;
import java.util.Map;

/** What one stack did at one series level: every measure of the comparison, as the report prints it. */
final class Results {
  private Results() {}

  /** One step of the ramp: whether the stack took everything offered. */
  record Step(StepOutcome outcome, boolean keptUp) {}

  /**
   * The highest rate held with zero loss: the ramp, then the hold at the chosen rate, metered; the store
   * read once the stack settled, {@code settleSeconds} after the hold (-1: it never did).
   */
  record Sustained(double rate, boolean zeroLoss, List<Step> ramp, StepOutcome hold, Map<String, Usage> usage,
      double wallSeconds, Reading reading, double settleSeconds) {

    @JsonProperty
    double stackCores() {
      return ProcessMeter.stackCpuSeconds(usage) / wallSeconds;
    }

    /** Accepted spans per second per core the stack's processes used (the generator excluded). */
    @JsonProperty
    double spansPerCore() {
      return hold.acceptedSpans() / ProcessMeter.stackCpuSeconds(usage);
    }
  }

  /** Span end → count queryable, for each probe span accepted in the window, at {@code rate}. */
  record Freshness(double rate, List<Long> latenciesMillis, int probesNeverSeen) {
    @JsonProperty
    double p50Millis() {
      return percentile(0.50);
    }

    @JsonProperty
    double p99Millis() {
      return percentile(0.99);
    }

    double percentile(double p) {
      if (latenciesMillis.isEmpty()) {
        return Double.NaN;
      }
      List<Long> sorted = latenciesMillis.stream().sorted().toList();
      int index = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
      return sorted.get(Math.max(0, index));
    }
  }

  /**
   * A phase with a disturbance (restarts, or overload) and what the store holds after it: {@code lost} is
   * the phase's accepted spans minus what the store gained in it, {@code before}/{@code after} the readings
   * around it, {@code usage} each process at its end.
   */
  record Disturbed(double rate, StepOutcome outcome, Reading before, Reading after, Map<String, Usage> usage,
      double settleSeconds, String notes) {

    @JsonProperty
    long lost() {
      return (after.expected() - before.expected()) - (after.stored() - before.stored());
    }
  }

  /** Everything measured for one stack at one series level; {@code failure} when a measure could not finish. */
  record Level(StackKind kind, String settings, long series, long baselineRssBytes, Sustained sustained,
      Freshness freshness, Disturbed overload, Disturbed restart, String failure) {

    /** Resident memory the stack gained per series between its start and the end of the hold. */
    @JsonProperty
    double rssBytesPerSeries() {
      if (sustained == null) {
        return Double.NaN;
      }
      return (double) (ProcessMeter.stackRssBytes(sustained.usage()) - baselineRssBytes) / series;
    }
  }
}
