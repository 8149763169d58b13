package io.tracemetrics.job.red;

import org.apache.flink.api.java.functions.KeySelector;

/**
 * The job's key: service name and span name. The hash code is spelled out, not left to the record's
 * unspecified default, because it places keys in key groups: it must not change between JVMs, or a
 * savepoint would restore state under the wrong subtasks.
 *
 * @param service the service name
 * @param spanName the span name
 */
public record ServiceSpan(String service, String spanName) {
  @Override
  public int hashCode() {
    return 31 * service.hashCode() + spanName.hashCode();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ServiceSpan that
        && service.equals(that.service)
        && spanName.equals(that.spanName);
  }

  /** Keys window counts by service and span name. */
  public static KeySelector<WindowCounts, ServiceSpan> selector() {
    return counts -> new ServiceSpan(counts.service(), counts.spanName());
  }
}
