#!/usr/bin/env bash
# Randomized fault-and-oracle check of the job's exactly-once guarantees
# (io.tracemetrics.job.replay.ReplayCheck in flink-job's tests): per seed, a corpus of spans (on time, late,
# old, ahead, invalid, odd enums, poison records, services at and over the series limit, a series that
# expires) and a fault schedule (task failure, lost task manager, stop-with-savepoint and restore at
# parallelism 1<->2) run on a KRaft broker, a MiniCluster, two VictoriaMetrics and a Prometheus; the stores
# are then checked against an independent oracle.
#   scripts/replay-check.sh --seeds 5      # five random seeds
#   scripts/replay-check.sh --seed 42      # one seed again
# Prints each violation with its seed and schedule, then 'N schedules, M samples checked, V violations'.
# Exit status 1 on any violation. Compiles first (offline, flink-job and what it needs; never installs).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-binaries.sh >/dev/null

classpath_file=flink-job/target/replay-classpath.txt
mvn -B -q -ntp -o -pl flink-job -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/replay-classpath.txt >/dev/null

classes=flink-job/target/test-classes:flink-job/target/classes
for module in remote-write-sink test-support; do
  classes="$classes:$module/target/classes"
done
exec java -Xmx2g ${REPLAY_CHECK_JAVA_OPTS:-} -cp "$classes:$(cat "$classpath_file")" \
  io.tracemetrics.job.replay.ReplayCheck "$@"
