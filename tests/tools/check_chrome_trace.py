#!/usr/bin/env python3
"""Checks a Chrome JSON trace (the format ui.perfetto.dev opens) against the rules of the
Trace Event Format and of Perfetto's JSON importer, independently of the code that wrote
it (Python 3 stdlib only).

Rules checked:
  - the file is a JSON object with a "traceEvents" list (displayTimeUnit "ms" or "ns");
  - every event has a known "ph"; integer "pid" (and "tid" where the phase has a thread);
    numeric "ts" (not for metadata); "dur" >= 0 on complete events;
  - per thread (pid, tid), events taken in ts order (stable: the file's order at equal ts,
    as the importers do): every E closes an open B, none stays open at the end;
  - slices of one thread (B/E and X) never partly overlap: two are disjoint or one holds
    the other;
  - counters (C) carry a non-empty args object of numbers; a counter track is keyed by
    (pid, name), as Perfetto's importer keys it (one track per name per process, each arg
    a series); taken in ts order (stable), no sample repeats its track's previous values
    (a sample is written only when the value changes);
  - metadata (M) is process/thread name or sort index with a string name or integer index;
    every process with events is named, every thread with slices is named;
  - flows (s/t/f) carry an id and a category; each (cat, id) has exactly one s and one f,
    the f not before the s; the s lies inside a slice of its thread, and the f has a slice
    beginning at or after it on its thread (binding to the next slice) or, with bp "e",
    inside one.

Usage: check_chrome_trace.py FILE [--summary]   (exit 0: valid; 1: the errors are listed)
--summary prints the counts of slices by thread name and of flows by name, and per
counter track ("process/name") its number of samples, minimum, maximum and last value,
as JSON.
"""
import argparse
import bisect
import json
import sys
from collections import defaultdict

KNOWN_PHASES = set("BEXiICbneSTpFstfPNODMVvRc()")
THREAD_PHASES = set("BEXstf")
METADATA_NAMES = {"process_name", "process_labels", "process_sort_index", "thread_name",
                  "thread_sort_index"}


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v):
    return (isinstance(v, (int, float))) and not isinstance(v, bool)


def check(doc):
    errors = []
    err = errors.append
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        return ["the file is not an object with a traceEvents list"], {}
    if doc.get("displayTimeUnit", "ms") not in ("ms", "ns"):
        err("displayTimeUnit must be ms or ns")

    process_names, thread_names = {}, {}
    per_thread = defaultdict(list)  # (pid, tid) -> [(ts, order, event)]
    pids_used = set()
    flows = defaultdict(lambda: {"s": [], "t": [], "f": []})
    counters = defaultdict(list)  # (pid, name) -> [(ts, order, args)]
    for order, e in enumerate(doc["traceEvents"]):
        where = f"event {order}"
        if not isinstance(e, dict):
            err(f"{where}: not an object")
            continue
        ph = e.get("ph")
        if ph not in KNOWN_PHASES:
            err(f"{where}: unknown ph {ph!r}")
            continue
        if not is_int(e.get("pid")):
            err(f"{where}: pid is not an integer")
            continue
        pid = e["pid"]
        if ph in THREAD_PHASES or (ph == "i" and e.get("s", "t") == "t") or (
                ph == "M" and e.get("name", "").startswith("thread_")):
            if not is_int(e.get("tid")):
                err(f"{where}: tid is not an integer")
                continue
        if ph == "M":
            name, args = e.get("name"), e.get("args")
            if name not in METADATA_NAMES or not isinstance(args, dict):
                err(f"{where}: unknown metadata {name!r}")
            elif name.endswith("_name") and not isinstance(args.get("name"), str):
                err(f"{where}: {name} without a string name")
            elif name.endswith("_sort_index") and not is_int(args.get("sort_index")):
                err(f"{where}: {name} without an integer sort_index")
            elif name == "process_name":
                process_names[pid] = args["name"]
            elif name == "thread_name":
                thread_names[(pid, e["tid"])] = args["name"]
            continue
        if not is_number(e.get("ts")):
            err(f"{where}: ts is not a number")
            continue
        pids_used.add(pid)
        if ph == "X" and not (is_number(e.get("dur")) and e["dur"] >= 0):
            err(f"{where}: complete event without dur >= 0")
            continue
        if ph == "i" and e.get("s", "t") not in ("g", "p", "t"):
            err(f"{where}: instant scope {e.get('s')!r}")
        if ph == "C":
            args = e.get("args")
            if not isinstance(args, dict) or not args or not all(is_number(v) for v in args.values()):
                err(f"{where}: counter args must be a non-empty object of numbers")
            else:
                counters[(pid, e.get("name", ""))].append((e["ts"], order, args))
            continue
        if ph in "stf":
            if "id" not in e or not isinstance(e.get("cat"), str):
                err(f"{where}: flow event without id or cat")
                continue
            flows[(e["cat"], str(e["id"]))][ph].append((e["ts"], pid, e["tid"], e.get("bp"), e.get("name")))
        if ph in "BEXstf":
            per_thread[(pid, e["tid"])].append((e["ts"], order, e))

    slices = defaultdict(list)  # (pid, tid) -> [(start, end, name)]
    for thread, events in per_thread.items():
        events.sort(key=lambda x: (x[0], x[1]))
        stack = []
        for ts, order, e in events:
            if e["ph"] == "B":
                stack.append((ts, e.get("name", "")))
            elif e["ph"] == "E":
                if not stack:
                    err(f"event {order}: E on pid {thread[0]} tid {thread[1]} closes no B")
                    continue
                start, name = stack.pop()
                slices[thread].append((start, ts, name))
            elif e["ph"] == "X":
                slices[thread].append((ts, ts + e["dur"], e.get("name", "")))
        for start, name in stack:
            err(f"pid {thread[0]} tid {thread[1]}: B {name!r} at {start} never closed")

    for thread, spans in slices.items():
        if thread not in thread_names:
            err(f"pid {thread[0]} tid {thread[1]} has slices but no thread_name")
        open_spans = []
        for start, end, name in sorted(spans, key=lambda s: (s[0], -s[1])):
            while open_spans and open_spans[-1][1] <= start:
                open_spans.pop()
            if open_spans and end > open_spans[-1][1]:
                err(f"pid {thread[0]} tid {thread[1]}: {name!r} [{start}, {end}] partly overlaps "
                    f"{open_spans[-1][2]!r} [{open_spans[-1][0]}, {open_spans[-1][1]}]")
            open_spans.append((start, end, name))
    counter_summary = {}
    for (pid, name), samples in counters.items():
        samples.sort(key=lambda x: (x[0], x[1]))
        for (_, _, before), (ts, order, args) in zip(samples, samples[1:]):
            if args == before:
                err(f"event {order}: counter {name!r} of pid {pid} repeats its value {args} at {ts}")
        values = [v for _, _, args in samples for v in args.values()]
        counter_summary[f"{process_names.get(pid, pid)}/{name}"] = {
            "samples": len(samples), "min": min(values), "max": max(values),
            "last": list(samples[-1][2].values())[0]}

    for pid in sorted(pids_used):
        if pid not in process_names:
            err(f"pid {pid} has events but no process_name")

    # Per thread: slice starts in order, and the latest end among slices started so far.
    index = {}
    for thread, spans in slices.items():
        ordered = sorted(spans)
        latest, ends = float("-inf"), []
        for _, end, _ in ordered:
            latest = max(latest, end)
            ends.append(latest)
        index[thread] = ([s for s, _, _ in ordered], ends)

    def enclosed(thread, ts):
        starts, ends = index.get(thread, ([], []))
        n = bisect.bisect_right(starts, ts)
        return n > 0 and ends[n - 1] >= ts

    def followed(thread, ts):
        starts, _ = index.get(thread, ([], []))
        return bisect.bisect_left(starts, ts) < len(starts)

    flow_names = defaultdict(int)
    for (cat, fid), ends in flows.items():
        if len(ends["s"]) != 1 or len(ends["f"]) != 1:
            err(f"flow {cat}/{fid}: {len(ends['s'])} starts and {len(ends['f'])} finishes")
            continue
        (s_ts, s_pid, s_tid, _, name), (f_ts, f_pid, f_tid, f_bp, _) = ends["s"][0], ends["f"][0]
        flow_names[name] += 1
        if f_ts < s_ts:
            err(f"flow {cat}/{fid} finishes before it starts")
        if not enclosed((s_pid, s_tid), s_ts):
            err(f"flow {cat}/{fid}: its start at {s_ts} lies in no slice of its thread")
        bound = enclosed((f_pid, f_tid), f_ts) if f_bp == "e" else followed((f_pid, f_tid), f_ts)
        if not bound:
            err(f"flow {cat}/{fid}: its finish at {f_ts} binds to no slice of its thread")

    summary = {
        "slices": {},
        "flows": dict(flow_names),
        "counters": dict(sorted(counter_summary.items())),
        "processes": sorted(process_names.values()),
    }
    by_name = defaultdict(int)
    for thread, spans in slices.items():
        by_name[f"{process_names.get(thread[0], thread[0])}/{thread_names.get(thread, thread[1])}"] += len(spans)
    summary["slices"] = dict(sorted(by_name.items()))
    return errors, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace")
    parser.add_argument("--summary", action="store_true")
    args = parser.parse_args()
    try:
        with open(args.trace, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"error: {args.trace}: {e}", file=sys.stderr)
        return 1
    errors, summary = check(doc)
    for e in errors[:50]:
        print(f"error: {e}", file=sys.stderr)
    if len(errors) > 50:
        print(f"error: ... and {len(errors) - 50} more", file=sys.stderr)
    if errors:
        return 1
    if args.summary:
        print(json.dumps(summary, indent=1, sort_keys=True))
    else:
        print(f"{args.trace}: valid ({len(doc['traceEvents'])} events)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
