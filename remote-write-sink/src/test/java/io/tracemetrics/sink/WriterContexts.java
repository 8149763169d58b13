package io.tracemetrics.sink;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** A {@link WriterInitContext} with just what {@code createWriter} uses, for tests without a cluster. */
final class WriterContexts {
  private WriterContexts() {}

  /** A context whose metric group counts {@code setCurrentSendTimeGauge} calls in {@code sendTimeCalls}. */
  static WriterInitContext context(ProcessingTimeService time, AtomicInteger sendTimeCalls) {
    SinkWriterMetricGroup real = UnregisteredMetricsGroup.createSinkWriterMetricGroup();
    SinkWriterMetricGroup group = (SinkWriterMetricGroup) Proxy.newProxyInstance(
        WriterContexts.class.getClassLoader(), new Class<?>[] {SinkWriterMetricGroup.class},
        (proxy, method, args) -> {
          if (method.getName().equals("setCurrentSendTimeGauge")) {
            sendTimeCalls.incrementAndGet();
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    return (WriterInitContext) Proxy.newProxyInstance(WriterContexts.class.getClassLoader(),
        new Class<?>[] {WriterInitContext.class}, (proxy, method, args) -> switch (method.getName()) {
          case "metricGroup" -> group;
          case "getProcessingTimeService" -> time;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
