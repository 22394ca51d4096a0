#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy at the root) on C++ sources, with the compile commands of
# a configured build directory (CMake writes BUILD_DIR/compile_commands.json). Fails on
# any finding. With no file arguments it checks the .cpp files changed since a base
# commit (TIDY_BASE, default main), including uncommitted changes.
# Usage: tools/tidy.sh [FILE...]   e.g. tools/tidy.sh kernel/*/*.cpp
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-tidy >/dev/null || {
  echo "tidy: clang-tidy is missing: apt-get install clang-tidy" >&2
  exit 2
}
build="${BUILD_DIR:-build}"
if [[ ! -f "$build/compile_commands.json" ]]; then
  echo "tidy: $build/compile_commands.json missing; configure first (make configure)" >&2
  exit 2
fi
if (($# > 0)); then
  files=("$@")
else
  mapfile -t files < <(git diff --name-only --diff-filter=d "${TIDY_BASE:-main}" -- '*.cpp')
fi
if ((${#files[@]} == 0)); then
  echo "tidy: no C++ source to check"
  exit 0
fi
# Verilator's and SystemC's headers are system headers, so their findings are not shown.
# The compile commands are GCC's: clang ignores the GCC-only warning options in them.
clang-tidy -p "$build" --quiet --warnings-as-errors='*' \
  --extra-arg=-Wno-unknown-warning-option "${files[@]}" 2> >(grep -v ' warnings\( and [0-9]* errors\)\? generated\.$' >&2)
echo "tidy: ${#files[@]} files checked, no finding"
