#!/usr/bin/python3
"""The same results give the same report: two copies of a run's output directory, in
directories of different names, get byte-identical report.html and report-plots/ files.
Usage: check_deterministic.py PYTHON REPORT_SCRIPT OUTDIR
"""
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile

INPUTS = ("results.json", "samples.jsonl")


def copy_inputs(source, destination):
    """Copies the results and samples files of OUTDIR and its personality directories."""
    for directory, _, files in os.walk(source):
        relative = os.path.relpath(directory, source)
        for name in files:
            if name in INPUTS:
                os.makedirs(os.path.join(destination, relative), exist_ok=True)
                shutil.copy(os.path.join(directory, name), os.path.join(destination, relative))


def main(python, script, out_dir):
    with tempfile.TemporaryDirectory(prefix="irqlab-report-twice-") as root:
        copies = [os.path.join(root, name) for name in ("first", "second copy")]
        for copy in copies:
            copy_inputs(out_dir, copy)
            subprocess.run([python, script, copy], check=True, timeout=900)
        first, second = copies
        plots = sorted(os.listdir(os.path.join(first, "report-plots")))
        files = ["report.html"] + [os.path.join("report-plots", p) for p in plots]
        match, mismatch, errors = filecmp.cmpfiles(first, second, files, shallow=False)
        print(f"{len(match)} files identical; differ: {mismatch}; missing: {errors}")
        return 0 if not mismatch and not errors and len(plots) > 0 else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
