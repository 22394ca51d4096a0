#!/usr/bin/env python3
"""The packet rate at which a kernel starts to drop (issues 9 and 10), found by bisection
over `irqlab run`s.

    droponset.py [--path nic|nic-large|ipsec ...] [--personality P ...] [--packets N]
                 [--low R] [--high R] [--resolution R] [--irqlab BIN] [--out DIR]
                 [--json FILE] [--jobs J] [--nice N] [-c key=value ...]

Definition. For a path, a personality and a packet count N, the drop onset is the lowest
constant rate (frames per second, on the resolution's grid) at which a run offering N
frames at that rate drops at least one of them, with any cause: at the NIC (FIFO
overflow, MPC; length) or, on the IPsec path, in the stack (results.json `ipsec.drops`:
socket queue full, crypto error, ...). The bisection keeps `clean`, a rate whose run
dropped nothing, and `onset`, a rate whose run dropped, and halves the interval until
onset - clean <= resolution; it reports both. It assumes drops are monotonic in the rate
between the two starting points (checked at both ends, not in between). A finite N
matters: the RX FIFO (128 small or 5 full-size frames) and the ring (64 descriptors)
absorb a backlog, so the onset for N frames lies above the sustained capacity by about
(what the queues hold) / N of it, and falls to it as N grows.

Runs. Each is `irqlab run <scenario> --no-waves -c timeline=false` with the personality,
`traffic.rate_pps`, `traffic.count` and `duration_cycles` overridden (plus the path's own
overrides and -c). The run lasts until the last frame has arrived and then the path's
drain time, so that every frame that was not dropped is delivered (NIC) or read by the
user (IPsec); a run where that is not so (or where fewer than N frames were offered) is
an error naming the rate, never read as "no drop". Runs are seeded by their scenario
(`seed:`), so the whole search is deterministic: the same arguments give the same
figures.

Paths:
  nic        tools/droponset/nic.yaml: default SoC, one hart, no tick, 60-byte frames
             (kernel-bound: the per-frame cost in the poll)
  nic-large  the same with 1514-byte frames (bound by the receive DMA)
  ipsec      scenarios/ipsec.yaml (the default `make run`: ESP through the NIC and the
             crypto engine to a user process, U busy), without its bad-tag packets

Writes DIR/droponset.json (schema irqlab.droponset/1: every run's figures) and prints a
table. Exit 0 when every search found its onset, 1 otherwise, 2 on bad arguments.
Python 3 standard library only.
"""
import argparse
import concurrent.futures
import json
import math
import os
import pathlib
import subprocess
import sys
import tempfile

TOOL_DIR = pathlib.Path(__file__).resolve().parent
ROOT = TOOL_DIR.parent.parent
PERSONALITIES = ["linux", "freebsd", "netbsd", "bsd43"]
CLOCK_HZ = 100_000_000      # the scenarios' clock_period_ps 10000, forced by an override
START_CYCLES = 10_000       # covers each scenario's traffic.start_ns (2000 or 5000 cycles)


class Path:
    """A receive path: its scenario, overrides, and the time the run goes on after the
    last frame so that queued frames finish (cycles; enough for a full RX FIFO and ring,
    and on the IPsec path the crypto ring and the socket queue, at that path's cost)."""

    def __init__(self, scenario, overrides, drain_cycles):
        self.scenario = scenario
        self.overrides = overrides
        self.drain_cycles = drain_cycles


PATHS = {
    "nic": Path(TOOL_DIR / "nic.yaml", [], 300_000),
    "nic-large": Path(TOOL_DIR / "nic.yaml", ["traffic.frame_bytes=1514"], 600_000),
    "ipsec": Path(ROOT / "scenarios" / "ipsec.yaml", ["traffic.esp.bad_tag_every=0"],
                  3_000_000),
}


class RunError(Exception):
    """A run that failed or whose outcome cannot be read as drops or no drops."""


def drops_of(results, packets):
    """Dropped frames by cause, and the check that all `packets` frames were offered and
    every one not dropped got through."""
    nic = results["nic"]
    if nic["offered"] != packets:
        raise RunError(f"{nic['offered']} of {packets} frames offered before the end")
    causes = {f"nic.{k}": v for k, v in nic["dropped"].items()}
    ipsec = results.get("ipsec")
    if ipsec is None:
        if nic["undelivered"] != 0:
            raise RunError(f"{nic['undelivered']} frames still undelivered at the end")
        return causes
    causes.update({f"ipsec.{k}": v for k, v in ipsec["drops"].items()})
    in_stack = ipsec["packets"] - ipsec["reads"] - sum(ipsec["drops"].values())
    if in_stack != 0:
        raise RunError(f"{in_stack} packets neither read nor dropped at the end")
    delivery = ipsec.get("delivery") or {}
    for field in ("mismatched", "missing", "duplicated"):
        if delivery.get(field, 0):
            raise RunError(f"ESP delivery: {delivery[field]} {field}")
    return causes


def figures_of(results):
    """What a point keeps beside its drops: interrupts and latency."""
    nic = results["nic"]
    f = {"offered": nic["offered"], "delivered": nic["delivered"], "rnbc": nic["rnbc"],
         "nic_interrupts": nic["interrupts"], "packets_per_interrupt": nic["packets_per_interrupt"],
         "nic_latency_mean": nic["latency"]["cycles"]["mean"]}
    ipsec = results.get("ipsec")
    if ipsec is not None:
        per = ipsec["per_packet"]
        f.update({"reads": ipsec["reads"], "fs": per["fs"], "ls": per["ls"], "ic": per["ic"],
                  "end_to_end_mean": ipsec["end_to_end"]["mean"],
                  "end_to_end_p99": ipsec["end_to_end"]["p99"],
                  "crypto_jobs_per_interrupt": results["crypto"]["jobs_per_interrupt"]})
    return f


class Runner:
    """Runs irqlab for one path and personality; callable from one thread per instance."""

    def __init__(self, args, path, personality, work):
        self.args = args
        self.path = path
        self.personality = personality
        self.work = work

    def command(self, rate, out):
        cycles = START_CYCLES + math.ceil(self.args.packets * CLOCK_HZ / rate)
        cycles += self.path.drain_cycles
        cmd = [self.args.irqlab, "--log", "warn", "run", str(self.path.scenario), "--out",
               str(out), "--no-waves", "-c", "timeline=false", "-c", "platform.clock_period_ps=10000",
               "-c", f"kernel.personality={self.personality}", "-c", f"duration_cycles={cycles}",
               "-c", f"traffic.rate_pps={rate}", "-c", f"traffic.count={self.args.packets}"]
        for override in self.path.overrides + self.args.override:
            cmd += ["-c", override]
        return cmd

    def __call__(self, rate):
        out = self.work / f"{self.personality}-{rate}"
        cmd = self.command(rate, out)
        nice = self.args.nice
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              preexec_fn=(lambda: os.nice(nice)) if nice else None, check=False)
        results_file = out / "results.json"
        if proc.returncode != 0 or not results_file.exists():
            raise RunError(f"{' '.join(cmd)}: exit {proc.returncode}\n{proc.stdout[-2000:]}")
        results = json.loads(results_file.read_text(encoding="utf-8"))
        if results.get("status") != "ok":
            raise RunError(f"{' '.join(cmd)}: status {results.get('status')}")
        try:
            causes = drops_of(results, self.args.packets)
        except RunError as e:
            raise RunError(f"rate {rate}: {e}: the run is too short: {' '.join(cmd)}") from e
        return {"rate_pps": rate, "drops": sum(causes.values()),
                "by_cause": {k: v for k, v in causes.items() if v}, **figures_of(results)}


def bisect_onset(measure, low, high, resolution):
    """The onset search on the grid of `resolution` (low and high are on it): `measure(rate)`
    returns a point with "drops". Returns (clean, onset, points); clean or onset is None
    when the starting interval did not hold one (low dropped, or nothing dropped up to
    high doubled four times)."""
    points = {}

    def drops(rate):
        if rate not in points:
            points[rate] = measure(rate)
        return points[rate]["drops"] > 0

    if drops(low):
        return None, low, points
    for _ in range(5):
        if drops(high):
            break
        low, high = high, high * 2
    else:
        return low, None, points
    while high - low > resolution:
        mid = low + (high - low) // resolution // 2 * resolution
        if drops(mid):
            high = mid
        else:
            low = mid
    return low, high, points


def search(args, path_name, personality, work):
    runner = Runner(args, PATHS[path_name], personality, work / path_name)
    clean, onset, points = bisect_onset(runner, args.low, args.high, args.resolution)
    ordered = [points[r] for r in sorted(points)]
    return {"path": path_name, "personality": personality, "packets": args.packets,
            "resolution_pps": args.resolution, "clean_pps": clean, "onset_pps": onset,
            "runs": len(ordered), "points": ordered}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--path", action="append", choices=sorted(PATHS))
    p.add_argument("--personality", action="append", choices=PERSONALITIES)
    p.add_argument("--packets", type=int, default=1000, help="frames per run (default 1000)")
    p.add_argument("--low", type=int, default=10_000, help="starting rate with no drop")
    p.add_argument("--high", type=int, default=400_000, help="starting rate with drops")
    p.add_argument("--resolution", type=int, default=1000, help="frames/s (default 1000)")
    p.add_argument("--irqlab", default=str(ROOT / "build" / "cosim" / "irqlab"))
    p.add_argument("--out", type=pathlib.Path, default=None,
                   help="keep every run's outputs here (default: a temporary directory)")
    p.add_argument("--json", type=pathlib.Path, default=pathlib.Path("droponset.json"))
    p.add_argument("--jobs", type=int, default=2, help="searches at once (default 2)")
    p.add_argument("--nice", type=int, default=10, help="niceness of the runs (default 10)")
    p.add_argument("-c", dest="override", action="append", default=[],
                   help="key=value for every run (after the path's own)")
    args = p.parse_args(argv)
    args.path = args.path or ["nic", "ipsec"]
    args.personality = args.personality or PERSONALITIES
    if args.packets < 1 or args.resolution < 1 or args.jobs < 1:
        p.error("--packets, --resolution and --jobs must be at least 1")
    if not 0 < args.low < args.high or args.low % args.resolution or args.high % args.resolution:
        p.error("need 0 < --low < --high, both multiples of --resolution")
    if not os.access(args.irqlab, os.X_OK):
        p.error(f"--irqlab {args.irqlab}: not an executable")
    return args


def print_table(searches):
    print(f"{'path':10} {'personality':12} {'packets':>7} {'clean':>9} {'onset':>9}  drops at onset")
    for s in searches:
        onset = next((pt for pt in s["points"] if pt["rate_pps"] == s["onset_pps"]), None)
        causes = ", ".join(f"{k} {v}" for k, v in onset["by_cause"].items()) if onset else "-"
        print(f"{s['path']:10} {s['personality']:12} {s['packets']:7} "
              f"{s['clean_pps'] if s['clean_pps'] is not None else '-':>9} "
              f"{s['onset_pps'] if s['onset_pps'] is not None else '-':>9}  {causes}")


def main(argv):
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="droponset-") as temp:
        work = args.out or pathlib.Path(temp)
        jobs = [(path, personality) for path in args.path for personality in args.personality]
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(search, args, path, pers, work) for path, pers in jobs]
            try:
                searches = [f.result() for f in futures]
            except RunError as e:
                print(f"droponset: {e}", file=sys.stderr)
                return 1
    report = {"schema": "irqlab.droponset/1", "irqlab": args.irqlab, "overrides": args.override,
              "searches": searches}
    partial = args.json.with_name(args.json.name + ".partial")
    partial.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    partial.replace(args.json)  # whole or absent, never half written
    print_table(searches)
    return 0 if all(s["clean_pps"] is not None and s["onset_pps"] is not None for s in searches) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
