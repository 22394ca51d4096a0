#!/usr/bin/env bash
# ctest slurm_cluster: starts a one-node Slurm cluster in a fresh temporary directory, runs
# the Slurm launcher's cluster tests and `irqlab regress tests/regress --slurm` against it,
# and stops it whatever happens.
#
#   run_cluster_test.sh SOURCE_DIR LAUNCHER_TEST IRQLAB SCRATCH LOCAL_REGRESS
#
# LOCAL_REGRESS: the output of the same matrix run locally, the `regress_matrix` ctest's
# (`irqlab regress tests/regress -j 2`; a fixture of this test, so it ran first and passed):
# the Slurm run is compared with it rather than with a second local run of its 54 cases.
# Skips (exit 77) when the Slurm packages are absent, we are not root or the cluster could
# not start, unless CI=true: there the test must run, so each of those is a failure.
set -euo pipefail
[ $# -eq 5 ] || { echo "usage: $0 SOURCE_DIR LAUNCHER_TEST IRQLAB SCRATCH LOCAL_REGRESS" >&2; exit 2; }
source_dir=$1 launcher_test=$2 irqlab=$3 scratch=$4 local_regress=$5

skip_or_fail() {  # WHY
  if [ "${CI:-}" = true ]; then
    echo "FAIL: the Slurm test must run in CI: $1" >&2
    exit 1
  fi
  echo "SKIP: $1"
  exit 77
}

missing=()
for tool in munged slurmctld slurmd sbatch; do command -v "$tool" >/dev/null || missing+=("$tool"); done
why=""
[ ${#missing[@]} -eq 0 ] || why="${missing[*]} not installed (tools/setup-deps.sh installs them)"
[ "$(id -u)" -eq 0 ] || why="${why:+$why; }the cluster's daemons run as root here"
[ -z "$why" ] || skip_or_fail "$why"

# Under /tmp, not the build tree: munged's socket path must fit a Unix socket's 107 bytes.
cluster=$(mktemp -d "${TMPDIR:-/tmp}/irqlab-slurm.XXXXXX")
trap 'bash "$source_dir/tools/slurm/stop-cluster.sh" "$cluster"; rm -rf "$cluster"' EXIT
bash "$source_dir/tools/slurm/start-cluster.sh" "$cluster" ||
  skip_or_fail "the one-node cluster could not start (start-cluster.sh's messages above)"
# shellcheck source=/dev/null
source "$cluster/env"
mkdir -p "$scratch"
"$launcher_test" --gtest_filter='SlurmCluster.*'

# irqlab regress itself, as CI runs it: tests/regress (every case of the matrix) through one
# Slurm array; every case passes, and the cases and each case's results.json are those of
# the local run (`regress_matrix`'s, the same command at -j 2), byte for byte.
matrix=$source_dir/tests/regress
[ -d "$local_regress/cases" ] ||
  { echo "FAIL: no local regression in $local_regress (the regress_matrix ctest makes it)" >&2; exit 1; }
rm -rf "$scratch/regress-slurm" "$scratch/regress-nopart"
started=$(date +%s.%N)
"$irqlab" regress "$matrix" --slurm --out "$scratch/regress-slurm" > /dev/null
ended=$(date +%s.%N)
list_cases() { (cd "$1/cases" && find . -name results.json | LC_ALL=C sort); }
[ "$(list_cases "$local_regress")" = "$(list_cases "$scratch/regress-slurm")" ] ||
  { echo "FAIL: the local and Slurm regressions ran different cases" >&2; exit 1; }
cases=0
while IFS= read -r results; do
  cmp "$local_regress/cases/$results" "$scratch/regress-slurm/cases/$results" ||
    { echo "FAIL: $results differs" >&2; exit 1; }
  cases=$((cases + 1))
done < <(list_cases "$local_regress")
[ "$cases" -gt 0 ] || { echo "FAIL: no case ran" >&2; exit 1; }
printf 'irqlab regress tests/regress --slurm: %d cases in %.1f s, results.json identical to the local run\n' \
  "$cases" "$(awk "BEGIN { print $ended - $started }")"

scenario=$source_dir/scenarios/default.yaml
if "$irqlab" regress "$scenario" --slurm --partition no-such-partition \
     --out "$scratch/regress-nopart" > "$scratch/regress-nopart.txt" 2>&1; then
  echo "FAIL: a regression submitted to a nonexistent partition passed" >&2
  exit 1
fi
grep -q "invalid partition" "$scratch/regress-nopart.txt" ||
  { echo "FAIL: sbatch's message missing:" >&2; cat "$scratch/regress-nopart.txt" >&2; exit 1; }
echo "irqlab regress --slurm --partition no-such-partition: failed with sbatch's message"
