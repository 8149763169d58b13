#!/usr/bin/env bash
# Load harness of the OTLP gateway (io.tracemetrics.bench.gateway.GatewayLoad): starts a KRaft broker and the
# gateway in a child JVM, then alternates, for --rounds rounds, the no-gateway ceiling (the same records
# produced straight into Kafka with the gateway's producer settings) and the gateway driven over OTLP/HTTP
# protobuf; prints a Markdown report and writes it to benchmarks/target/gateway-bench.md. Builds first when
# the sources changed. Arguments go to the harness:
#   scripts/bench-gateway.sh --rounds=5 --duration-seconds=15 --http-senders=16 --spans-per-request=500
#   scripts/bench-gateway.sh --help
# 'scripts/bench-gateway.sh scan [JMH options]' runs the validation microbenchmark (JMH, otlp-gateway's tests)
# instead: the gateway's scan against protobuf-java's generated parser, spans per second on one thread.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "scan" ]; then
  shift
  exec scripts/jmh.sh 'io.tracemetrics.bench.gateway.ScanBenchmark' "$@"
fi

classpath_file=benchmarks/target/runtime-classpath.txt
if [ ! -f "$classpath_file" ] || ! ls benchmarks/target/benchmarks-*.jar >/dev/null 2>&1 \
   || [ -n "$(find . -path ./.git -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$classpath_file" -print -quit)" ]; then
  echo "Building (once, or after a change)..."
  mvn -B -q -ntp install -DskipTests
fi

jar=$(ls benchmarks/target/benchmarks-*.jar | head -n 1)
exec java -Xmx1g -cp "$jar:$(cat "$classpath_file")" io.tracemetrics.bench.gateway.GatewayLoad \
  --report=benchmarks/target/gateway-bench.md "$@"
