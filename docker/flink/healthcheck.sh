#!/usr/bin/env bash
# Health of the job image's processes, with bash alone (no curl in the image needed).
#   healthcheck.sh jobmanager   healthy when the REST API lists a RUNNING job
#   healthcheck.sh taskmanager  healthy when its metrics reporter answers (it runs once the taskmanager is up)
set -uo pipefail

http_get() { # port path
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$2" >&3
  timeout 4 cat <&3
}

case ${1:-} in
  jobmanager) http_get 8081 /jobs/overview | grep -q '"state":"RUNNING"' ;;
  taskmanager) http_get "${2:-9250}" /metrics | grep -q '^flink_taskmanager' ;;
  *) echo "usage: healthcheck.sh jobmanager|taskmanager [port]" >&2; exit 2 ;;
esac
