#!/usr/bin/env bash
# Runs the JMH microbenchmarks in a module's tests: scripts/jmh.sh <module> <benchmark regexp> [JMH options].
# Compiles the module's tests first; scripts/bench-job.sh decode and scripts/bench-gateway.sh scan call it.
set -euo pipefail
cd "$(dirname "$0")/.."
module=$1
benchmarks=$2
shift 2
test_classpath="$PWD/$module/target/test-classpath.txt"
mvn -B -q -ntp -pl "$module" test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$test_classpath"
exec java -cp "$module/target/test-classes:$module/target/classes:$(cat "$test_classpath")" \
  org.openjdk.jmh.Main "$benchmarks" "$@"
