#!/usr/bin/env bash
# Entrypoint of the job image (docker/Dockerfile.job). For `standalone-job` (compose) it resumes the job from the
# newest state on the flink-data volume before handing over to Flink's own /docker-entrypoint.sh; every other
# command (taskmanager, the Kubernetes operator's commands) goes straight through.
#
# Restart of any kind (jobmanager crash, `docker compose restart`, host reboot, stop-with-savepoint followed by
# `restart: unless-stopped`): the newest complete checkpoint (chk-N/_metadata, retained on cancel and on crash)
# or savepoint (savepoint-*/_metadata), whichever was written last, is passed as --fromSavepoint.
# FLINK_RESTORE_FROM names one savepoint or checkpoint to start from instead (an upgrade, a rollback); it is
# used once (recorded in <state dir>/.restored) and after that the newest state wins again, so an old
# savepoint is never replayed by a later restart.
set -euo pipefail

STATE_DIR=${FLINK_STATE_DIR:-/flink-data}

latest_state() {
  # Newest _metadata of a complete checkpoint or a savepoint; prints its directory.
  local dirs=() d
  for d in "$STATE_DIR/checkpoints" "$STATE_DIR/savepoints"; do
    [[ -d $d ]] && dirs+=("$d")
  done
  ((${#dirs[@]} > 0)) || return 0
  find "${dirs[@]}" -mindepth 2 -maxdepth 3 -name _metadata \
      \( -path '*/chk-*/_metadata' -o -path '*/savepoint-*/_metadata' \) -printf '%T@ %h\n' 2>/dev/null \
    | sort -n -k1,1 | tail -n 1 | cut -d' ' -f2-
}

restore_path() {
  local requested=${FLINK_RESTORE_FROM:-}
  requested=${requested#file://}
  if [[ -n $requested ]] && ! grep -qxF "$requested" "$STATE_DIR/.restored" 2>/dev/null; then
    if [[ ! -f $requested/_metadata ]]; then
      echo "entrypoint: FLINK_RESTORE_FROM=$requested has no _metadata: not a complete savepoint or checkpoint" >&2
      return 1
    fi
    echo "$requested" >>"$STATE_DIR/.restored"
    echo "$requested"
    return 0
  fi
  latest_state
}

if [[ ${1:-} == standalone-job ]]; then
  shift
  restore=$(restore_path) || exit 1
  if [[ -n $restore ]]; then
    echo "entrypoint: resuming the job from $restore" >&2
    set -- standalone-job "$@" --fromSavepoint "file://$restore"
  else
    echo "entrypoint: no checkpoint or savepoint in $STATE_DIR: starting with empty state" >&2
    set -- standalone-job "$@"
  fi
fi
[[ ${TRACE_METRICS_ENTRYPOINT_DRY_RUN:-} == 1 ]] && { printf '%s\n' "$*"; exit 0; }
exec /docker-entrypoint.sh "$@"
