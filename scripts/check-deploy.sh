#!/usr/bin/env bash
# Offline checks of the deployment files (no Docker engine, no Kubernetes cluster needed). Each one can fail, and
# the self-tests at the end show it does, on broken fixtures (deploy-checks/fixtures):
#  - compose: every profile validates (docker-compose config -q), also with the external-Kafka override; the
#    profiles start what docs/deployment-profiles.md says; every volume a service mounts is writable by its
#    image's user and only the intended ports are published beyond loopback (deploy-checks/check-compose-runtime.mjs);
#    the job image's entrypoint resumes from the newest checkpoint or savepoint (deploy-checks/test-entrypoint.sh);
#  - Kubernetes: every kustomize overlay builds (kubectl kustomize) and its output validates with kubeconform, strict,
#    against the Kubernetes schemas (oldest and newest version checked) and the CRD schemas of the operators it targets (Strimzi 1.2.0, Flink
#    Kubernetes Operator, Prometheus Operator), generated from their published artifacts; references and rules
#    across each overlay (deploy-checks/check-references.mjs); k8s/examples too;
#  - Prometheus: the scrape configs pass promtool check config, the PrometheusRule's alerts promtool check rules;
#  - Grafana: the dashboards are valid JSON with a query in every panel; the Kubernetes copy equals docker's;
#  - docs: versions, option names, compose settings and stale terms (deploy-checks/check-docs.mjs).
# Installs what it needs when missing, pinned, cached outside the repository (scripts/deploy-tools.sh lists it).
# Exits 1 if any check fails.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

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

# A check must fail on its fixture, with each of the expected messages.
must_fail() { # expected-lines command...
  local expected=$1
  shift
  local output
  if output=$("$@" 2>&1); then
    echo "expected a failure, the check passed:"
    printf '%s\n' "$output"
    return 1
  fi
  local missing=0 line
  while IFS= read -r line; do
    [[ -z $line ]] && continue
    if ! grep -qF -- "$line" <<<"$output"; then
      echo "missing from the output: $line"
      missing=1
    fi
  done <<<"$expected"
  if ((missing)); then
    printf '%s\n' "$output"
    return 1
  fi
}

# shellcheck source=scripts/deploy-tools.sh
source scripts/deploy-tools.sh
ensure_deploy_tools || exit 1

# kubeconform, strict, once per Kubernetes version of K8S_VERSIONS.
kubeconform() {
  local version rc=0
  for version in $K8S_VERSIONS; do
    echo "Kubernetes v$version:"
    "$KUBECONFORM" -strict -summary -kubernetes-version "$version" \
      -schema-location "$K8S_SCHEMAS/{{.NormalizedKubernetesVersion}}-local-strict/{{.ResourceKind}}{{.KindSuffix}}.json" \
      -schema-location "$CRD_SCHEMAS/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json" "$@" || rc=1
  done
  return $rc
}

# The secrets compose requires (no defaults), set for validation only.
export GATEWAY_AUTH_TOKEN=check-deploy-token GRAFANA_ADMIN_PASSWORD=check-deploy-password
compose_config() { # profile [extra compose args...]
  local profile=$1
  shift
  docker-compose -f docker/compose.yaml "$@" --env-file "docker/profiles/$profile.env" --profile "$profile" config
}
export -f compose_config

echo "Compose profiles"
for profile in "${PROFILES[@]}"; do
  run "compose $profile: config, volumes writable, ports" bash -c \
    "set -o pipefail; compose_config $profile | node deploy-checks/check-compose-runtime.mjs $profile"
done
run "compose full + external Kafka" env KAFKA_BOOTSTRAP_SERVERS=broker.example.internal:9092 bash -c \
  "set -o pipefail; compose_config full -f docker/compose.external-kafka.yaml | node deploy-checks/check-compose-runtime.mjs full+external-kafka"
run "compose refuses to start without GATEWAY_AUTH_TOKEN" must_fail "GATEWAY_AUTH_TOKEN" \
  env -u GATEWAY_AUTH_TOKEN docker-compose -f docker/compose.yaml --env-file docker/profiles/full.env --profile full config -q
run "compose refuses to start without GRAFANA_ADMIN_PASSWORD" must_fail "GRAFANA_ADMIN_PASSWORD" \
  env -u GRAFANA_ADMIN_PASSWORD docker-compose -f docker/compose.yaml --env-file docker/profiles/full.env --profile full config -q
run "compose profiles match docs/deployment-profiles.md" node deploy-checks/check-compose-profiles.mjs .
run "job image entrypoint resumes from the newest state" bash deploy-checks/test-entrypoint.sh

echo "Kustomize overlays (kubeconform $KUBECONFORM_VERSION, Kubernetes ${K8S_VERSIONS// / and }, Strimzi $STRIMZI_VERSION, Flink operator API $FLINK_OPERATOR_API_VERSION, Prometheus Operator $PROMETHEUS_OPERATOR_VERSION)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
built=()
for overlay in "${OVERLAYS[@]}"; do
  if "$KUBECTL" kustomize "k8s/overlays/$overlay" >"$out/$overlay.yaml" 2>"$out/$overlay.err"; then
    built+=("$out/$overlay.yaml")
    run "kustomize $overlay: references and rules" bash -c "node deploy-checks/check-references.mjs $overlay < $out/$overlay.yaml"
  else
    run "kustomize $overlay builds" bash -c "cat $out/$overlay.err; false"
  fi
done
# One kubeconform run for all of them: it compiles each schema once (the operators' CRDs are large).
run "kubeconform: ${OVERLAYS[*]} and k8s/examples" kubeconform "${built[@]}" k8s/examples

echo "Prometheus configs and rules"
for config in docker/prometheus/prometheus.yml docker/victoriametrics/scrape.yml; do
  run "promtool check config $config" promtool check config --syntax-only "$config"
done
run "promtool check rules (PrometheusRule trace-metrics)" bash -c \
  "node deploy-checks/extract-rules.mjs k8s/components/monitoring/prometheusrule.yaml > $out/rules.yml && promtool check rules $out/rules.yml"

echo "Grafana dashboards"
for dashboard in docker/grafana/dashboards/*.json; do
  run "dashboard $(basename "$dashboard")" node -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const panels = (d.panels || []).filter((p) => p.type !== "row");
    if (!d.uid || !d.title || panels.length === 0) throw new Error("uid, title and panels are required");
    for (const p of panels) {
      if (!(p.targets || []).length || p.targets.some((t) => !t.expr)) throw new Error("panel " + p.title + " has no query");
    }' "$dashboard"
  run "dashboard $(basename "$dashboard"): the Kubernetes copy is the same" \
    cmp "$dashboard" "k8s/components/monitoring/dashboards/$(basename "$dashboard")"
done

echo "Docs"
run "docs: versions, option names, compose settings, stale terms" node deploy-checks/check-docs.mjs .

echo "Self-tests: each check fails on a broken fixture"
fixtures=deploy-checks/fixtures
run "kubeconform rejects the broken manifests" must_fail "$(cat "$fixtures/k8s-bad.expected")" kubeconform "$fixtures/k8s-bad.yaml"
run "check-references rejects the broken manifests" must_fail "$(cat "$fixtures/references-bad.expected")" \
  bash -c "node deploy-checks/check-references.mjs fixture < $fixtures/k8s-bad.yaml"
run "check-compose-runtime rejects a root-owned volume and an open port" must_fail "$(cat "$fixtures/compose-bad.expected")" \
  bash -c "set -o pipefail; docker-compose -f $fixtures/compose-bad/compose.yaml config | node deploy-checks/check-compose-runtime.mjs fixture"
run "check-docs rejects stale docs" must_fail "$(cat "$fixtures/docs-bad/expected")" node deploy-checks/check-docs.mjs "$fixtures/docs-bad"
run "the entrypoint test fails on a wrong pick" must_fail "FAIL" env ENTRYPOINT_SELFTEST_BREAK=1 bash deploy-checks/test-entrypoint.sh

echo
echo "check-deploy: $passed passed, $failed failed ($((SECONDS - started)) s)"
if ((failed > 0)); then
  printf '  failed: %s\n' "${failures[@]}"
  exit 1
fi
