#!/usr/bin/env bash
# End-to-end benchmark of the remote-write sink (io.tracemetrics.bench.sink.SinkBench): the sink's
# writer driven as fast as one thread can into a real VictoriaMetrics on loopback, next to the same run's
# encoding-only ceiling; prints a Markdown table. Needs victoria-metrics (scripts/ensure-binaries.sh).
#   scripts/bench-sink.sh [seconds per phase, default 10] [span series per window, default 500]
set -euo pipefail
cd "$(dirname "$0")/.."

classpath_file=benchmarks/target/runtime-classpath.txt
if [ ! -f "$classpath_file" ] || ! ls benchmarks/target/benchmarks-*.jar >/dev/null 2>&1 \
   || [ -n "$(find . -path ./.git -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$classpath_file" -print -quit)" ]; then
  echo "Building (once, or after a change)..."
  mvn -B -q -ntp install -DskipTests
fi

jar=$(ls benchmarks/target/benchmarks-*.jar | head -n 1)
exec java -Xmx1g -cp "$jar:$(cat "$classpath_file")" io.tracemetrics.bench.sink.SinkBench "$@"
