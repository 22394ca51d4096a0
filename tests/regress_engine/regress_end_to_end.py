#!/usr/bin/env python3
"""`irqlab regress` end to end on the fixtures beside this file.

scenarios/: idle.yaml (default matrix: linux, bsd43), busy.yaml (regress: block: freebsd and
the variant linux-seed2), broken.yaml (netbsd; its kernel panics), deadline.yaml (linux; an
expectation that fails, measured 58 against <= 50). The expected case ids and
verdicts below follow from those files and the contract (docs/regress.md), not from a run.
long/: long.yaml (linux, netbsd) runs until stopped: one case is killed with SIGKILL and
the regression is interrupted with SIGINT during the other.

Checks: exit statuses; per-case results.json byte-identical across -j 1, -j 4 and shards
1/3..3/3; the shards partition the sorted matrix by index modulo 3; the JUnit report read
back by xml.etree and checked against the JUnit schema's elements and attributes;
--rerun-failed; a killed case and an interrupted regression reported failed with their
logs; bad input (exit 2).
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

EXPECTED = {  # case id -> passes?
    "broken/netbsd": False,
    "deadline/linux": False,
    "busy/freebsd": True,
    "busy/linux-seed2": True,
    "idle/bsd43": True,
    "idle/linux": True,
}

# The JUnit XML schema CI systems read (Ant's junit task, as Jenkins' junit-10.xsd
# describes it): the elements each element may hold, its attributes, the required ones.
JUNIT_SHAPE = {
    "testsuites": ({"testsuite"}, {"name", "time", "tests", "failures", "disabled", "errors"}, set()),
    "testsuite": ({"properties", "testcase", "system-out", "system-err"},
                  {"name", "tests", "failures", "errors", "time", "disabled", "skipped",
                   "timestamp", "hostname", "id", "package", "file", "log", "url", "version"},
                  {"name", "tests"}),
    "testcase": ({"skipped", "error", "failure", "system-out", "system-err"},
                 {"name", "assertions", "time", "classname", "status", "file", "line"},
                 {"name"}),
    "failure": (set(), {"message", "type"}, set()),
    "error": (set(), {"message", "type"}, set()),
}

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def regress(irqlab, args, **kw):
    return subprocess.run([irqlab, "regress"] + args, capture_output=True, text=True, **kw)


def case_results(out):
    """case id -> bytes of its results.json"""
    found = {}
    cases = os.path.join(out, "cases")
    for stem in sorted(os.listdir(cases)):
        for variant in sorted(os.listdir(os.path.join(cases, stem))):
            path = os.path.join(cases, stem, variant, "results.json")
            if os.path.exists(path):
                with open(path, "rb") as f:
                    found[stem + "/" + variant] = f.read()
    return found


def summary(out):
    with open(os.path.join(out, "regress.json")) as f:
        return json.load(f)


def check_junit_shape(element, path="document"):
    children, attributes, required = JUNIT_SHAPE[element.tag]
    where = path + "/" + element.tag
    check(set(element.attrib) <= attributes,
          f"{where}: attributes {sorted(set(element.attrib) - attributes)} not in the schema")
    check(required <= set(element.attrib), f"{where}: lacks {sorted(required - set(element.attrib))}")
    for name in ("tests", "failures", "errors", "skipped"):
        if name in element.attrib:
            check(element.attrib[name].isdigit(), f"{where}: {name} is not a count")
    if "time" in element.attrib:
        float(element.attrib["time"])
    for child in element:
        check(child.tag in children, f"{where}: <{child.tag}> is not allowed here")
        if child.tag in JUNIT_SHAPE:
            check_junit_shape(child, where)


def check_junit(path, expected):
    """`expected`: case id -> passes?"""
    root = ET.parse(path).getroot()  # the independent parser: fails on malformed XML
    check(root.tag == "testsuites", f"{path}: root is <{root.tag}>")
    check_junit_shape(root)
    suites = root.findall("testsuite")
    check(len(suites) == 1 and suites[0].get("name") == "irqlab", f"{path}: one testsuite irqlab")
    suite = suites[0]
    cases = suite.findall("testcase")
    seen = {}
    for case in cases:
        case_id = case.get("classname") + "/" + case.get("name")
        seen[case_id] = not list(case)
        if case_id in expected and not expected[case_id]:
            failure = case.find("failure")
            check(failure is not None and failure.get("message"), f"{path}: {case_id} has no failure message")
            if case_id == "deadline/linux":  # measured against expected, in the message and the text
                measured = "sources.dev.latency.max: expected <= 50, measured 58"
                check(measured in failure.get("message") and measured in failure.text,
                      f"{path}: {case_id}: {failure.get('message')!r}")
    check(seen == expected, f"{path}: testcases {seen} != {expected}")
    n_failed = sum(1 for c in cases if c.find("failure") is not None)
    n_error = sum(1 for c in cases if c.find("error") is not None)
    for element in (root, suite):
        check(element.get("tests") == str(len(cases)), f"{path}: tests= {element.get('tests')}")
        check(element.get("failures") == str(n_failed), f"{path}: failures= {element.get('failures')}")
        check(element.get("errors") == str(n_error), f"{path}: errors= {element.get('errors')}")
    return suite


def pids_running(case_id):
    """Pids of irqlab runs whose command line has `--run-id case_id`."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        for i in range(len(argv) - 1):
            if argv[i] == b"--run-id" and argv[i + 1] == case_id.encode():
                pids.append(int(entry))
    return pids


def wait_for_case(case_id, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pids = pids_running(case_id)
        if pids:
            return pids
        time.sleep(0.05)
    return []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--irqlab", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--scratch", required=True)
    a = parser.parse_args()
    shutil.rmtree(a.scratch, ignore_errors=True)
    os.makedirs(a.scratch)
    scenarios = os.path.join(a.fixtures, "scenarios")
    out = lambda name: os.path.join(a.scratch, name)
    started = time.monotonic()

    # -j 1 and -j 4: one case fails, so the regression exits 1.
    runs = {}
    for name, jobs in (("j1", "1"), ("j4", "4")):
        r = regress(a.irqlab, [scenarios, "-j", jobs, "--out", out(name)])
        check(r.returncode == 1, f"-j {jobs}: exit {r.returncode}\n{r.stderr}")
        runs[name] = case_results(out(name))
        s = summary(out(name))
        verdicts = {c["id"]: c["status"] == "passed" for c in s["cases"]}
        check(verdicts == EXPECTED, f"-j {jobs}: verdicts {verdicts}")
        check([c["id"] for c in s["cases"]] == sorted(EXPECTED), f"-j {jobs}: cases not sorted by id")
        broken = next(c for c in s["cases"] if c["id"] == "broken/netbsd")
        check("kernel panic" in broken["reason"] and broken["exit"] == 1,
              f"broken/netbsd: reason {broken['reason']!r}, exit {broken['exit']}")
        check("recursion on non-recursive mutex" in broken["details"], "broken/netbsd: no log tail")
        deadline = next(c for c in s["cases"] if c["id"] == "deadline/linux")
        measured = "sources.dev.latency.max: expected <= 50, measured 58"
        check(deadline["reason"].startswith("failed: 1 of 2 expectations failed: ")
              and measured in deadline["reason"], f"deadline/linux: reason {deadline['reason']!r}")
        check(deadline["details"].startswith(os.path.join(scenarios, "deadline.yaml") + ":18: " + measured + "\n"),
              f"deadline/linux: details {deadline['details']!r}")
        check_junit(os.path.join(out(name), "junit.xml"), EXPECTED)
        check("6 cases: 4 passed, 2 failed" in r.stdout, f"-j {jobs}: table\n{r.stdout}")

    # Three shards: each holds the cases of sorted index ≡ i-1 (mod 3), and together all.
    ordered = sorted(EXPECTED)
    union = {}
    for i in (1, 2, 3):
        name = f"shard{i}"
        mine = [c for k, c in enumerate(ordered) if k % 3 == i - 1]
        junit = os.path.join(out(name), "report", "junit.xml")
        r = regress(a.irqlab, [scenarios, "-j", "2", "--shard", f"{i}/3", "--out", out(name),
                               "--junit", junit])
        expected_exit = 0 if all(EXPECTED[c] for c in mine) else 1
        check(r.returncode == expected_exit, f"shard {i}/3: exit {r.returncode}\n{r.stderr}")
        results = case_results(out(name))
        check(sorted(results) == mine, f"shard {i}/3 ran {sorted(results)}, expected {mine}")
        check(summary(out(name))["shard"] == f"{i}/3", f"shard {i}/3: regress.json shard")
        check_junit(junit, {c: EXPECTED[c] for c in mine})
        check(not set(results) & set(union), f"shard {i}/3 overlaps another")
        union.update(results)
    check(sorted(union) == ordered, f"shards cover {sorted(union)}")

    # Byte-identical per-case results.json whatever -j or shard ran the case.
    check(sorted(runs["j1"]) == ordered, f"-j 1 results: {sorted(runs['j1'])}")
    for case in ordered:
        same = runs["j1"].get(case) == runs["j4"].get(case) == union.get(case)
        check(same, f"{case}: results.json differs between -j 1, -j 4 and its shard")
        doc = json.loads(runs["j1"][case])
        check(doc["run_id"] == case, f"{case}: run_id {doc['run_id']}")
        check("wall" not in runs["j1"][case].decode(), f"{case}: a wall time in results.json")

    # --rerun-failed runs only the failed cases, and its summary lists only them.
    r = regress(a.irqlab, [scenarios, "--rerun-failed", "--out", out("j1")])
    check(r.returncode == 1, f"--rerun-failed: exit {r.returncode}\n{r.stderr}")
    rerun = [c["id"] for c in summary(out("j1"))["cases"]]
    check(rerun == [c for c in ordered if not EXPECTED[c]], f"--rerun-failed ran {rerun}")
    check(summary(out("j1"))["rerun_failed"] is True, "--rerun-failed not recorded")

    # A dead case and an interrupted regression: never a silent pass.
    long_dir = os.path.join(a.fixtures, "long")
    process = subprocess.Popen([a.irqlab, "regress", long_dir, "-j", "1", "--out", out("long")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = wait_for_case("long/linux")
    check(first, "long/linux never started")
    for pid in first:
        os.kill(pid, signal.SIGKILL)
    second = wait_for_case("long/netbsd")
    check(second, "long/netbsd never started")
    time.sleep(0.5)  # let it start simulating; an interrupt is served between two pieces
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    check(process.returncode == 128 + signal.SIGINT, f"interrupted regression: exit {process.returncode}\n{stderr}")
    check(not pids_running("long/netbsd"), "long/netbsd survived the regression")
    s = summary(out("long"))
    check(s["status"] == "interrupted", f"long: status {s['status']}")
    cases = {c["id"]: c for c in s["cases"]}
    killed = cases["long/linux"]
    check(killed["status"] == "failed" and killed["reason"] == "killed by SIGKILL" and killed["signal"] == 9,
          f"long/linux: {killed}")
    check(os.path.join(out("long"), "cases", "long", "linux", "run.log") in killed["details"],
          f"long/linux: its log is not in the details: {killed['details']!r}")
    interrupted = cases["long/netbsd"]
    check(interrupted["status"] == "failed" and interrupted["reason"].startswith("interrupted: ")
          and interrupted["exit"] == 130, f"long/netbsd: {interrupted}")
    check_junit(os.path.join(out("long"), "junit.xml"), {"long/linux": False, "long/netbsd": False})

    # Bad input: exit 2, with the reason on stderr.
    bad = [
        ([os.path.join(a.scratch, "no-such-dir")], "no-such-dir: no such file or directory"),
        ([scenarios, "--shard", "0/3"], "--shard takes i/n"),
        ([scenarios, "--shard", "4/3"], "--shard takes i/n"),
        ([scenarios, "--shard", "x"], "--shard takes i/n"),
        ([scenarios, "-j", "0"], "-j takes a whole number of at least 1"),
        ([scenarios, "--launcher", "lsf"], "unknown launcher 'lsf'"),
        ([scenarios, "--rerun-failed", "--out", out("never")], "regress.json does not exist"),
    ]
    not_a_scenario = os.path.join(a.scratch, "bad_dir", "notes.yaml")
    os.makedirs(os.path.dirname(not_a_scenario))
    with open(not_a_scenario, "w") as f:
        f.write("title: not a scenario\n")
    bad.append(([os.path.dirname(not_a_scenario)], not_a_scenario))
    for args, message in bad:
        r = regress(a.irqlab, args + (["--out", out("bad")] if "--out" not in args else []))
        check(r.returncode == 2, f"{args}: exit {r.returncode}")
        check(message in r.stderr, f"{args}: {message!r} not in {r.stderr!r}")
    check(not os.path.exists(os.path.join(out("bad"), "regress.json")), "bad input wrote regress.json")

    print(f"regress_end_to_end: {time.monotonic() - started:.1f} s")
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
