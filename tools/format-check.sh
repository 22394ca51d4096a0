#!/usr/bin/env bash
# Checks that the C++ lines changed since a base commit follow .clang-format; prints the
# fix as a diff and fails if not. Only changed lines are checked: the tree as a whole is
# not reformatted (`git clang-format BASE` applies the fix to the same lines).
# Usage: tools/format-check.sh [BASE]   (default: main, or FORMAT_BASE)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || {
  echo "format-check: clang-format is missing: apt-get install clang-format" >&2
  exit 2
}
base="${1:-${FORMAT_BASE:-main}}"
# Files tools/socgen.py generates are checked for staleness instead (soc_description_current).
generated=(':!cosim/soc_map.h' ':!cosim/soc_registers.h' ':!kernel/drivers/regs/*_regs.h')
out="$(git clang-format --diff "$base" -- '*.h' '*.cpp' "${generated[@]}")"
case "$out" in
  "no modified files to format" | "clang-format did not modify any files" | "")
    echo "format-check: lines changed since $base follow .clang-format"
    ;;
  *)
    printf '%s\n' "$out"
    echo "format-check: the lines above, changed since $base, do not follow .clang-format;" \
         "run 'git clang-format $base' to fix them" >&2
    exit 1
    ;;
esac
