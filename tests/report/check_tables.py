#!/usr/bin/python3
"""The numbers in report.html's tables are results.json's own.

Reads OUTDIR/results.json with the standard json module (not the report's reader),
derives every table the report must hold from docs/report.md's column lists, and compares
each cell with report.html's, parsed with html.parser: numbers equal as numbers (integers
digit for digit), names equal as text, a field the file lacks shown as "—". Also checks
that every plot the page shows has its PNG and SVG in report-plots/.
Usage: check_tables.py OUTDIR
"""
import json
import os
import sys
from html.parser import HTMLParser

SUMMARY = ("count", "min", "mean", "p50", "p90", "p99", "p99_9", "max")
ABSENT = object()


class Tables(HTMLParser):
    """{table id: list of rows (header row first), each a list of cell texts}; img sources."""

    def __init__(self):
        super().__init__()
        self.tables, self.images, self.links = {}, [], []
        self._rows = self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "id" in attrs:
            self._rows = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = ""
        elif tag == "img":
            self.images.append(attrs.get("src", ""))
        elif tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(self._cell)
            self._cell = None
        elif tag == "table":
            self._rows = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def get(obj, *keys):
    for key in keys:
        if not isinstance(obj, dict) or key not in obj:
            return ABSENT
        obj = obj[key]
    return obj


def summary(obj):
    return [get(obj, k) for k in SUMMARY]


def switches(obj):
    return [get(obj, "switches", k) for k in ("full", "light", "interrupt")]


def is_summary(v):
    return isinstance(v, dict) and all(k in v for k in ("count", "min", "max"))


def scalars(obj, prefix=""):
    rows = []
    for k, v in obj.items():
        if isinstance(v, dict):
            if not is_summary(v):
                rows += scalars(v, f"{prefix}{k}.")
        elif not isinstance(v, list):
            rows.append([f"{prefix}{k}", v])
    return rows


def summaries(obj, prefix=""):
    rows = []
    for k, v in obj.items():
        if is_summary(v):
            rows.append([f"{prefix}{k}", *summary(v)])
        elif isinstance(v, dict):
            rows += summaries(v, f"{prefix}{k}.")
    return rows


def expected_tables(name, r):
    """{table id: rows} that docs/report.md promises for one run."""
    src = r.get("sources", [])
    t = {f"sources-{name}": [[s["source"], s["name"], s["kind"], s["priority"], s["asserted"],
                              s["requests"], s["handled"], s["claimed_in_running_trap"],
                              *summary(s["latency"])] for s in src],
         f"cpus-{name}": [[c["cpu"], c["interrupts"], c["spurious"], c["ticks"], *switches(c)]
                          for c in r.get("cpus", [])]}
    if any("deferred_latency" in s for s in src):
        t[f"source-deferred-{name}"] = [[s["source"], s["name"], *summary(s["deferred_latency"])]
                                        for s in src if "deferred_latency" in s]
    if any(s.get("per_cpu") for s in src):
        t[f"source-cpus-{name}"] = [[s["source"], s["name"], c["cpu"], *summary(c["latency"])]
                                    for s in src for c in s.get("per_cpu", [])]
    if any(s.get("dropped") for s in src):
        t[f"source-drops-{name}"] = [[s["source"], s["name"], cause, n]
                                     for s in src for cause, n in s.get("dropped", {}).items()]
    if r.get("deferred"):
        t[f"deferred-{name}"] = [
            [d["name"], d["level"], d["mechanism"], d["raised"], d["coalesced"], d["runs"],
             d["latency_total"], d["latency_max"], d["blocked"], d["blocked_cycles"],
             *switches(d), get(d, "latency", "mean"), get(d, "latency", "p99"),
             get(d, "latency", "max")] for d in r["deferred"]]
    if r.get("locks"):
        t[f"locks-{name}"] = [[k["name"], k["acquisitions"], k["contended"], k["blocked_cycles"],
                               k["max_blocked_cycles"], k["holder"]] for k in r["locks"]]
    if r.get("lwps"):
        t[f"lwps-{name}"] = [[w["id"], w["name"], *switches(w)] for w in r["lwps"]]
    for block in ("nic", "crypto", "ipsec"):
        if isinstance(r.get(block), dict):
            t[f"{block}-{name}"] = scalars(r[block])
            if summaries(r[block]):
                t[f"{block}-summaries-{name}"] = summaries(r[block])
    if r.get("ipsec", {}).get("stages"):
        t[f"ipsec-stages-{name}"] = [[s["point"], *summary(s["from_mac"])]
                                     for s in r["ipsec"]["stages"]]
    return t


def same(expected, text):
    if expected is ABSENT or expected is None:
        return text == "—"
    if isinstance(expected, bool):
        return text == ("true" if expected else "false")
    if isinstance(expected, int):
        return text == str(expected)
    if isinstance(expected, float):
        try:
            return float(text) == expected
        except ValueError:
            return False
    return text == str(expected)


def main(out_dir):
    with open(os.path.join(out_dir, "results.json"), encoding="utf-8") as f:
        document = json.load(f)
    page = Tables()
    with open(os.path.join(out_dir, "report.html"), encoding="utf-8") as f:
        page.feed(f.read())
    comparison = document["schema"].startswith("irqlab.comparison/")
    if comparison:
        runs = [(n, document["runs"][n]) for n in document["personalities"]
                if document["runs"].get(n) is not None]
    else:
        personality = document.get("scenario", {}).get("personality")
        runs = [(personality["name"] if isinstance(personality, dict) else "run", document)]
    expected = {}
    for name, results in runs:
        expected.update(expected_tables(name, results))
    if comparison and len(document["personalities"]) > 1:
        expected["overview"] = [
            [n, r["status"], r["error"], r["simulated_cycles"]] if r is not None else
            [n, "no results", None, None]
            for n, r in ((n, document["runs"].get(n)) for n in document["personalities"])]
    if document.get("children"):
        expected["children"] = [[n, c["status"], c["exit"], c["signal"], c["message"]]
                                for n, c in document["children"].items()]
    failures = []
    if sorted(expected) != sorted(page.tables):
        failures.append(f"tables: expected {sorted(expected)}, page has {sorted(page.tables)}")
    cells = 0
    for table_id, rows in expected.items():
        page_rows = page.tables.get(table_id, [])[1:]  # the header row first
        if len(page_rows) != len(rows):
            failures.append(f"{table_id}: {len(page_rows)} rows, expected {len(rows)}")
            continue
        for row, page_row in zip(rows, page_rows):
            if len(row) != len(page_row):
                failures.append(f"{table_id}: row {page_row} has {len(page_row)} cells, "
                                f"expected {len(row)}")
                continue
            for value, text in zip(row, page_row):
                cells += 1
                if not same(value, text):
                    failures.append(f"{table_id}: cell {text!r}, results.json has {value!r} "
                                    f"(row {page_row[0]!r})")
    plots = [link for link in page.links if link.startswith("report-plots/")]
    for link in plots:
        if not os.path.getsize(os.path.join(out_dir, link)):
            failures.append(f"{link}: empty")
    if not plots or len(page.images) * 2 != len(plots):
        failures.append(f"{len(page.images)} plots on the page, {len(plots)} plot links")
    for failure in failures[:40]:
        print("FAIL", failure)
    print(f"{len(expected)} tables, {cells} cells, {len(page.images)} plots checked")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
