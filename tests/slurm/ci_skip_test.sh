#!/usr/bin/env bash
# ctest slurm_cluster_skip_fails_in_ci: run_cluster_test.sh without the Slurm tools (a PATH
# holding only `id`) skips with 77 on a developer's machine and fails (1) under CI=true,
# where the cluster test must run.
#
#   ci_skip_test.sh CLUSTER_TEST_SCRIPT
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 CLUSTER_TEST_SCRIPT" >&2; exit 2; }
script=$1
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
ln -s "$(command -v id)" "$bin/id"
bash=$(command -v bash)

outcome() {  # CI_VALUE: run_cluster_test.sh's exit status and first line with CI set so
  local code=0 said
  said=$(env -i PATH="$bin" CI="$1" "$bash" "$script" /src /launcher_test /irqlab /scratch /local_regress 2>&1) ||
    code=$?
  echo "$code ${said%%$'\n'*}"
}
skip=$(outcome false)
[[ $skip == "77 SKIP: munged slurmctld slurmd sbatch not installed"* ]] ||
  { echo "FAIL: without CI=true a missing cluster is not a skip (77): $skip" >&2; exit 1; }
fail=$(outcome true)
[[ $fail == "1 FAIL: the Slurm test must run in CI: munged"* ]] ||
  { echo "FAIL: under CI=true a missing cluster is not a failure (1): $fail" >&2; exit 1; }
echo "a cluster that cannot run: skip (77) outside CI, failure (1) under CI=true"
