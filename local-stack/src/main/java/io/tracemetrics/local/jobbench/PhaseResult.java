package io.tracemetrics.local.jobbench;

/** One measured phase: spans processed, wall time and this JVM's CPU time over it. */
record PhaseResult(String name, long spans, double wallSeconds, double cpuSeconds) {
  double spansPerSecond() {
    return spans / wallSeconds;
  }

  double coresUsed() {
    return cpuSeconds / wallSeconds;
  }

  double spansPerCore() {
    return spans / cpuSeconds;
  }
}
