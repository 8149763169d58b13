#!/usr/bin/env bash
# The seed's stack and this pipeline side by side on this machine (io.tracemetrics.bench.compare.BenchCompare):
#   A  seed stack: Collector spanmetrics -> prometheus exporter <- Prometheus (scrape 10 s) -> remote write -> VictoriaMetrics
#   A' Collector spanmetrics -> prometheusremotewrite -> VictoriaMetrics (memory_limiter, batch)
#   B  gateway -> Kafka -> job -> VictoriaMetrics, with the demo's settings; B' with the job's defaults
# each alone, fed by the same open-loop load (OTLP/HTTP protobuf and gRPC): sustained rate with zero loss,
# freshness, restarts, overload, and cost at 1k, 100k and 1M series; plus the Kafka ceiling. Builds the
# Collector peer (scripts/ensure-peers.sh otelcol) and the project when needed. Arguments go to the harness:
#   scripts/bench-compare.sh --quick=true                  # smoke run: 1k series, short phases (minutes per stack)
#   scripts/bench-compare.sh --stacks=seed,pipeline --series=1000
#   scripts/bench-compare.sh --help
# Prints a Markdown report and writes it to benchmarks/target/compare-bench.md (and .json).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-binaries.sh >/dev/null
scripts/ensure-peers.sh otelcol >/dev/null

classpath_file=benchmarks/target/runtime-classpath.txt
if [ ! -f "$classpath_file" ] || ! ls benchmarks/target/benchmarks-*.jar >/dev/null 2>&1 \
   || [ -n "$(find . -path ./.git -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$classpath_file" -print -quit)" ]; then
  echo "Building (once, or after a change)..."
  mvn -B -q -ntp install -DskipTests
fi

jar=$(ls benchmarks/target/benchmarks-*.jar | head -n 1)
# The load generator holds the pre-encoded requests: about 200 MiB at 1M series.
exec java -Xmx3g -XX:+UseG1GC ${COMPARE_JAVA_OPTS:-} -cp "$jar:$(cat "$classpath_file")" \
  io.tracemetrics.bench.compare.BenchCompare --report=benchmarks/target/compare-bench.md "$@"
