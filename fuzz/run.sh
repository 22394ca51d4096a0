#!/usr/bin/env bash
# `make fuzz`: runs each libFuzzer target of the sanitizer build for a bounded time.
# Usage: fuzz/run.sh BUILD_DIR SECONDS
# Each fuzzer starts from its seed corpus (fuzz/corpus/<name>/, read only) and keeps what
# it adds in BUILD_DIR/fuzz/work/<name>/; a crash leaves its input in
# BUILD_DIR/fuzz/artifacts/<name>/ and fails the script once every fuzzer has run. Make
# such an input a regression test by adding it to fuzz/corpus/<name>/ (fuzz_replay_<name>
# replays it) with the fix. The log of each run is BUILD_DIR/fuzz/<name>.log.
set -euo pipefail
build=${1:?usage: fuzz/run.sh BUILD_DIR SECONDS}
seconds=${2:?usage: fuzz/run.sh BUILD_DIR SECONDS}
corpus="$(cd "$(dirname "$0")" && pwd)/corpus"
# A UBSan report in code the fuzzer links but compiles recoverable (the ESP fuzzer's fake
# machine) is a finding too.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# name and longest input: a scenario or pcap file of a few KiB, one ESP packet, 256
# register accesses of 9 bytes.
targets=(scenario:4096 pcap:4096 esp:1500 mmio:2304)
failed=()
for target in "${targets[@]}"; do
  name=${target%%:*}
  max_len=${target##*:}
  work="$build/fuzz/work/$name"
  artifacts="$build/fuzz/artifacts/$name"
  log="$build/fuzz/$name.log"
  mkdir -p "$work" "$artifacts"
  echo "fuzz: $name for ${seconds} s"
  if "$build/fuzz/${name}_fuzzer" -max_total_time="$seconds" -max_len="$max_len" -timeout=30 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" \
      "$work" "$corpus/$name" >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$log" | sed "s/^/fuzz: $name: /"
  else
    echo "fuzz: $name FAILED, input in $artifacts/; the end of $log:"
    tail -40 "$log"
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: findings in ${failed[*]}"
  exit 1
fi
