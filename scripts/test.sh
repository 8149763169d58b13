#!/usr/bin/env bash
# Runs every test of the project: the offline checks of the deployment files, the unit tests, then the
# integration tests against real components (a KRaft Kafka broker, VictoriaMetrics, Prometheus, Flink).
# Installs the Debian packages the tests need when they are missing and this user may install them, and
# builds the ecosystem peers (scripts/ensure-peers.sh) into ~/.cache/trace-metrics/peers on first run.
# Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-binaries.sh
# The peers of the ecosystem ITs (Collector, telemetrygen, Python SDK, Jaeger): built once, then cached.
scripts/ensure-peers.sh || echo "test.sh: going on without the peers above; the ITs that need them fail" >&2
# Compose profiles, kustomize overlays, Prometheus and Grafana configs: offline.
scripts/check-deploy.sh
mvn -B -ntp verify "$@"
# A short coverage-guided run of every fuzz test (the corpora were replayed by verify above).
scripts/fuzz.sh --seconds 12
