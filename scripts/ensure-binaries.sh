#!/usr/bin/env bash
# Makes sure the stores that the local stack and its tests run are installed: victoria-metrics and prometheus
# (promtool comes with prometheus). Installs them with apt-get when it can (root or passwordless sudo),
# otherwise prints what to install and exits 1. Does nothing, quickly, when everything is there.
set -euo pipefail

# binary -> Debian package
declare -A PACKAGE_OF=(
  [victoria-metrics]=victoria-metrics
  [prometheus]=prometheus
  [promtool]=prometheus
)

# binary -> environment variable the launchers read instead of PATH
declare -A OVERRIDE_OF=(
  [victoria-metrics]=VICTORIA_METRICS_BIN
  [prometheus]=PROMETHEUS_BIN
)

present() {
  local binary=$1
  local override=${OVERRIDE_OF[$binary]:-}
  if [[ -n "$override" && -n "${!override:-}" ]]; then
    [[ -x "${!override}" ]]
  else
    command -v "$binary" >/dev/null 2>&1
  fi
}

missing_packages() {
  local binary
  local -A wanted=()
  for binary in "${!PACKAGE_OF[@]}"; do
    if ! present "$binary"; then
      wanted[${PACKAGE_OF[$binary]}]=1
    fi
  done
  if ((${#wanted[@]} > 0)); then
    printf '%s\n' "${!wanted[@]}" | sort
  fi
}

mapfile -t missing < <(missing_packages)
if ((${#missing[@]} == 0)); then
  exit 0
fi

as_root=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    as_root=(none)
  fi
fi

if [[ "${as_root[0]:-}" == none ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing: ${missing[*]}. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  echo "(Debian 12 packages: VictoriaMetrics 1.79, Prometheus 2.42; or set VICTORIA_METRICS_BIN / PROMETHEUS_BIN" >&2
  echo " to executables installed elsewhere.)" >&2
  exit 1
fi

echo "Installing ${missing[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# The Debian packages may start their services: the stack runs its own instances on other ports, and a
# system one on 8428/9090 would only take the demo's default ports.
for service in victoria-metrics prometheus; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
    "${as_root[@]}" systemctl stop "$service" || true
  fi
done

mapfile -t still_missing < <(missing_packages)
if ((${#still_missing[@]} > 0)); then
  echo "apt-get ran but these are still missing: ${still_missing[*]}" >&2
  exit 1
fi
