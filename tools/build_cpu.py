#!/usr/bin/env python3
"""CPU seconds per compiled object, to budget a build on a shared machine.

Wall time on a loaded machine says little; the CPU a compiler process used does not
depend on the load. Two modes:

  build_cpu.py wrap LOG COMPILER ARGS...   a compiler launcher: runs COMPILER ARGS, appends
                                           "<cpu seconds>\t<object>" to LOG, exits as it did
  build_cpu.py report LOG [TOP]            totals per target and the TOP costliest objects

As a launcher (ccache may follow it; set CCACHE_RECACHE=1 so every object is really
compiled):
  cmake -S . -B build "-DCMAKE_CXX_COMPILER_LAUNCHER=python3;$PWD/tools/build_cpu.py;wrap;$PWD/cpu.log;ccache" ...
The CPU time is the compiler's user + system time, its children included (wait4).
"""
import collections
import os
import sys


def wrap(log, argv):
    # The object file is the argument after -o; a command without one logs its first source.
    obj = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "-o"), argv[-1])
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    # One short line per write with O_APPEND: parallel compilers do not interleave.
    with open(log, "a") as out:
        out.write(f"{usage.ru_utime + usage.ru_stime:.2f}\t{os.path.abspath(obj)}\n")
    return os.waitstatus_to_exitcode(status)


def target_of(obj):
    """The CMake target an object belongs to: the <target>.dir directory holding it."""
    parts = obj.split("/")
    dirs = [p for p in parts[:-1] if p.endswith(".dir") and not p.startswith("V")]
    return dirs[-1][: -len(".dir")] if dirs else obj


def kind_of(obj):
    if "/verilator/include/" in obj:
        return "verilator runtime"
    if any(p.startswith("V") and p.endswith(".dir") for p in obj.split("/")):
        return "verilated model"
    return "project code"


def report(log, top):
    last = {}
    for line in open(log):
        cpu, obj = line.rstrip("\n").split("\t", 1)
        last[obj] = float(cpu)  # a rebuilt object counts once, its last compile
    per_target = collections.Counter()
    per_kind = collections.Counter()
    count = collections.Counter()
    for obj, cpu in last.items():
        per_target[target_of(obj)] += cpu
        per_kind[kind_of(obj)] += cpu
        count[kind_of(obj)] += 1
    total = sum(last.values())
    print(f"total: {total:.0f} CPU s over {len(last)} objects")
    for kind, cpu in per_kind.most_common():
        print(f"  {kind:18} {cpu:7.0f} CPU s  {count[kind]:4} objects")
    print("per target:")
    for target, cpu in per_target.most_common():
        print(f"  {cpu:7.1f}  {target}")
    print(f"costliest {top} objects:")
    for obj, cpu in sorted(last.items(), key=lambda item: -item[1])[:top]:
        print(f"  {cpu:7.1f}  {obj}")


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "wrap":
        sys.exit(wrap(sys.argv[2], sys.argv[3:]))
    if len(sys.argv) in (3, 4) and sys.argv[1] == "report":
        report(sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 30)
        return
    sys.exit(__doc__)


if __name__ == "__main__":
    main()
