"""The report's matplotlib figures (Agg backend), each saved as PNG and SVG.

Every figure draws results.json's figures or the histograms of distributions.py, never a
statistic computed another way. Output is deterministic: fixed SVG hash salt, no dates,
fixed PNG metadata, so the same results give the same files. Called from the report's
main thread (matplotlib's pyplot state is not thread-safe).
"""
import io
import os
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (the backend must be chosen first)

from .distributions import read_samples, source_distribution  # noqa: E402

plt.rcParams.update({
    "svg.hashsalt": "irqlab-report",
    "font.size": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
})
TIMELINE_INTERRUPTS = 12  # interrupts per personality in the timeline excerpt
TIMELINE_POINTS = ("t0", "t1", "t2", "t3", "t4", "t5")


@dataclass
class Plot:
    name: str       # file stem in report-plots/
    title: str
    svg: bytes
    png: bytes
    note: str = ""  # where the data came from


def _render(figure, name, title, note=""):
    svg, png = io.BytesIO(), io.BytesIO()
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": "irqlab report"},
                   bbox_inches="tight")
    figure.savefig(png, format="png", dpi=100, metadata={"Software": "irqlab report"},
                   bbox_inches="tight")
    plt.close(figure)
    return Plot(name, title, svg.getvalue(), png.getvalue(), note)


def file_stem(text):
    """A file-name-safe stem for a source or personality name."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in text)


def _source_key(source):
    return (source.get("source"), source.get("name"))


def latency_plots(runs):
    """Per source (matched by number and name across personalities): CDF and histogram of
    T2 - T0, and of T3 - T0 where the source asks for deferred work."""
    samples = {run.name: None for run in runs}
    keys = []
    for run in runs:
        for source in run.results.get("sources", []):
            if _source_key(source) not in keys:
                keys.append(_source_key(source))
    plots = []
    for summary_key, label in (("latency", "T2 − T0"), ("deferred_latency", "T3 − T0")):
        for key in keys:
            series, origins = [], set()
            for run in runs:
                source = next((s for s in run.results.get("sources", [])
                               if _source_key(s) == key and summary_key in s), None)
                if source is None:
                    continue
                if "distribution" not in (source.get(summary_key) or {}) and \
                        samples[run.name] is None and run.samples_path:
                    samples[run.name] = read_samples(run.samples_path)
                histogram, origin = source_distribution(source, summary_key,
                                                        samples[run.name] or [])
                if histogram:
                    series.append((run.name, histogram))
                    origins.add(origin)
            if series:
                number, name = key
                stem = f"{'latency' if summary_key == 'latency' else 'deferred'}-" \
                       f"{number}-{file_stem(str(name))}"
                plots.append(_distribution_figure(
                    series, stem, f"source {number} {name}: {label}, cycles",
                    "from " + " and ".join(sorted(origins))))
    return plots


def _distribution_figure(series, stem, title, note):
    """CDF and histogram side by side, one series per personality. Personalities often
    share values, so each draws thinner lines and smaller markers than the one before it,
    and every one stays visible."""
    figure, (cdf, hist) = plt.subplots(1, 2, figsize=(10, 3.2))
    markers = "osD^v<>p"
    for index, (name, histogram) in enumerate(series):
        values = [v for v, _ in histogram]
        counts = [n for _, n in histogram]
        total = sum(counts)
        running, fractions = 0, []
        for n in counts:
            running += n
            fractions.append(running / total)
        width = max(0.8, 3.0 - 0.6 * index)
        cdf.step([values[0]] + values, [0.0] + fractions, where="post", label=name,
                 linewidth=width)
        colour = cdf.lines[-1].get_color()
        hist.vlines(values, 0, counts, colors=colour, linewidth=width)
        hist.plot(values, counts, linestyle="none", marker=markers[index % len(markers)],
                  markersize=max(3.0, 8.0 - 1.5 * index), color=colour, label=name)
    cdf.set(title="CDF", xlabel="cycles", ylabel="fraction of samples", ylim=(0, 1.02))
    hist.set(title="histogram (samples per value)", xlabel="cycles", ylabel="samples")
    hist.set_ylim(bottom=0)
    cdf.legend(fontsize=8)
    figure.suptitle(title, y=1.03)
    return _render(figure, stem, title, note)


def switch_plots(runs):
    """FS/LS/IC bars: per packet the user read (ipsec.per_packet) and per CPU."""
    plots = []
    per_packet = [(run.name, run.results["ipsec"]["per_packet"]) for run in runs
                  if isinstance(run.results.get("ipsec"), dict)
                  and "per_packet" in run.results["ipsec"]]
    if per_packet:
        plots.append(_grouped_bars(
            [name for name, _ in per_packet],
            [[float(p.get(k, 0)) for k in ("fs", "ls", "ic")] for _, p in per_packet],
            "switches-per-packet", "FS/LS/IC per packet the user read (ipsec.per_packet)",
            "switches per packet"))
    groups, values = [], []
    for run in runs:
        cpus = run.results.get("cpus", [])
        for cpu in cpus:
            groups.append(run.name if len(cpus) == 1 else f"{run.name} cpu{cpu.get('cpu')}")
            switches = cpu.get("switches", {})
            values.append([float(switches.get(k, 0)) for k in ("full", "light", "interrupt")])
    if groups:
        plots.append(_grouped_bars(groups, values, "switches-per-cpu",
                                   "FS/LS/IC per CPU over the run (cpus[].switches)", "switches"))
    return plots


def _grouped_bars(groups, values, stem, title, ylabel):
    figure, axes = plt.subplots(figsize=(max(6, 1.4 * len(groups) + 2), 3.4))
    width = 0.26
    for i, label in enumerate(("FS (full)", "LS (light)", "IC (interrupt)")):
        xs = [g + (i - 1) * width for g in range(len(groups))]
        bars = axes.bar(xs, [v[i] for v in values], width, label=label)
        axes.bar_label(bars, fmt="%g", fontsize=7)
    axes.set_xticks(range(len(groups)), groups, rotation=20 if len(groups) > 4 else 0)
    axes.set(title=title, ylabel=ylabel)
    axes.legend(fontsize=8)
    return _render(figure, stem, title)


def stage_plot(runs):
    """The packet path as stacked bars: each segment is the difference of consecutive path
    points' mean cycles from the MAC (ipsec.stages[].from_mac.mean)."""
    rows = []
    for run in runs:
        stages = (run.results.get("ipsec") or {}).get("stages") or []
        points = [(s["point"], float(s["from_mac"]["mean"])) for s in stages
                  if (s.get("from_mac") or {}).get("count")]
        if len(points) > 1:
            rows.append((run.name, points))
    if not rows:
        return []
    segment_names = []
    for _, points in rows:
        for (a, _), (b, _) in zip(points, points[1:]):
            if f"{a} → {b}" not in segment_names:
                segment_names.append(f"{a} → {b}")
    colours = plt.get_cmap("tab20")
    figure, axes = plt.subplots(figsize=(10, max(3.4, 1.2 + 0.6 * len(rows))))
    for y, (name, points) in enumerate(rows):
        for (a, start), (b, end) in zip(points, points[1:]):
            index = segment_names.index(f"{a} → {b}")
            axes.barh(y, end - start, left=start, color=colours(index % 20),
                      edgecolor="white", linewidth=0.3)
    axes.set_yticks(range(len(rows)), [name for name, _ in rows])
    axes.invert_yaxis()
    axes.set(title="packet path: mean cycles from the frame at the MAC, stage by stage",
             xlabel="cycles from the frame's last byte at the MAC (means over the packets read)")
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours(i % 20))
               for i in range(len(segment_names))]
    axes.legend(handles, segment_names, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    return [_render(figure, "packet-path-stages", "packet path, stage by stage (ipsec.stages)")]


def _timeline_records(samples):
    """The first latency records with their T3 (the record's own t3, else the deferred
    record of the same source and T0)."""
    t3_of = {(r["source"], r["t0"]): r["t3"] for r in samples
             if r.get("kind") == "deferred" and "t3" in r}
    chosen = []
    for r in samples:
        if r.get("kind") != "latency":
            continue
        record = dict(r)
        record.setdefault("t3", t3_of.get((r.get("source"), r.get("t0"))))
        chosen.append(record)
        if len(chosen) == TIMELINE_INTERRUPTS:
            break
    return chosen


def timeline_plot(runs, names_of_sources):
    """A Gantt-like excerpt: the first interrupts of each run, T0..T5 from samples.jsonl,
    one row per interrupt, cycles from its T0. A point earlier than the one before it (a
    request a running trap claimed) is left out of that row."""
    excerpts = []
    for run in runs:
        if run.samples_path and os.path.exists(run.samples_path):
            records = _timeline_records(read_samples(run.samples_path))
            if records:
                excerpts.append((run.name, records))
    if not excerpts:
        return []
    colours = plt.get_cmap("tab10")
    height = sum(0.28 * len(records) + 0.7 for _, records in excerpts)
    figure, axes_list = plt.subplots(len(excerpts), 1, figsize=(11, height), squeeze=False,
                                   sharex=True)
    segment_labels = []
    for axes, (name, records) in zip(axes_list[:, 0], excerpts):
        labels = []
        for y, record in enumerate(records):
            t0 = record["t0"]
            points = [(p, record[p]) for p in TIMELINE_POINTS if record.get(p) is not None]
            ordered = [points[0]]
            for point in points[1:]:
                if point[1] >= ordered[-1][1]:
                    ordered.append(point)
            for (a, start), (b, end) in zip(ordered, ordered[1:]):
                label = f"{a.upper()} → {b.upper()}"
                if label not in segment_labels:
                    segment_labels.append(label)
                axes.barh(y, end - start, left=start - t0,
                          color=colours(segment_labels.index(label) % 10))
            source = names_of_sources.get((name, record.get("source")), record.get("source"))
            labels.append(f"{source} cpu{record.get('cpu')} @{t0}")
        axes.set_yticks(range(len(records)), labels, fontsize=7)
        axes.invert_yaxis()
        axes.set_title(f"{name}: the first {len(records)} interrupts (samples.jsonl)", fontsize=9)
        axes.set_xlabel("cycles from the request's T0")
        axes.xaxis.set_tick_params(labelbottom=True)
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours(i % 10))
               for i in range(len(segment_labels))]
    axes_list[0, 0].legend(handles, segment_labels, fontsize=7, loc="lower right")
    figure.tight_layout()
    return [_render(figure, "timeline", "timeline excerpt: T0..T5 of the first interrupts")]
