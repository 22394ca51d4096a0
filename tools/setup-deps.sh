#!/usr/bin/env bash
# Installs the Debian bookworm packages irqlab builds and runs with, skipping those
# already present. Called by `make`; safe to run again.
set -euo pipefail

packages=(
  build-essential cmake make pkg-config python3
  verilator libsystemc-dev yosys gtkwave
  libgtest-dev libspdlog-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  libpcap-dev zlib1g-dev tshark libssl-dev
  python3 python3-yaml
  # reports and checks: plots, JSON Schema, a headless browser, a display for GTKWave
  python3-matplotlib python3-jsonschema chromium xvfb xauth
  # the sanitizer build and the fuzzers (clang's runtime is not a hard dependency of clang)
  clang libclang-rt-14-dev
  # a one-node Slurm cluster for the Slurm launcher's test (tools/slurm/)
  slurmctld slurmd slurm-client munge
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "irqlab: installing missing packages: ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
# Non-interactive (through sudo too, which drops the environment): tshark's question (may
# non-root users capture?) takes its default, no.
apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
# The Slurm and munge packages start their services when installed; irqlab's tests start
# their own (tools/slurm/), so where no policy says otherwise apt starts none this time.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  trap '"${sudo[@]}" rm -f "$policy"' EXIT
fi
"${sudo[@]}" "${apt[@]}" update -qq
"${sudo[@]}" "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}"
