#!/usr/bin/env python3
"""Builds one RTL configuration of the SoC for `irqlab tune` (docs/tune.md, "RTL parameters").

  rtl_variant.py --params JSON --dir DIR --main-build BUILD [--jobs N] [--no-model]
                 [--test-model]

PARAMS maps tunable RTL parameters (rtl/soc/soc.yaml's `tunable:` section, without the
`rtl.` prefix) to values, e.g. {"nic.RxFifoBytes": 4096} or {"nic.source_id": 12} (the
PLIC source the NIC's interrupt line drives). Into DIR it writes:

  soc.yaml       the description with those values
  gen/           tools/socgen.py's output for it (SoC top, cosim/soc_map.h, ...)
  build/         unless --no-model: a build tree of this repository configured with
                 IRQLAB_RTL_VARIANT_OF=BUILD (cmake/IrqlabRtlVariant.cmake), whose
                 build/cosim... irqlab is the variant's binary, at build/irqlab
  area.log       Yosys's log
  build.log      the configure and build output
  variant.json   last, atomically: params, binary (null with --no-model), test_model,
                 area, depth, build_seconds, yosys_seconds

--test-model builds the model as a test model (irqlab tune passes it when
$IRQLAB_RTL_TEST_MODEL=1, which only the tune tests set): the Verilated model, its seam and
the entry point compiled at -O1 instead of the main build's level, as the RTL test models
are (cmake/IrqlabVerilate.cmake); the simulation is slower, the build about a third cheaper.

Area and depth come from Yosys on the blocks the parameters change: the generated SoC top
with the PLIC, the NIC and the bus adapter read for synthesis and the other devices as
black boxes, flattened, after Yosys's coarse synthesis (`synth -flatten -run :fine`: word-
level cells, memories kept whole). area = {cells, flop_bits, memory_bits}; depth = the
longest topological path without flip-flops (`ltp -noff`), in cells.

Exit status 0, or 1 with the failing step's log named on stderr.
"""
import argparse
import copy
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DESCRIPTION = ROOT / "rtl/soc/soc.yaml"
# Devices synthesised for area and depth (the ones the tunable parameters live in).
SYNTHESISED = ("plic", "nic")


class VariantError(Exception):
    pass


def varied_description(params):
    """The description with `params` applied (checked against its `tunable:` ranges)."""
    with open(DESCRIPTION, encoding="utf-8") as f:
        soc = yaml.safe_load(f)
    tunable = soc.get("tunable", {})
    out = copy.deepcopy(soc)
    for key, value in params.items():
        if key not in tunable:
            raise VariantError(f"{key}: not a tunable RTL parameter of {DESCRIPTION}")
        limits = tunable[key]
        if not limits["min"] <= value <= limits["max"]:
            raise VariantError(f"{key}: {value} outside {limits['min']}..{limits['max']}")
        device, name = key.split(".", 1)
        if key == "plic.priority_bits":
            out["plic"]["priority_bits"] = value
            plic = next(d for d in out["devices"] if d["name"] == out["plic"]["device"])
            for reg in plic["registers"]:
                if reg["name"] in ("PRIO", "THRESHOLD"):
                    reg["fields"][0]["bits"] = f"{value - 1}:0"
        elif name == "source_id":
            # The device's one interrupt line moves; socgen refuses an ID already taken.
            entry = next(d for d in out["devices"] if d["name"] == device)
            entry["interrupts"][0]["first_source"] = value
        else:
            entry = next(d for d in out["devices"] if d["name"] == device)
            entry["parameters"][name] = value
    return out


def run(command, log, cwd=None):
    with open(log, "a", encoding="utf-8") as f:
        f.write("$ " + " ".join(str(c) for c in command) + "\n")
        f.flush()
        if subprocess.run(command, stdout=f, stderr=subprocess.STDOUT, cwd=cwd).returncode != 0:
            raise VariantError(f"{command[0]} failed (log: {log})")


def main_cache(build):
    cache = {}
    for line in (Path(build) / "CMakeCache.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"([A-Za-z_0-9]+):[A-Z]+=(.*)", line)
        if m:
            cache[m.group(1)] = m.group(2)
    return cache


def build_model(directory, gen, main_build, jobs, test_model):
    cache = main_cache(main_build)
    log = directory / "build.log"
    build_type = cache.get("CMAKE_BUILD_TYPE", "Release")
    command = ["cmake", "-S", ROOT, "-B", directory / "build",
               f"-DIRQLAB_RTL_VARIANT_OF={Path(main_build).resolve()}",
               f"-DIRQLAB_RTL_VARIANT_GEN={gen}",
               f"-DCMAKE_BUILD_TYPE={build_type}",
               f"-DCMAKE_CXX_COMPILER={cache['CMAKE_CXX_COMPILER']}",
               f"-DCMAKE_C_COMPILER={cache['CMAKE_C_COMPILER']}",
               f"-DIRQLAB_RTL_VARIANT_TEST_MODEL={'ON' if test_model else 'OFF'}"]
    # The main build's launchers and, for the sanitizer build, its sanitizers and flags:
    # the variant's own objects are compiled and linked as the archives they join were.
    for key in ("CMAKE_CXX_COMPILER_LAUNCHER", "CMAKE_C_COMPILER_LAUNCHER", "IRQLAB_SANITIZE",
                "IRQLAB_SANITIZE_VERILATED", f"CMAKE_CXX_FLAGS_{build_type.upper()}",
                f"CMAKE_C_FLAGS_{build_type.upper()}"):
        if cache.get(key):
            command.append(f"-D{key}={cache[key]}")
    run(command, log)
    run(["cmake", "--build", directory / "build", "-j", str(jobs), "--target", "irqlab"], log)
    return directory / "build/irqlab"


def device_files(soc, names):
    files = []
    for d in soc["devices"]:
        if d["name"] in names:
            files += [f for f in d["rtl"] if f not in files]
    return files


def area_and_depth(soc, gen, directory):
    synthesised = soc["soc"]["bus"]["rtl"] + device_files(soc, SYNTHESISED)
    boxed = [f for f in device_files(soc, [d["name"] for d in soc["devices"]]) if f not in synthesised]
    netlist = directory / "area_netlist.json"
    ltp = directory / "area_ltp.txt"
    script = "; ".join([
        "read_verilog -sv -DSYNTHESIS " + " ".join(str(ROOT / f) for f in synthesised),
        "read_verilog -sv -DSYNTHESIS -lib " + " ".join(str(ROOT / f) for f in boxed),
        f"read_verilog -sv -DSYNTHESIS {gen / 'rtl/soc' / (soc['soc']['module'] + '.sv')}",
        f"synth -flatten -top {soc['soc']['module']} -run :fine",
        f"write_json {netlist}",
        f"tee -q -o {ltp} ltp -noff",
    ])
    run(["yosys", "-q", "-p", script], directory / "area.log")
    cells = json.loads(netlist.read_text(encoding="utf-8"))["modules"][soc["soc"]["module"]]["cells"]
    area = {"cells": 0, "flop_bits": 0, "memory_bits": 0}
    for cell in cells.values():
        if cell["type"].startswith("$") is False:
            continue  # a black-boxed device
        area["cells"] += 1
        p = cell["parameters"]
        if cell["type"].startswith("$mem"):
            area["memory_bits"] += int(p["SIZE"], 2) * int(p["WIDTH"], 2)
        elif "dff" in cell["type"] or cell["type"] in ("$ff", "$dlatch", "$adlatch"):
            area["flop_bits"] += int(p["WIDTH"], 2)
    m = re.search(r"length=(\d+)", ltp.read_text(encoding="utf-8"))
    if not m:
        raise VariantError(f"no path length in {ltp}")
    netlist.unlink()
    return area, int(m.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params", required=True, help="JSON object: parameter -> value")
    parser.add_argument("--dir", required=True, help="the configuration's cache directory")
    parser.add_argument("--main-build", required=True, help="the build directory of irqlab")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-model", action="store_true", help="area and depth only")
    parser.add_argument("--test-model", action="store_true",
                        help="compile the model at -O1 (tests, whose speed nothing measures)")
    args = parser.parse_args()
    directory = Path(args.dir).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    try:
        params = json.loads(args.params)
        soc = varied_description(params)
        (directory / "soc.yaml").write_text(yaml.safe_dump(soc, sort_keys=False), encoding="utf-8")
        gen = directory / "gen"
        run([sys.executable, ROOT / "tools/socgen.py", "--description", directory / "soc.yaml",
             "--out", gen], directory / "build.log")
        started = time.monotonic()
        binary = None if args.no_model else build_model(directory, gen, args.main_build, args.jobs,
                                                        args.test_model)
        built = time.monotonic()
        area, depth = area_and_depth(soc, gen, directory)
        done = time.monotonic()
    except (VariantError, OSError, ValueError, KeyError) as e:
        print(f"rtl_variant: {e}", file=sys.stderr)
        return 1
    result = {"params": params, "binary": str(binary) if binary else None,
              "test_model": args.test_model and binary is not None, "area": area,
              "depth": depth, "build_seconds": round(built - started, 1),
              "yosys_seconds": round(done - built, 1)}
    partial = directory / "variant.json.partial"
    partial.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, directory / "variant.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
