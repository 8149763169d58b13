#!/usr/bin/env bash
# Runs JMH microbenchmarks of the benchmarks module: scripts/jmh.sh <benchmark regexp> [JMH options].
# Compiles the module and what it needs first (offline); scripts/bench-gateway.sh scan, scripts/bench-job.sh
# decode and the sink's EncodeBenchmark (remote-write-sink/README.md) call it.
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks=$1
shift
classpath_file="$PWD/benchmarks/target/jmh-classpath.txt"
mvn -B -q -ntp -o -pl benchmarks -am compile dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$classpath_file" >/dev/null
classes=benchmarks/target/classes
for module in flink-job remote-write-sink otlp-gateway test-support; do
  classes="$classes:$module/target/classes"
done
exec java -cp "$classes:$(cat "$classpath_file")" org.openjdk.jmh.Main "$benchmarks" "$@"
