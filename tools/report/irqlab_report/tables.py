"""The report's tables, as data: each cell is the text results.json spells the figure
with (inputs.number_text), or a name; "—" where the file has no such field.

Tables are per run (personality); a comparison adds an overview. docs/report.md lists
every table and its columns. Called from the report's main thread.
"""
from dataclasses import dataclass

from .inputs import number_text

MISSING = "—"
SUMMARY_FIELDS = ("count", "min", "mean", "p50", "p90", "p99", "p99_9", "max")
SUMMARY_HEADERS = ("count", "min", "mean", "p50", "p90", "p99", "p99.9", "max")


@dataclass
class Table:
    id: str        # unique in the page: "<section>-<personality>" or "overview"/"children"
    caption: str
    headers: list
    rows: list     # lists of str


def cell(value):
    text = number_text(value)
    return MISSING if text is None else text


def summary_cells(summary):
    summary = summary or {}
    return [cell(summary.get(k)) for k in SUMMARY_FIELDS]


def is_summary(value):
    return isinstance(value, dict) and {"count", "min", "max"} <= value.keys()


def flatten_scalars(value, prefix=""):
    """(dotted path, scalar) of every scalar under `value`, leaving out summaries and lists."""
    out = []
    for key, item in value.items():
        path = f"{prefix}{key}"
        if isinstance(item, dict):
            if not is_summary(item):
                out.extend(flatten_scalars(item, path + "."))
        elif not isinstance(item, list):
            out.append((path, item))
    return out


def flatten_summaries(value, prefix=""):
    """(dotted path, summary) of every summary under `value` (lists left out)."""
    out = []
    for key, item in value.items():
        path = f"{prefix}{key}"
        if is_summary(item):
            out.append((path, item))
        elif isinstance(item, dict):
            out.extend(flatten_summaries(item, path + "."))
    return out


def switches_cells(switches):
    switches = switches or {}
    return [cell(switches.get(k)) for k in ("full", "light", "interrupt")]


def run_tables(run):
    """Every table of one run, in page order."""
    r, p = run.results, run.name
    tables = [Table(f"sources-{p}", f"{p}: interrupt latency T2 − T0 per source, cycles",
                    ["source", "name", "kind", "priority", "asserted", "requests", "handled",
                     "claimed in running trap", *SUMMARY_HEADERS],
                    [[cell(s.get("source")), cell(s.get("name")), cell(s.get("kind")),
                      cell(s.get("priority")), cell(s.get("asserted")), cell(s.get("requests")),
                      cell(s.get("handled")), cell(s.get("claimed_in_running_trap")),
                      *summary_cells(s.get("latency"))] for s in r.get("sources", [])])]
    deferred_sources = [s for s in r.get("sources", []) if "deferred_latency" in s]
    if deferred_sources:
        tables.append(Table(f"source-deferred-{p}",
                            f"{p}: deferred-work latency T3 − T0 per source, cycles",
                            ["source", "name", *SUMMARY_HEADERS],
                            [[cell(s.get("source")), cell(s.get("name")),
                              *summary_cells(s["deferred_latency"])] for s in deferred_sources]))
    per_cpu = [[cell(s.get("source")), cell(s.get("name")), cell(c.get("cpu")),
                *summary_cells(c.get("latency"))]
               for s in r.get("sources", []) for c in s.get("per_cpu", [])]
    if per_cpu:
        tables.append(Table(f"source-cpus-{p}", f"{p}: interrupt latency T2 − T0 per source "
                            "and CPU, cycles", ["source", "name", "cpu", *SUMMARY_HEADERS],
                            per_cpu))
    drops = [[cell(s.get("source")), cell(s.get("name")), cause, cell(count)]
             for s in r.get("sources", []) for cause, count in (s.get("dropped") or {}).items()]
    if drops:
        tables.append(Table(f"source-drops-{p}", f"{p}: dropped requests per source by cause",
                            ["source", "name", "cause", "dropped"], drops))
    tables.append(Table(f"cpus-{p}", f"{p}: CPUs", ["cpu", "interrupts", "spurious", "ticks",
                                                    "FS", "LS", "IC"],
                        [[cell(c.get("cpu")), cell(c.get("interrupts")), cell(c.get("spurious")),
                          cell(c.get("ticks")), *switches_cells(c.get("switches"))]
                         for c in r.get("cpus", [])]))
    if r.get("deferred"):
        tables.append(Table(
            f"deferred-{p}", f"{p}: deferred work (T3: start of the work)",
            ["name", "level", "mechanism", "raised", "coalesced", "runs", "latency_total",
             "latency_max", "blocked", "blocked_cycles", "FS", "LS", "IC", "T3−T0 mean",
             "T3−T0 p99", "T3−T0 max"],
            [[cell(d.get("name")), cell(d.get("level")), cell(d.get("mechanism")),
              cell(d.get("raised")), cell(d.get("coalesced")), cell(d.get("runs")),
              cell(d.get("latency_total")), cell(d.get("latency_max")), cell(d.get("blocked")),
              cell(d.get("blocked_cycles")), *switches_cells(d.get("switches")),
              *[cell((d.get("latency") or {}).get(k)) for k in ("mean", "p99", "max")]]
             for d in r["deferred"]]))
    if r.get("locks"):
        tables.append(Table(f"locks-{p}", f"{p}: locks",
                            ["name", "acquisitions", "contended", "blocked_cycles",
                             "max_blocked_cycles", "holder"],
                            [[cell(k.get("name")), cell(k.get("acquisitions")),
                              cell(k.get("contended")), cell(k.get("blocked_cycles")),
                              cell(k.get("max_blocked_cycles")), cell(k.get("holder"))]
                             for k in r["locks"]]))
    if r.get("lwps"):
        tables.append(Table(f"lwps-{p}", f"{p}: LWPs (switches into each, interrupts taken "
                            "while it ran)", ["id", "name", "FS", "LS", "IC"],
                            [[cell(w.get("id")), cell(w.get("name")),
                              *switches_cells(w.get("switches"))] for w in r["lwps"]]))
    for block in ("nic", "crypto", "ipsec"):
        if isinstance(r.get(block), dict):
            tables.extend(block_tables(p, block, r[block]))
    return tables


def block_tables(personality, block, value):
    """A results block (nic, crypto, ipsec) as a field/value table, a summaries table and,
    for ipsec, its path points."""
    tables = [Table(f"{block}-{personality}", f"{personality}: {block}", ["field", "value"],
                    [[path, cell(v)] for path, v in flatten_scalars(value)])]
    summaries = flatten_summaries(value)
    if summaries:
        tables.append(Table(f"{block}-summaries-{personality}",
                            f"{personality}: {block} summaries, cycles",
                            ["summary", *SUMMARY_HEADERS],
                            [[path, *summary_cells(s)] for path, s in summaries]))
    if block == "ipsec" and value.get("stages"):
        tables.append(Table(f"ipsec-stages-{personality}",
                            f"{personality}: packet path points, cycles from the frame at "
                            "the MAC", ["point", *SUMMARY_HEADERS],
                            [[cell(s.get("point")), *summary_cells(s.get("from_mac"))]
                             for s in value["stages"]]))
    return tables


def overview_tables(output):
    """The comparison's own tables: each personality's status, and its children."""
    tables = []
    if len(output.personalities) > 1:
        runs = {run.name: run.results for run in output.runs}
        rows = [[name, cell(runs[name].get("status")), cell(runs[name].get("error")),
                 cell(runs[name].get("simulated_cycles"))] if name in runs else
                [name, "no results", MISSING, MISSING] for name in output.personalities]
        tables.append(Table("overview", "runs", ["personality", "status", "error",
                                                 "simulated_cycles"], rows))
    if output.children:
        tables.append(Table("children", "child processes of the comparison",
                            ["personality", "status", "exit", "signal", "message"],
                            [[c.name, cell(c.status), cell(c.exit), cell(c.signal),
                              cell(c.message)] for c in output.children]))
    return tables
