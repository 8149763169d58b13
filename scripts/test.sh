#!/usr/bin/env bash
# Runs every test of the project: unit tests, then the integration tests against real components
# (a KRaft Kafka broker, VictoriaMetrics, Prometheus, Flink MiniCluster). Installs the Debian packages
# the tests need when they are missing and this user may install them. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-binaries.sh
exec mvn -B -ntp verify "$@"
