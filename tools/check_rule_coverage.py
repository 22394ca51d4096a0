#!/usr/bin/env python3
"""Rule coverage: every rule ID of docs/kernel-rules.md has a kernel test that ran and passed.

Runs each GoogleTest executable given with --gtest_output=xml, reads the reports and
requires, for each rule ID of the rule list, at least one test case that ran to completion
without failure or skip and whose full name (Suite.Name) carries the ID: rule "L-SI-10" is
carried by a test named like "...L_SI_10_..." (the ID must not run on into more digits, so
L_SI_10 does not carry L-SI-1). A DISABLED_ test never runs and a test inside `#if 0` is
not in the binary, so neither counts.

The rule list is a Markdown file whose rule rows begin "| <ID> |".

Usage: check_rule_coverage.py --rules docs/kernel-rules.md GTEST_BINARY...
Exits 0 when every rule is covered, 1 when some are not (naming them), 2 on bad input.
"""
import argparse
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

RULE_ROW = re.compile(r"^\|\s*([A-Z]+(?:-[A-Z]+)*-[0-9]+)\s*\|", re.MULTILINE)


def bad_input(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def read_rule_ids(rules_file):
    ids = list(dict.fromkeys(RULE_ROW.findall(Path(rules_file).read_text(encoding="utf-8"))))
    if not ids:
        bad_input(f"no rule rows ('| ID | ...') in {rules_file}")
    return ids


def passed_test_names(binary, report):
    """Runs one GoogleTest binary and returns the full names of the tests that passed."""
    run = subprocess.run([binary, f"--gtest_output=xml:{report}"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, check=False)
    if not Path(report).exists():
        print(run.stdout[-4000:], file=sys.stderr)
        bad_input(f"{binary} exited {run.returncode} without an XML report")
    names = []
    for case in ET.parse(report).getroot().iter("testcase"):
        ran = case.get("status") == "run" and case.get("result", "completed") == "completed"
        spoilt = any(child.tag in ("failure", "error", "skipped") for child in case)
        if ran and not spoilt:
            names.append(f"{case.get('classname')}.{case.get('name')}")
    return names


def carries(test_name, rule_id):
    token = rule_id.replace("-", "_")
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(token)}(?![0-9])", test_name) is not None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", required=True, help="the rule list (Markdown)")
    parser.add_argument("binaries", nargs="+", help="GoogleTest executables to run")
    args = parser.parse_args()

    rule_ids = read_rule_ids(args.rules)
    passed = []
    with tempfile.TemporaryDirectory(prefix="rule-coverage-") as scratch:
        for index, binary in enumerate(args.binaries):
            passed += passed_test_names(binary, Path(scratch) / f"report{index}.xml")

    missing = [rule for rule in rule_ids if not any(carries(name, rule) for name in passed)]
    if missing:
        print(f"{len(missing)} of {len(rule_ids)} rules have no passing test: {', '.join(missing)}")
        return 1
    print(f"all {len(rule_ids)} rules of {args.rules} have a passing test "
          f"({len(passed)} tests passed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
