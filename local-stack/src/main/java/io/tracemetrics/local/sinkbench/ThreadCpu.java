package io.tracemetrics.local.sinkbench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Predicate;

/** CPU time of threads of this JVM, by name: what the sink itself costs. */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ThreadCpu() {}

  static long currentNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** Sum over live threads whose name matches; a thread that already ended is not counted. */
  static long nanos(Predicate<String> name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> name.test(t.getName()))
        .mapToLong(t -> Math.max(0, THREADS.getThreadCpuTime(t.getId()))).sum();
  }
}
