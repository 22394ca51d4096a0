#!/usr/bin/env python3
"""tools/droponset: the bisection on step functions whose onset is known, then one real
search whose onset is computed by hand, and a run too short to judge.

    droponset_test.py IRQLAB

The real case is DMA-bound, so no kernel cost enters it: 40 frames of 1514 bytes, faster
than the receive DMA moves them. From docs/rtl.md: the DMA writes a frame back every
1 + (379 + 3) x 6 = 2293 cycles while it has work; the RX FIFO holds whole frames of 1518
bytes (with the FCS) in 8192 bytes, and a frame overflows at the first beat (4 bytes a
cycle) that finds it full; a frame's space frees at its write-back. With frames every `a`
cycles (a < 2293) the DMA is busy from the first frame's last beat L0 on, frame j is
written back at L0 + 2293 (j + 1), and frame k (last beat L0 + k a, beats from 379 cycles
earlier) finds its 5 predecessors k-5..k-1 still stored (5 x 1518 = 7590 bytes, room for
150 more beats) at its beat 150, 229 cycles before its last, unless frame k-5 was written
back by then: L0 + 2293 (k - 4) <= L0 + k a - 229. Frame k = N - 1 = 39 is the first to
need the most, so nothing drops while a >= (2293 x 35 + 229) / 39 = 2063.7 cycles, i.e.
up to 10^8 / 2063.7 = 48 456 frames/s, and frame 39 drops above it. A cycle more or less
anywhere in that sum moves the rate by 0.6 frames/s, so on a 100 frames/s grid the search
must give clean 48 400 and onset 48 500, dropping by FIFO overflow only.
"""
import importlib.util
import pathlib
import sys
import tempfile

TOOL = pathlib.Path(__file__).resolve().parent.parent.parent / "tools" / "droponset" / "droponset.py"
spec = importlib.util.spec_from_file_location("droponset", TOOL)
droponset = importlib.util.module_from_spec(spec)
spec.loader.exec_module(droponset)

failures = []


def check(what, got, want):
    if got != want:
        failures.append(f"{what}: got {got}, want {want}")


def step(threshold, calls):
    """A path that drops exactly from `threshold` frames/s on."""
    def measure(rate):
        calls.append(rate)
        return {"rate_pps": rate, "drops": 1 if rate >= threshold else 0}
    return measure


def bisection_on_steps():
    for threshold in (1001, 1500, 1999, 2000, 2001, 3999, 4000):
        calls = []
        clean, onset, points = droponset.bisect_onset(step(threshold, calls), 1000, 4000, 100)
        want_onset = -(-threshold // 100) * 100
        check(f"step {threshold}: onset", onset, want_onset)
        check(f"step {threshold}: clean", clean, want_onset - 100)
        check(f"step {threshold}: each rate run once", len(calls), len(set(calls)))
        check(f"step {threshold}: points", sorted(points), sorted(calls))
    # Nothing drops up to 4000: the top doubles until it does.
    clean, onset, _ = droponset.bisect_onset(step(9050, []), 1000, 4000, 100)
    check("doubling high: clean, onset", (clean, onset), (9000, 9100))
    # The low end drops already: no clean rate, the low end is reported.
    check("low drops", droponset.bisect_onset(step(500, []), 1000, 4000, 100)[:2], (None, 1000))
    # Nothing drops even at 4000 x 16, the last doubling: no onset, that rate is clean.
    calls = []
    check("never drops", droponset.bisect_onset(step(10**9, calls), 1000, 4000, 100)[:2],
          (64000, None))
    check("never drops: rates run", calls, [1000, 4000, 8000, 16000, 32000, 64000])


def real_search(irqlab):
    with tempfile.TemporaryDirectory(prefix="droponset-test-") as temp:
        temp = pathlib.Path(temp)
        args = droponset.parse_args(["--irqlab", irqlab, "--path", "nic-large", "--personality",
                                     "linux", "--packets", "40", "--low", "48000", "--high",
                                     "49000", "--resolution", "100", "--nice", "0"])
        result = droponset.search(args, "nic-large", "linux", temp)
        check("nic-large, 40 frames: clean", result["clean_pps"], 48400)
        check("nic-large, 40 frames: onset", result["onset_pps"], 48500)
        onset = next(p for p in result["points"] if p["rate_pps"] == 48500)
        check("causes at the onset", sorted(onset["by_cause"]), ["nic.fifo_overflow"])
        clean = next(p for p in result["points"] if p["rate_pps"] == 48400)
        check("clean run delivers all", clean["delivered"], 40)
        # A run that ends before its frames are all offered is an error, not "no drop".
        args.override = ["duration_cycles=60000"]
        try:
            droponset.Runner(args, droponset.PATHS["nic-large"], "linux", temp / "short")(48000)
            failures.append("a run cut short was read as a result")
        except droponset.RunError as e:
            if "frames offered before the end" not in str(e):
                failures.append(f"unexpected error for a short run: {e}")


def main():
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    bisection_on_steps()
    real_search(sys.argv[1])
    for f in failures:
        print(f"FAIL {f}")
    print("droponset: ok" if not failures else f"droponset: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
