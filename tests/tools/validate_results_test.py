#!/usr/bin/env python3
"""tools/validate_results.py rejects broken results files and names where they broke.

    validate_results_test.py --validator tools/validate_results.py --run RUN.json --comparison CMP.json

RUN.json is a valid single run's results.json (with `ipsec` and `crypto` blocks), CMP.json
a valid comparison file; both come from real runs (the results_schema_* ctest fixtures).
Each case below breaks one copy the way a writer could (a field missing, a wrong type, a
value outside its set, a field nobody documented) and expects the validator to report the
JSON pointer of the break; the command itself must exit 1 on a broken file and 0 on a
valid one. Prints `N passed, N failed`.
"""

import argparse
import copy
import importlib.util
import json
import os
import subprocess
import sys
import tempfile


def run_cases(run, comparison):
    """(name, document, pointer the report must name, or None for a valid document)."""

    def edit(base, change):
        doc = copy.deepcopy(base)
        change(doc)
        return doc

    first_personality = comparison["personalities"][0]
    return [
        ("the run as written is valid", run, None),
        ("the comparison as written is valid", comparison, None),
        ("missing top-level field", edit(run, lambda d: d.pop("simulated_cycles")), "/"),
        ("missing irqlab.commit", edit(run, lambda d: d["irqlab"].pop("commit")), "/irqlab"),
        ("missing scenario.resolved", edit(run, lambda d: d["scenario"].pop("resolved")), "/scenario"),
        ("count as a string", edit(run, lambda d: d["sources"][0]["latency"].__setitem__("count", "19")),
         "/sources/0/latency/count"),
        ("negative cycle count", edit(run, lambda d: d.__setitem__("simulated_cycles", -1)), "/simulated_cycles"),
        ("unknown status", edit(run, lambda d: d.__setitem__("status", "fine")), "/status"),
        ("failed without an error", edit(run, lambda d: d.__setitem__("status", "failed")), "/error"),
        ("run_id as a number", edit(run, lambda d: d.__setitem__("run_id", 7)), "/run_id"),
        ("override without '='", edit(run, lambda d: d["scenario"].__setitem__("overrides", ["seed"])),
         "/scenario/overrides/0"),
        ("undocumented field", edit(run, lambda d: d.__setitem__("wall_seconds", 1.5)), "/"),
        ("ipsec without crypto", edit(run, lambda d: d.pop("crypto")), "/"),
        ("crypto leg without T4", edit(run, lambda d: d["ipsec"]["crypto"].pop("t4_minus_t0")), "/ipsec/crypto"),
        ("nic counter missing", edit(run, lambda d: d["nic"]["counters"].pop("mpc")), "/nic/counters"),
        ("deferred level unknown", edit(run, lambda d: d["deferred"][0].__setitem__("level", "soft")),
         "/deferred/0/level"),
        ("lock holder as a name", edit(run, lambda d: d["locks"][0].__setitem__("holder", "app")),
         "/locks/0/holder"),
        ("device without size", edit(run, lambda d: d["scenario"]["rtl"]["devices"][0].pop("size")),
         "/scenario/rtl/devices/0"),
        ("unknown schema version", edit(run, lambda d: d.__setitem__("schema", "irqlab.results/2")), "/schema"),
        ("a run of a comparison broken",
         edit(comparison, lambda d: d["runs"][first_personality]["cpus"][0].pop("ticks")),
         f"/runs/{first_personality}/cpus/0"),
        ("comparison/2 without children", edit(comparison, lambda d: d.pop("children")),
         "/"),
        ("comparison/2 with a child's unknown status",
         edit(comparison, lambda d: d.update({
             "schema": "irqlab.comparison/2",
             "children": {first_personality: {"status": "lost", "exit": 0, "signal": None, "message": ""}}})),
         f"/children/{first_personality}/status"),
        ("comparison/2 with its children is valid",
         edit(comparison, lambda d: d.update({
             "schema": "irqlab.comparison/2",
             "children": {p: {"status": "ok", "exit": 0, "signal": None, "message": ""}
                          for p in d["personalities"]}})),
         None),
    ]


def load_validator_module(path):
    spec = importlib.util.spec_from_file_location("validate_results", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--validator", required=True)
    parser.add_argument("--run", required=True)
    parser.add_argument("--comparison", required=True)
    args = parser.parse_args()
    with open(args.run, encoding="utf-8") as f:
        run = json.load(f)
    with open(args.comparison, encoding="utf-8") as f:
        comparison = json.load(f)
    # The cases go through the validator's own checking function (one schema load); the
    # command line's exit status and report are checked on a valid and a broken file.
    tool = load_validator_module(args.validator)
    import jsonschema

    validator = jsonschema.Draft202012Validator(tool.load_json(tool.SCHEMA))
    passed = failed = 0

    def report(name, ok, detail):
        nonlocal passed, failed
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f": {detail}"))
        passed += ok
        failed += not ok

    for name, document, where in run_cases(run, comparison):
        found = list(tool.violations(validator, document))
        ok = not found if where is None else any(pointer == where for pointer, _ in found)
        report(name, ok, found)
    with tempfile.TemporaryDirectory() as scratch:
        broken = os.path.join(scratch, "broken.json")
        with open(broken, "w", encoding="utf-8") as f:
            json.dump(dict(run, status="fine"), f)
        p = subprocess.run([sys.executable, args.validator, args.run], capture_output=True, text=True)
        report("the command accepts a valid file", p.returncode == 0 and not p.stdout, p.stdout + p.stderr)
        p = subprocess.run([sys.executable, args.validator, args.run, broken], capture_output=True, text=True)
        report("the command rejects a broken file and names where",
               p.returncode == 1 and f"{broken}: at /status:" in p.stdout and args.run not in p.stdout,
               f"exit {p.returncode}: {p.stdout}{p.stderr}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
