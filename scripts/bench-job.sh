#!/usr/bin/env bash
# Benchmark of the Flink job at parallelism 1 (io.tracemetrics.bench.job.JobBench): a KRaft broker and
# VictoriaMetrics as child processes, the job on a MiniCluster in this JVM. Modes: throughput (pre-filled
# topic: read+decode ceiling, then the whole job into VictoriaMetrics with the stored totals checked),
# memory (heap per active series at 100k and 1M series), freshness (window end -> samples queryable).
# Prints a Markdown report and writes it to benchmarks/target/job-bench.md. Builds first when the sources
# changed. Arguments go to the harness:
#   scripts/bench-job.sh --modes=throughput --spans=2000000
#   scripts/bench-job.sh --help
#   JOB_BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=job.jfr,settings=profile" scripts/bench-job.sh
# 'scripts/bench-job.sh decode [JMH options]' runs the decoding microbenchmark (JMH, flink-job's tests) instead.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "decode" ]; then
  shift
  exec scripts/jmh.sh 'io.tracemetrics.bench.job.TracesDecodeBenchmark' "$@"
fi

scripts/ensure-binaries.sh >/dev/null

classpath_file=benchmarks/target/runtime-classpath.txt
if [ ! -f "$classpath_file" ] || ! ls benchmarks/target/benchmarks-*.jar >/dev/null 2>&1 \
   || [ -n "$(find . -path ./.git -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$classpath_file" -print -quit)" ]; then
  echo "Building (once, or after a change)..."
  mvn -B -q -ntp install -DskipTests
fi

jar=$(ls benchmarks/target/benchmarks-*.jar | head -n 1)
# 1M series need a GiB or two of state plus the emitted samples in flight; G1, as on a task manager.
exec java -Xmx4g -XX:+UseG1GC ${JOB_BENCH_JAVA_OPTS:-} -cp "$jar:$(cat "$classpath_file")" \
  io.tracemetrics.bench.job.JobBench --report=benchmarks/target/job-bench.md "$@"
