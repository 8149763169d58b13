#!/usr/bin/env bash
# Runs the whole pipeline on this machine: VictoriaMetrics on :8428, an embedded KRaft Kafka broker,
# the OTLP gateway on :4317/:4318 (health :13133, metrics :8888) and the Flink job on a local
# MiniCluster (web UI :8081). Builds first when the sources changed. Runs in the foreground until
# interrupted (Ctrl-C), then stops everything it started. Extra arguments go to the demo (--help).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-binaries.sh

classpath_file=demo/target/runtime-classpath.txt
if [ ! -f "$classpath_file" ] \
   || [ -n "$(find . -path ./.git -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.xml' -path '*/resources/*' \) -newer "$classpath_file" -print -quit)" ]; then
  echo "Building (once, or after a change)..."
  mvn -B -q -ntp install -DskipTests
fi

jar=$(ls demo/target/demo-*.jar | head -n 1)
exec java -Xmx2g -cp "$jar:$(cat "$classpath_file")" io.tracemetrics.demo.DemoMain "$@"
