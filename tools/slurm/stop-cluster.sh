#!/usr/bin/env bash
# Stops the one-node Slurm cluster tools/slurm/start-cluster.sh started in DIR: cancels its
# jobs (their steps would outlive slurmd), then ends exactly the daemons recorded in
# DIR/pids, newest first: SIGTERM, then SIGKILL after 10 s. A recorded pid is signalled
# only while its command line still names DIR, so a pid reused by another process is left
# alone. Safe to run twice and on a half-started cluster; leaves DIR's files in place.
#
#   tools/slurm/stop-cluster.sh DIR
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$(realpath -m "$1")
[ -f "$dir/pids" ] || exit 0

ours() {  # pid -> true while that process is one of this cluster's daemons
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qF -- "$dir/"
}

# Cancel the jobs while the controller still runs, and give their steps a moment to end.
if [ -f "$dir/etc/slurm.conf" ] && command -v scancel >/dev/null; then
  export SLURM_CONF=$dir/etc/slurm.conf
  if squeue --noheader --format=%i >/dev/null 2>&1; then
    scancel --quiet --user=root 2>/dev/null || true
    for _ in $(seq 50); do
      [ -z "$(squeue --noheader --format=%i 2>/dev/null)" ] && break
      sleep 0.1
    done
  fi
fi

mapfile -t entries < <(tac "$dir/pids")
for entry in "${entries[@]}"; do
  read -r name pid <<< "$entry"
  ours "$pid" || continue
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 100); do
    ours "$pid" || break
    sleep 0.1
  done
  if ours "$pid"; then
    echo "stop-cluster: $name (pid $pid) ignored SIGTERM for 10 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null
  fi
done
rm -f "$dir/pids"
