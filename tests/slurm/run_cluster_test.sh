#!/usr/bin/env bash
# ctest slurm_cluster: starts a one-node Slurm cluster in a fresh temporary directory, runs
# the Slurm launcher's cluster tests and `irqlab regress --slurm` against it, and stops it
# whatever happens.
#
#   run_cluster_test.sh SOURCE_DIR LAUNCHER_TEST IRQLAB SCRATCH
#
# Skips (exit 77) when the Slurm packages are absent or we are not root, unless CI=true:
# there the test must run, so a missing package is a failure.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 SOURCE_DIR LAUNCHER_TEST IRQLAB SCRATCH" >&2; exit 2; }
source_dir=$1 launcher_test=$2 irqlab=$3 scratch=$4

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

# irqlab regress itself: the default scenario's four cases through one array give
# results.json byte-identical to a local regression, and a bad partition is a failed
# regression that says why.
scenario=$source_dir/scenarios/default.yaml
rm -rf "$scratch/regress-local" "$scratch/regress-slurm" "$scratch/regress-nopart"
"$irqlab" regress "$scenario" -j 2 --out "$scratch/regress-local" > /dev/null
"$irqlab" regress "$scenario" --slurm --out "$scratch/regress-slurm"
cases=0
while IFS= read -r -d '' results; do
  case_dir=${results#"$scratch/regress-local/"}
  cmp "$results" "$scratch/regress-slurm/$case_dir" || { echo "FAIL: $case_dir differs" >&2; exit 1; }
  cases=$((cases + 1))
done < <(find "$scratch/regress-local/cases" -name results.json -print0)
[ "$cases" -eq 4 ] || { echo "FAIL: $cases cases in the local regression, not 4" >&2; exit 1; }
echo "irqlab regress --slurm: $cases cases, results.json identical to the local run"

if "$irqlab" regress "$scenario" --slurm --partition no-such-partition \
     --out "$scratch/regress-nopart" > "$scratch/regress-nopart.txt" 2>&1; then
  echo "FAIL: a regression submitted to a nonexistent partition passed" >&2
  exit 1
fi
grep -q "invalid partition" "$scratch/regress-nopart.txt" ||
  { echo "FAIL: sbatch's message missing:" >&2; cat "$scratch/regress-nopart.txt" >&2; exit 1; }
echo "irqlab regress --slurm --partition no-such-partition: failed with sbatch's message"
