#!/usr/bin/env bash
# Tests docker/flink/entrypoint.sh (the job image's entrypoint) on a fake flink-data directory, in dry-run mode
# (it prints the command it would run): which state a restarted jobmanager resumes from.
# ENTRYPOINT_SELFTEST_BREAK=1 expects the wrong answer, to show the test can fail.
set -uo pipefail
cd "$(dirname "$0")/.."
entrypoint=docker/flink/entrypoint.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

expect() { # name expected-restore-path-or-"none"
  local name=$1 want=$2 got
  got=$(FLINK_STATE_DIR=$dir TRACE_METRICS_ENTRYPOINT_DRY_RUN=1 FLINK_RESTORE_FROM=${RESTORE:-} \
    bash "$entrypoint" standalone-job --job-classname X 2>/dev/null | sed -n 's/.*--fromSavepoint file:\/\/\(.*\)$/\1/p')
  [[ -z $got ]] && got=none
  [[ ${ENTRYPOINT_SELFTEST_BREAK:-} == 1 && $want != none ]] && want=$dir/wrong
  if [[ $got == "$want" ]]; then
    echo "ok    $name"
  else
    echo "FAIL  $name: resumed from $got, expected $want"
    failures=$((failures + 1))
  fi
}

state() { # path age-in-seconds: a complete checkpoint or savepoint written that long ago
  mkdir -p "$dir/$1"
  touch -d "@$(($(date +%s) - $2))" "$dir/$1/_metadata"
}

expect "empty volume: fresh start" none
mkdir -p "$dir/checkpoints/j1/chk-9"   # incomplete: no _metadata
expect "an incomplete checkpoint is ignored" none
state checkpoints/j1/chk-7 300
state checkpoints/j1/chk-8 200
expect "jobmanager crash: the newest retained checkpoint" "$dir/checkpoints/j1/chk-8"
state savepoints/savepoint-j1-aaaa 100
expect "after stop-with-savepoint: the savepoint" "$dir/savepoints/savepoint-j1-aaaa"
state checkpoints/j1/chk-9 50
expect "checkpoints after the savepoint win over it" "$dir/checkpoints/j1/chk-9"
RESTORE=$dir/savepoints/savepoint-j1-aaaa expect "FLINK_RESTORE_FROM is used once" "$dir/savepoints/savepoint-j1-aaaa"
RESTORE=file://$dir/savepoints/savepoint-j1-aaaa expect "... and not replayed by the next restart" "$dir/checkpoints/j1/chk-9"
state checkpoints/j2/chk-1 10
expect "a new job id's checkpoints (after an upgrade) are found" "$dir/checkpoints/j2/chk-1"
if FLINK_STATE_DIR=$dir TRACE_METRICS_ENTRYPOINT_DRY_RUN=1 FLINK_RESTORE_FROM=$dir/nowhere \
    bash "$entrypoint" standalone-job >/dev/null 2>&1; then
  echo "FAIL  FLINK_RESTORE_FROM without _metadata must stop the start"
  failures=$((failures + 1))
else
  echo "ok    FLINK_RESTORE_FROM without _metadata stops the start"
fi
got=$(TRACE_METRICS_ENTRYPOINT_DRY_RUN=1 FLINK_STATE_DIR=$dir bash "$entrypoint" taskmanager -D a=b)
if [[ $got == "taskmanager -D a=b" ]]; then echo "ok    other commands pass through"; else echo "FAIL  taskmanager: $got"; failures=$((failures + 1)); fi

exit $((failures > 0))
