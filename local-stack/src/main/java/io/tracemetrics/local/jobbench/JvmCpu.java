package io.tracemetrics.local.jobbench;

import java.lang.management.ManagementFactory;

/**
 * CPU time (user + system) of this JVM only: the broker and VictoriaMetrics run as other processes, so
 * what they spend is not counted.
 */
final class JvmCpu {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private JvmCpu() {}

  static double seconds() {
    return OS.getProcessCpuTime() / 1e9;
  }
}
