#!/usr/bin/python3
"""Entry point of `irqlab report OUTDIR` (see irqlab_report/__init__.py). Run it with
Debian's interpreter (CMake's IRQLAB_PYTHON), which sees python3-matplotlib."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree

from irqlab_report.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv))
