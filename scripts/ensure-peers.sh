#!/usr/bin/env bash
# Builds or reuses the peers the ecosystem ITs run beside the project (test tools, not part of the product):
#   otelcol    an OpenTelemetry Collector built with the Collector builder v0.165.0 from e2e/peers/otelcol-builder.yaml
#              (core v0.165.0, contrib v0.165.1)
#   telemetrygen  the Collector's load generator, v0.161.0 (otel-cli is not served by the Go module proxy)
#   python     a virtualenv with the OpenTelemetry Python SDK and OTLP exporters of e2e/peers/requirements-python.txt
#   jaeger     the jaeger binary of github.com/jaegertracing/jaeger v1.75.0
# Each lands in $TRACE_METRICS_PEERS (default ~/.cache/trace-metrics/peers) under <name>-<version>/ and is
# reused when present, so only the first run builds (minutes: the Collector and Jaeger are large Go builds).
# Arguments: the peers to ensure (default: all). Prints the paths the tests read (also found there by default).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

PEERS=${TRACE_METRICS_PEERS:-$HOME/.cache/trace-metrics/peers}
OTELCOL_VERSION=0.165.1
BUILDER_VERSION=v0.165.0
TELEMETRYGEN_VERSION=v0.161.0
JAEGER_VERSION=v1.75.0
PYTHON_PEER=python-otel-1.45.2

mkdir -p "$PEERS"

refused() { # what, command, log
  echo "ensure-peers: could not install $1." >&2
  echo "  command: $2" >&2
  if grep -qiE '403|404|410|forbidden|not available|not found|no matching distribution|could not find a version' "$3" 2>/dev/null; then
    echo "  the package registry refused it (see below); the peer stays missing and its ITs will fail." >&2
  fi
  tail -n 20 "$3" >&2
  return 1
}

need_go() {
  command -v go >/dev/null 2>&1 || { echo "ensure-peers: Go is needed to build the peers (Go 1.26 or newer)" >&2; return 1; }
}

ensure_otelcol() {
  local dir=$PEERS/otelcol-$OTELCOL_VERSION bin
  bin=$dir/otelcol-tracemetrics
  if [[ -x $bin ]] && cmp -s "$repo/e2e/peers/otelcol-builder.yaml" "$dir/otelcol-builder.yaml"; then
    echo "otelcol: $bin (cached)"; return
  fi
  need_go || return 1
  echo "otelcol: building the Collector $OTELCOL_VERSION with the Collector builder $BUILDER_VERSION (a few minutes, once)" >&2
  local start=$SECONDS log=$PEERS/otelcol-build.log
  rm -rf "$dir.tmp"; mkdir -p "$dir.tmp/bin"
  GOBIN=$dir.tmp/bin go install "go.opentelemetry.io/collector/cmd/builder@$BUILDER_VERSION" >"$log" 2>&1 \
    || { refused "the Collector builder $BUILDER_VERSION" "go install go.opentelemetry.io/collector/cmd/builder@$BUILDER_VERSION" "$log"; return 1; }
  sed "s|OUTPUT_PATH|$dir.tmp/build|" "$repo/e2e/peers/otelcol-builder.yaml" >"$dir.tmp/manifest.yaml"
  "$dir.tmp/bin/builder" --config "$dir.tmp/manifest.yaml" >>"$log" 2>&1 \
    || { refused "the Collector $OTELCOL_VERSION" "builder --config e2e/peers/otelcol-builder.yaml" "$log"; return 1; }
  mv "$dir.tmp/build/otelcol-tracemetrics" "$dir.tmp/"
  cp "$repo/e2e/peers/otelcol-builder.yaml" "$dir.tmp/otelcol-builder.yaml"
  rm -rf "$dir.tmp/build" "$dir"; mv "$dir.tmp" "$dir"
  echo "otelcol: $bin (built in $((SECONDS - start)) s)"
}

ensure_go_tool() { # name version module-path package-path binary
  local name=$1 version=$2 pkg=$3 binary=$4
  local dir=$PEERS/$name-${version#v} bin
  bin=$dir/$binary
  if [[ -x $bin ]]; then echo "$name: $bin (cached)"; return; fi
  need_go || return 1
  echo "$name: building $pkg@$version (once)" >&2
  local start=$SECONDS log=$PEERS/$name-build.log
  rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
  GOBIN=$dir.tmp go install "$pkg@$version" >"$log" 2>&1 || { refused "$name $version" "go install $pkg@$version" "$log"; return 1; }
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
  echo "$name: $bin (built in $((SECONDS - start)) s)"
}

ensure_jaeger() {
  local dir=$PEERS/jaeger-${JAEGER_VERSION#v} pkg=github.com/jaegertracing/jaeger/cmd/jaeger
  if [[ -x $dir/jaeger ]]; then echo "jaeger: $dir/jaeger (cached)"; return; fi
  need_go || return 1
  echo "jaeger: building $pkg@$JAEGER_VERSION (a large build, several minutes, once)" >&2
  local start=$SECONDS log=$PEERS/jaeger-build.log
  rm -rf "$dir.tmp"; mkdir -p "$dir.tmp/module"
  # As a tool of a throw-away module: the versions of Jaeger's own go.mod, as its release builds them.
  (cd "$dir.tmp/module" && go mod init tracemetrics.peers/jaeger && go get -tool "$pkg@$JAEGER_VERSION" \
    && go build -o "$dir.tmp/jaeger" "$pkg") >"$log" 2>&1 \
    || { refused "Jaeger $JAEGER_VERSION" "go get -tool $pkg@$JAEGER_VERSION && go build $pkg" "$log"; return 1; }
  rm -rf "$dir.tmp/module" "$dir"; mv "$dir.tmp" "$dir"
  echo "jaeger: $dir/jaeger (built in $((SECONDS - start)) s)"
}

ensure_python() {
  local dir=$PEERS/$PYTHON_PEER req=$repo/e2e/peers/requirements-python.txt
  if [[ -x $dir/bin/python ]] && cmp -s "$req" "$dir/requirements-python.txt"; then
    echo "python: $dir/bin/python (cached)"; return
  fi
  command -v python3 >/dev/null 2>&1 || { echo "ensure-peers: python3 is needed for the Python peer" >&2; return 1; }
  local start=$SECONDS log=$PEERS/python-build.log
  rm -rf "$dir.tmp"
  python3 -m venv "$dir.tmp" >"$log" 2>&1 \
    || { refused "a Python virtualenv" "python3 -m venv $dir (Debian: apt-get install python3-venv)" "$log"; return 1; }
  "$dir.tmp/bin/pip" install --disable-pip-version-check -q -r "$req" >>"$log" 2>&1 \
    || { refused "the OpenTelemetry Python SDK" "pip install -r e2e/peers/requirements-python.txt" "$log"; return 1; }
  cp "$req" "$dir.tmp/requirements-python.txt"
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
  echo "python: $dir/bin/python (installed in $((SECONDS - start)) s)"
}

wanted=("$@")
((${#wanted[@]})) || wanted=(otelcol telemetrygen python jaeger)
failed=()
for peer in "${wanted[@]}"; do
  case $peer in
    otelcol) ensure_otelcol || failed+=("$peer") ;;
    telemetrygen) ensure_go_tool telemetrygen "$TELEMETRYGEN_VERSION" \
      github.com/open-telemetry/opentelemetry-collector-contrib/cmd/telemetrygen telemetrygen || failed+=("$peer") ;;
    python) ensure_python || failed+=("$peer") ;;
    jaeger) ensure_jaeger || failed+=("$peer") ;;
    *) echo "ensure-peers: unknown peer $peer (otelcol, telemetrygen, python, jaeger)" >&2; exit 2 ;;
  esac
done
if ((${#failed[@]})); then
  echo "ensure-peers: missing: ${failed[*]}; the ITs that need them will fail. Retry: scripts/ensure-peers.sh ${failed[*]}" >&2
  exit 1
fi
