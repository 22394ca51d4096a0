#!/usr/bin/env python3
"""The soak (issue 12 item 7; not in CI): a long run of mixed traffic per personality,
made twice, checked for what only a long run shows.

    soak.py [--cycles 1e9] [--personality P ...] [--irqlab BIN] [--out DIR]
            [--runs 2] [--jobs N] [--sample-seconds 2] [--max-seconds S] [--max-rss MB]

Workload: tools/soak/soak.yaml (ESP traffic in line-rate bursts through the NIC and the
crypto engine, bad and malformed packets, an SA rekey writer, the tick on two harts, two
threads and a deferred handler contending for one lock, a random interrupt source),
stretched to --cycles: the random source's pulse count is scaled with the length so it
lasts the whole run. Waves and the timeline are off (at 1e9 cycles they would be tens
of GB); everything else is as in any run.

Per personality, each run is one `irqlab run` (--jobs of them at a time; run them
under `nice -n 19` on a shared machine); while it runs, its resident set size is read
from /proc/PID/status (VmRSS) every --sample-seconds. A watchdog per run keeps one hung
or runaway child from stalling the soak: irqlab's own --max-seconds and --max-rss end it
with its outputs (status "interrupted", a failed run), and should irqlab not stop itself
(hung outside its simulation loop), the script kills it (SIGKILL) once it has run
WATCHDOG_GRACE past --max-seconds or its RSS passes twice --max-rss. Checked per run:
  - status "ok", exit 0 (a deadlock or any failure is a failed run);
  - no stall: the wire offered the frames due in the run's length (frames_due);
  - memory flat: the RSS at the end exceeds the RSS at 20% of the run's wall time by at
    most max(8 MiB, 10%) (what the run keeps per packet would show as a slope);
  - no packet unaccounted for: at the NIC (results.json's nic section) offered =
    delivered + dropped (fifo_overflow + length, each with its cause) + undelivered
    (received, still in the FIFO or ring when the run ended), and the drops equal the
    NIC's own counters; no delivery with the wrong bytes; on the ESP path (ipsec) the
    packets that reached ether_input = user reads + drops with a cause + those still in
    the stack at the end: the crypto requests whose continuation has not run yet
    (crypto.dispatched - crypto.callbacks) plus at most what the input and socket queues
    hold (STACK_QUEUES); none duplicated, none read with wrong bytes;
and across the runs: results.json byte-identical.

Writes DIR/soak.json (every figure) and prints a table; exits 0 when every check passed,
1 otherwise, 2 on bad arguments. Python 3 standard library only; Linux (/proc).
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import re
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
SCENARIO = pathlib.Path(__file__).resolve().parent / "soak.yaml"
PERSONALITIES = ["linux", "freebsd", "netbsd", "bsd43"]
# The random source of soak.yaml, whose pulse count must follow the run's length: one
# pulse per RANDOM_GAP cycles on average, the last well before the end (the scenario
# check requires start + count x (min_gap + mean_gap) before the end).
RANDOM_GAP = 20000
RANDOM_START = 3000
# The default --max-seconds: host seconds per simulated cycle, plus a start-up allowance.
# The workload runs at about 3 M cycles per CPU second (docs/reliability.md, Soak), but a
# niced run on a loaded machine got 60 000 per wall second; this allows 50 000 (a 1e9
# run: 5.6 hours). Give less (--max-seconds) on a quiet machine to end a hung run sooner.
WATCHDOG_CYCLES_PER_SECOND = 50_000
WATCHDOG_STARTUP_SECONDS = 600
# How long past its --max-seconds a child may run before the script kills it: irqlab
# checks its limits between simulation steps, so it normally stops on its own well within.
WATCHDOG_GRACE = 120
# What the ESP path of soak.yaml holds outside the crypto framework at most: the socket
# queue (ipsec.socket_queue, 64) and the protocol input queue ahead of esp_input (bounded
# by the RX ring it is filled from, nic.rx_descriptors, 64).
STACK_QUEUES = 64 + 64


def scenario_number(key):
    """A whole-number key of soak.yaml (each key used here appears once in it)."""
    found = re.findall(rf"^\s*{key}:\s*(\d+)", SCENARIO.read_text(encoding="utf-8"), re.M)
    if len(found) != 1:
        raise SystemExit(f"{SCENARIO}: expected one '{key}:' with a whole number")
    return int(found[0])


def frames_due(cycles):
    """The frames the wire offers in a run of `cycles`, the last burst cut short at most:
    soak.yaml's bursts of burst_frames every burst_period_ns from start_ns. A run that
    offers fewer stopped simulating the wire before its end (a stall that status ok and
    the packet accounting do not show: nothing is offered, so nothing is missing)."""
    end_ns = cycles * scenario_number("clock_period_ps") // 1000
    start, period = scenario_number("start_ns"), scenario_number("burst_period_ns")
    bursts = 0 if end_ns <= start else (end_ns - start - 1) // period + 1
    return max(0, bursts - 1) * scenario_number("burst_frames")


def random_source(cycles):
    count = max(1, (cycles - RANDOM_START) // (RANDOM_GAP + 2) * 9 // 10)
    return ("sources=[{source: 17, name: random, priority: 2, handler_cycles: 250, cpus: [1], "
            f"stimulus: {{random: {{start: {RANDOM_START}, mean_gap: {RANDOM_GAP}, min_gap: 2, "
            f"count: {count}}}}}, "
            "deferred: {level: net, cycles: 400, may_block: true, lock: so_lock}}]")


def rss_kib(pid):
    """VmRSS of a live process in KiB, or None once it has gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def run_once(args, personality, out):
    """One irqlab run with its RSS sampled; returns its figures."""
    cmd = [args.irqlab, "--log", "info", "run", str(SCENARIO), "--out", str(out),
           "--no-waves", "-c", "timeline=false", "-c", f"kernel.personality={personality}",
           "-c", f"duration_cycles={args.cycles}", "-c", random_source(args.cycles)]
    cmd += ["--max-seconds", str(args.max_seconds)]
    if args.max_rss:
        cmd += ["--max-rss", f"{args.max_rss}M"]  # irqlab reads a bare number as bytes
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    samples = []
    killed = None
    with open(out / "soak-run.log", "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        while True:  # wait4: the child's own CPU time and peak RSS, not all children's
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid != 0:
                break
            elapsed = time.monotonic() - started
            rss = rss_kib(proc.pid)
            if rss is not None:
                samples.append((round(elapsed, 2), rss))
            if killed is None and elapsed > args.max_seconds + WATCHDOG_GRACE:
                killed = f"ran {elapsed:.0f} s, past --max-seconds {args.max_seconds} + {WATCHDOG_GRACE}"
            elif killed is None and args.max_rss and rss is not None and rss > 2 * args.max_rss * 1024:
                killed = f"RSS {rss} KiB, past twice --max-rss {args.max_rss} MB"
            if killed is not None:
                proc.kill()  # this run's own child, by its pid
            time.sleep(args.sample_seconds)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    run = {"exit": proc.returncode, "wall_seconds": round(wall, 1), "rss_samples_kib": samples,
           "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
           "peak_rss_kib": usage.ru_maxrss, "command": cmd, "killed_by_watchdog": killed}
    results_file = out / "results.json"
    run["results"] = results_file.read_bytes() if results_file.exists() else None
    return run


def rss_figures(samples, wall, peak):
    """Start (first sample), at 20% of the wall time, peak (the kernel's ru_maxrss), end
    (last sample before exit), in KiB."""
    if not samples:
        return {"start": None, "at_20pct": None, "peak": peak, "end": None, "flat": False}
    at_20 = next((rss for t, rss in samples if t >= 0.2 * wall), samples[-1][1])
    end = samples[-1][1]
    allowance = max(8 * 1024, at_20 // 10)
    # Least-squares slope over the last 80% of the wall time: growth in KiB per second.
    tail = [(t, r) for t, r in samples if t >= 0.2 * wall]
    slope = None
    if len(tail) >= 2:
        mt = sum(t for t, _ in tail) / len(tail)
        mr = sum(r for _, r in tail) / len(tail)
        var = sum((t - mt) ** 2 for t, _ in tail)
        slope = sum((t - mt) * (r - mr) for t, r in tail) / var if var else None
    return {"start": samples[0][1], "at_20pct": at_20, "peak": peak, "end": end,
            "growth_after_20pct": end - at_20,
            "slope_kib_per_s": None if slope is None else round(slope, 2),
            "flat": end - at_20 <= allowance}


def packet_account(results):
    """The NIC's and the ESP path's accounting, and the problems found in it."""
    problems = []
    nic = results.get("nic")
    if nic is None:
        return {}, ["results.json has no nic section"]
    dropped = nic["dropped"]["fifo_overflow"] + nic["dropped"]["length"]
    account = {"offered": nic["offered"], "delivered": nic["delivered"],
               "dropped_fifo_overflow": nic["dropped"]["fifo_overflow"],
               "dropped_length": nic["dropped"]["length"], "undelivered": nic["undelivered"]}
    if nic["offered"] != nic["delivered"] + dropped + nic["undelivered"]:
        problems.append(f"offered {nic['offered']} != delivered {nic['delivered']} + dropped "
                        f"{dropped} + undelivered {nic['undelivered']}")
    if not nic["drops_match_counters"]:
        problems.append("FrameDropped events disagree with the NIC's MPC/RLEC counters")
    if nic["mismatched"] != 0:
        problems.append(f"{nic['mismatched']} deliveries with the wrong bytes")
    ipsec = results.get("ipsec")
    if ipsec is not None:
        drops = {k: v for k, v in ipsec["drops"].items() if v}
        in_stack = ipsec["packets"] - ipsec["reads"] - sum(drops.values())
        crypto = results["crypto"]
        awaiting_callback = crypto["dispatched"] - crypto["callbacks"]
        account.update({"esp_packets": ipsec["packets"], "user_reads": ipsec["reads"],
                        "esp_drops": drops, "esp_in_stack_at_end": in_stack,
                        "crypto_awaiting_callback_at_end": awaiting_callback})
        if not 0 <= in_stack - awaiting_callback <= STACK_QUEUES:
            problems.append(f"ESP path: {ipsec['packets']} packets - {ipsec['reads']} reads - "
                            f"{sum(drops.values())} drops = {in_stack} in the stack, of which "
                            f"{awaiting_callback} await their crypto callback; the rest is "
                            f"outside 0..{STACK_QUEUES}")
        delivery = ipsec.get("delivery") or {}
        for field in ("mismatched", "duplicated"):
            if delivery.get(field, 0) != 0:
                problems.append(f"ESP delivery: {delivery[field]} {field}")
    return account, problems


def check_personality(personality, runs):
    problems = []
    figures = {"personality": personality, "runs": []}
    for k, run in enumerate(runs, 1):
        rss = rss_figures(run["rss_samples_kib"], run["wall_seconds"], run["peak_rss_kib"])
        if run["killed_by_watchdog"]:
            problems.append(f"run {k}: killed by the soak's watchdog: {run['killed_by_watchdog']}")
        entry = {"run": k, "exit": run["exit"], "wall_seconds": run["wall_seconds"],
                 "cpu_seconds": run["cpu_seconds"], "rss_kib": rss,
                 "rss_samples_kib": run["rss_samples_kib"]}
        figures["runs"].append(entry)
        if run["results"] is None:
            problems.append(f"run {k}: no results.json (exit {run['exit']})")
            continue
        results = json.loads(run["results"])
        entry["status"] = results.get("status")
        entry["simulated_cycles"] = results.get("simulated_cycles")
        if run["exit"] != 0 or results.get("status") != "ok":
            problems.append(f"run {k}: exit {run['exit']}, status {results.get('status')}: "
                            f"{results.get('error', '')}")
        if results.get("deadlock"):
            problems.append(f"run {k}: deadlock {results['deadlock']}")
        if not rss["flat"]:
            problems.append(f"run {k}: RSS grew from {rss['at_20pct']} KiB at 20% to "
                            f"{rss['end']} KiB at the end")
        cycles = results.get("simulated_cycles") or 0
        offered = (results.get("nic") or {}).get("offered", 0)
        if offered < frames_due(cycles):
            problems.append(f"run {k}: the wire offered {offered} frames in {cycles} cycles, "
                            f"fewer than the {frames_due(cycles)} due: the simulation stalled")
        account, account_problems = packet_account(results)
        entry["packets"] = account
        problems += [f"run {k}: {p}" for p in account_problems]
    texts = [r["results"] for r in runs]
    figures["identical"] = None not in texts and all(t == texts[0] for t in texts)
    if not figures["identical"]:
        problems.append("results.json differs between the runs")
    figures["problems"] = problems
    return figures


def simulated_cycles(text):
    value = float(text)
    if value < 1 or value != int(value):
        raise argparse.ArgumentTypeError("expected a whole number of cycles >= 1")
    return int(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=simulated_cycles, default=10**9,
                        help="simulated cycles per run (1e9; 1e7 to try the script)")
    parser.add_argument("--personality", action="append", choices=PERSONALITIES,
                        help="personality to soak, repeatable (default: all four)")
    parser.add_argument("--irqlab", default=str(ROOT / "build" / "cosim" / "irqlab"))
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("soak-out"))
    parser.add_argument("--runs", type=int, default=2, help="runs per personality (>= 2)")
    parser.add_argument("--jobs", type=int, default=1, help="runs at a time")
    parser.add_argument("--sample-seconds", type=float, default=2.0)
    parser.add_argument("--max-seconds", type=float, default=0,
                        help="irqlab's --max-seconds per run, host seconds (default: cycles / "
                        f"{WATCHDOG_CYCLES_PER_SECOND} + {WATCHDOG_STARTUP_SECONDS})")
    parser.add_argument("--max-rss", type=int, default=1024,
                        help="irqlab's --max-rss per run in MB (0: none; default 1024, some 20 "
                        "times what a run needs): a runaway run fails")
    args = parser.parse_args()
    if args.max_seconds < 0 or args.max_rss < 0:
        parser.error("--max-seconds and --max-rss must not be negative")
    if not args.max_seconds:
        args.max_seconds = round(args.cycles / WATCHDOG_CYCLES_PER_SECOND + WATCHDOG_STARTUP_SECONDS)
    if args.runs < 2:
        parser.error("--runs must be at least 2 (the runs are compared)")
    if not os.access(args.irqlab, os.X_OK):
        parser.error(f"{args.irqlab} is not an executable irqlab (build it first)")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    personalities = args.personality or PERSONALITIES

    started = time.monotonic()
    report = {"cycles": args.cycles, "runs_per_personality": args.runs, "jobs": args.jobs,
              "max_seconds": args.max_seconds, "max_rss_mb": args.max_rss,
              "irqlab": args.irqlab, "personalities": []}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {p: [pool.submit(run_once, args, p, args.out / p / f"run{k}")
                       for k in range(1, args.runs + 1)] for p in personalities}
        runs = {p: [f.result() for f in fs] for p, fs in futures.items()}
    for p in personalities:
        figures = check_personality(p, runs[p])
        report["personalities"].append(figures)
        for run in figures["runs"]:
            rss, pk = run["rss_kib"], run.get("packets", {})
            print(f"{p:8} run {run['run']}: {run.get('simulated_cycles')} cycles, "
                  f"{run['wall_seconds']} s wall, {run['cpu_seconds']} s CPU, RSS "
                  f"start/20%/peak/end {rss['start']}/{rss['at_20pct']}/{rss['peak']}/"
                  f"{rss['end']} KiB; NIC offered {pk.get('offered')} delivered "
                  f"{pk.get('delivered')} dropped {pk.get('dropped_fifo_overflow')} overflow + "
                  f"{pk.get('dropped_length')} length, undelivered {pk.get('undelivered')}; ESP "
                  f"packets {pk.get('esp_packets')} read {pk.get('user_reads')} in stack "
                  f"{pk.get('esp_in_stack_at_end')} drops {pk.get('esp_drops')}", flush=True)
        print(f"{p:8} identical: {'yes' if figures['identical'] else 'no'}"
              + "".join(f"\n  problem: {x}" for x in figures["problems"]), flush=True)
    report["wall_seconds"] = round(time.monotonic() - started, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "soak.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    failed = any(f["problems"] for f in report["personalities"])
    print(f"soak {'FAILED' if failed else 'passed'} in {report['wall_seconds']} s; "
          f"figures in {args.out / 'soak.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
