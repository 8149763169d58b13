#!/usr/bin/env bash
# End-to-end benchmark of the remote-write sink (io.tracemetrics.local.sinkbench.SinkBench): the sink's
# writer driven as fast as one thread can into a real VictoriaMetrics on loopback, next to the same run's
# encoding-only ceiling; prints a Markdown table. Needs victoria-metrics (scripts/ensure-binaries.sh).
#   scripts/bench-sink.sh [seconds per phase, default 10] [span series per window, default 500]
set -euo pipefail
cd "$(dirname "$0")/.."

classpath_file=local-stack/target/runtime-classpath.txt
if [ ! -f "$classpath_file" ] || ! ls local-stack/target/local-stack-*.jar >/dev/null 2>&1 \
   || [ -n "$(find remote-write-sink local-stack -name '*.java' -newer "$classpath_file" -print -quit)" ]; then
  echo "Building remote-write-sink and local-stack..."
  mvn -B -q -ntp -pl remote-write-sink install -DskipTests
  mvn -B -q -ntp -pl local-stack package -DskipTests
fi

jar=$(ls local-stack/target/local-stack-*.jar | head -n 1)
exec java -Xmx1g -cp "$jar:$(cat "$classpath_file")" io.tracemetrics.local.sinkbench.SinkBench "$@"
