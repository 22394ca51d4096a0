#!/usr/bin/env python3
"""The kernel core stays plain C++: no SystemC, TLM, Verilator, spdlog or yaml-cpp.

Three checks, each of which fails on its own:
  1. text: every #include line of every file under the kernel directory names no
     forbidden header, and every quoted include resolves to a file inside that directory;
  2. preprocessor: each kernel source, preprocessed with the kernel target's include
     directories (compiler -H lists every header actually opened, transitively), opens
     no forbidden header;
  3. link: the kernel target's link libraries name none of those libraries, nor the
     project's simulation libraries.

Usage: check_kernel_isolation.py --kernel-dir DIR --compiler CXX
           [--include-dirs 'a|b'] [--link-libraries 'x|y']
"""
import argparse
import concurrent.futures
import re
import subprocess
import sys
from pathlib import Path

# A header path (as written, or as opened) with one of these components is forbidden.
FORBIDDEN_HEADER = re.compile(
    r"(^|/)(systemc(\.h)?|sysc|tlm(\.h)?|tlm_core|tlm_utils|verilator|verilated[^/]*|vltstd"
    r"|svdpi\.h|spdlog|yaml-cpp|yaml\.h)($|/)")
FORBIDDEN_LIBRARY = re.compile(
    r"systemc|tlm|verilat|spdlog|yaml|irqlab_(models|cosim|soc)", re.IGNORECASE)
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.MULTILINE)
SOURCE_SUFFIXES = {".h", ".hpp", ".cpp", ".cc", ".inc"}


def text_problems(kernel_dir):
    problems = []
    for path in sorted(kernel_dir.rglob("*")):
        if path.suffix not in SOURCE_SUFFIXES:
            continue
        for delimiter, header in INCLUDE.findall(path.read_text(encoding="utf-8")):
            where = path.relative_to(kernel_dir.parent)
            if FORBIDDEN_HEADER.search(header):
                problems.append(f"{where}: includes {header}")
            elif delimiter == '"':
                candidates = (path.parent / header, kernel_dir / header)
                inside = [c.resolve() for c in candidates if c.is_file()]
                if not any(kernel_dir.resolve() in c.parents for c in inside):
                    problems.append(f"{where}: \"{header}\" is not a file of {kernel_dir.name}/")
    return problems


def opened_headers(compiler, include_dirs, source):
    command = [compiler, "-std=c++20", "-E", "-H", "-o", "/dev/null"]
    command += [f"-I{d}" for d in include_dirs] + [str(source)]
    run = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         check=False)
    if run.returncode != 0:
        return None, run.stderr
    # -H prints one line per opened header: dots for the depth, a space, the path.
    return [line.split(" ", 1)[1] for line in run.stderr.splitlines()
            if line.startswith(".") and " " in line], ""


def preprocessor_problems(kernel_dir, compiler, include_dirs):
    sources = sorted(p for p in kernel_dir.rglob("*.cpp"))
    problems = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda s: opened_headers(compiler, include_dirs, s), sources)
        for source, (headers, error) in zip(sources, results):
            where = source.relative_to(kernel_dir.parent)
            if headers is None:
                problems.append(f"{where}: does not preprocess on its own:\n{error}")
                continue
            for header in headers:
                if FORBIDDEN_HEADER.search(str(Path(header).resolve())):
                    problems.append(f"{where}: opens {header}")
                    break
    return problems, len(sources)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernel-dir", required=True, type=Path)
    parser.add_argument("--compiler", required=True)
    parser.add_argument("--include-dirs", default="", help="'|'-separated")
    parser.add_argument("--link-libraries", default="", help="'|'-separated")
    args = parser.parse_args()

    include_dirs = [d for d in args.include_dirs.split("|") if d] or [str(args.kernel_dir)]
    problems = text_problems(args.kernel_dir)
    compiled, source_count = preprocessor_problems(args.kernel_dir, args.compiler, include_dirs)
    problems += compiled
    problems += [f"the kernel target links {lib}"
                 for lib in args.link_libraries.split("|") if lib and FORBIDDEN_LIBRARY.search(lib)]
    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} kernel isolation problems")
        return 1
    print(f"kernel isolation: {source_count} sources preprocessed, no forbidden header or library")
    return 0


if __name__ == "__main__":
    sys.exit(main())
