#!/usr/bin/env bash
# Starts a one-node Slurm cluster (munged, slurmctld, slurmd) as root without systemd, with
# everything it writes inside DIR: the munge key and socket, slurm.conf, the controller's
# state, the node's spool, the daemons' logs and pid files. Clients reach it through
# SLURM_CONF (`source DIR/env`). Stop it with tools/slurm/stop-cluster.sh DIR.
#
#   tools/slurm/start-cluster.sh DIR [TIMEOUT_SECONDS=30]
#
# Choices forced by this kind of machine (a container, root, no systemd, no delegated
# cgroup): proctrack/linuxproc and task/none (the cgroup plugins fail), no accounting
# (slurmdbd would need a database), the munge socket directory mode 0755 (munged refuses
# other modes for a root-owned directory clients must reach). Each instance takes two free
# TCP ports, so concurrent clusters (two test runs) do not meet.
# Returns when the node is idle; on a timeout or a daemon's death it prints the daemons'
# logs, stops what it started and exits 1.
set -euo pipefail

usage() { echo "usage: $0 DIR [TIMEOUT_SECONDS]" >&2; exit 2; }
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
dir=$(realpath -m "$1")
timeout=${2:-30}
here=$(dirname "$(realpath "$0")")

[ "$(id -u)" -eq 0 ] || { echo "start-cluster: must run as root (the daemons run as root here)" >&2; exit 1; }
for tool in munged mungekey slurmctld slurmd sinfo; do
  command -v "$tool" >/dev/null || {
    echo "start-cluster: $tool not found; install slurmctld slurmd slurm-client munge (tools/setup-deps.sh)" >&2
    exit 1
  }
done
if [ -e "$dir/pids" ]; then
  echo "start-cluster: $dir already holds a cluster (stop it with tools/slurm/stop-cluster.sh $dir)" >&2
  exit 1
fi

mkdir -p "$dir"/{munge,etc,state,spool,log}
chmod 0755 "$dir" "$dir/munge"
: > "$dir/pids"

# Two TCP ports nobody listens on now: random ones in 20000-59999 absent from the kernel's
# socket tables (a race with another process binding the same port in the next second is
# possible; it shows as a clear start-up failure below).
port_in_use() {
  local hex
  hex=$(printf ':%04X ' "$1")
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '{ print $2 " " }' | grep -q -- "$hex"
}
free_port() {
  local port
  while :; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    port_in_use "$port" || { echo "$port"; return; }
  done
}
ctld_port=$(free_port)
slurmd_port=$(free_port)
while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done

node=$(hostname -s)
cpus=$(nproc)
# Half the memory, so --mem requests fit and the node is never drained for asking more
# than it has.
memory_mb=$(awk '/^MemTotal:/ { print int($2 / 1024 / 2) }' /proc/meminfo)

cat > "$dir/etc/slurm.conf" <<CONF
# Written by tools/slurm/start-cluster.sh for a one-node test cluster in $dir.
ClusterName=irqlab
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket.2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/state/slurmctld.pid
SlurmdPidFile=$dir/spool/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
SwitchType=switch/none
SchedulerType=sched/backfill
# Start each array task as soon as a CPU frees: with the default batch_sched_delay (3 s) a
# node of 2 CPUs started 2 of tests/regress's sub-second cases every 3 s (76 s for 54).
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=$(( memory_mb / cpus ))
SlurmdParameters=config_overrides
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
echo "export SLURM_CONF=$dir/etc/slurm.conf" > "$dir/env"
export SLURM_CONF=$dir/etc/slurm.conf

fail() {
  echo "start-cluster: $1" >&2
  for log in "$dir"/munge/munged.log "$dir"/log/*.log "$dir"/log/*.out; do
    [ -s "$log" ] || continue
    echo "---- $log (last 40 lines) ----" >&2
    tail -n 40 "$log" >&2
  done
  bash "$here/stop-cluster.sh" "$dir" >&2 || true
  exit 1
}

# Starts a daemon in the foreground mode of its own session (so a Ctrl-C on the caller's
# terminal does not reach it), its stdout/stderr in DIR/log, and records its pid.
start_daemon() {
  local name=$1
  shift
  setsid "$@" > "$dir/log/$name.out" 2>&1 < /dev/null &
  echo "$name $!" >> "$dir/pids"
}

mungekey --create --keyfile="$dir/munge/munge.key" 2>/dev/null || fail "mungekey could not create a key"
chmod 0600 "$dir/munge/munge.key"
start_daemon munged munged --foreground --force \
  --socket="$dir/munge/munge.socket.2" --key-file="$dir/munge/munge.key" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
  --seed-file="$dir/munge/munged.seed"

started=$(date +%s.%N)
deadline=$(( $(date +%s) + timeout ))
alive_or_fail() {
  local name pid
  while read -r name pid; do
    kill -0 "$pid" 2>/dev/null || fail "$name (pid $pid) died during start-up"
  done < "$dir/pids"
  [ "$(date +%s)" -lt "$deadline" ] || fail "timed out after ${timeout} s: $1"
}
until [ -S "$dir/munge/munge.socket.2" ]; do alive_or_fail "munged's socket never appeared"; sleep 0.05; done

start_daemon slurmctld slurmctld -D -i -f "$SLURM_CONF"
start_daemon slurmd slurmd -D -N "$node" -f "$SLURM_CONF"

state=""
until [ "$state" = idle ]; do
  alive_or_fail "node $node is '${state:-not reported}', not idle"
  sleep 0.1
  state=$(sinfo --noheader --nodes="$node" --format=%t 2>/dev/null | head -n 1 | tr -d ' ') || state=""
done
elapsed=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
echo "start-cluster: node $node idle after $elapsed s (ports $ctld_port, $slurmd_port); source $dir/env"
