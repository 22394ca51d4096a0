#!/usr/bin/env bash
# ctest slurm_cluster: starts a one-node Slurm cluster in a fresh temporary directory, runs
# the Slurm launcher's cluster tests against it, and stops it whatever happens.
#
#   run_cluster_test.sh SOURCE_DIR LAUNCHER_TEST IRQLAB SCRATCH
#
# Skips (exit 77) when the Slurm packages are absent or we are not root, unless CI=true:
# there the test must run, so a missing package is a failure.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 SOURCE_DIR LAUNCHER_TEST IRQLAB SCRATCH" >&2; exit 2; }
source_dir=$1 launcher_test=$2 scratch=$4

missing=()
for tool in munged slurmctld slurmd sbatch; do command -v "$tool" >/dev/null || missing+=("$tool"); done
why=""
[ ${#missing[@]} -eq 0 ] || why="${missing[*]} not installed (tools/setup-deps.sh installs them)"
[ "$(id -u)" -eq 0 ] || why="${why:+$why; }the cluster's daemons run as root here"
if [ -n "$why" ]; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL: the Slurm test must run in CI: $why" >&2
    exit 1
  fi
  echo "SKIP: $why"
  exit 77
fi

# Under /tmp, not the build tree: munged's socket path must fit a Unix socket's 107 bytes.
cluster=$(mktemp -d "${TMPDIR:-/tmp}/irqlab-slurm.XXXXXX")
trap 'bash "$source_dir/tools/slurm/stop-cluster.sh" "$cluster"; rm -rf "$cluster"' EXIT
bash "$source_dir/tools/slurm/start-cluster.sh" "$cluster"
# shellcheck source=/dev/null
source "$cluster/env"
mkdir -p "$scratch"
"$launcher_test" --gtest_filter='SlurmCluster.*'
