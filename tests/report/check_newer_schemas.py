#!/usr/bin/python3
"""The report reads irqlab.comparison/2 and irqlab.results/3 with the fields the other
parts of issue 11 add, before every run writes them: from a real comparison it derives a
comparison/2 (one child killed, its run null, and the children's records) whose runs are
results/3 (personality name, `distribution` histograms counted here from samples.jsonl,
`per_cpu`, `dropped`, `deferred[].latency`), runs `irqlab report` on it, and checks its
tables with check_tables.py and that its latency plots say they came from results.json.
Usage: check_newer_schemas.py IRQLAB PYTHON COMPARISON_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter


def histogram(samples, kind, source, later):
    counts = Counter(r[later] - r["t0"] for r in samples
                     if r.get("kind") == kind and r.get("source") == source)
    return [[v, n] for v, n in sorted(counts.items())]


def upgrade(results, name, samples):
    results["schema"] = "irqlab.results/3"
    results["scenario"]["personality"] = {"name": name, "options": {}}
    for source in results["sources"]:
        source["latency"]["distribution"] = histogram(samples, "latency", source["source"], "t2")
        source["per_cpu"] = [{"cpu": 0, "latency": dict(source["latency"])}]
        source["dropped"] = {"masked": 0, "overrun": 1}
        if "deferred_latency" in source:
            source["deferred_latency"]["distribution"] = histogram(
                samples, "deferred", source["source"], "t3")
    for work in results.get("deferred", []):
        work["latency"] = {"count": 1, "min": 7, "mean": 7.5, "p50": 7, "p90": 8, "p99": 8,
                           "p99_9": 8, "max": 8}
    return results


def main(irqlab, python, comparison_dir):
    with open(os.path.join(comparison_dir, "results.json"), encoding="utf-8") as f:
        document = json.load(f)
    killed = document["personalities"][-1]
    with tempfile.TemporaryDirectory(prefix="irqlab-report-newer-") as out_dir:
        for name in document["personalities"]:
            if name == killed:
                document["runs"][name] = None
                continue
            os.makedirs(os.path.join(out_dir, name))
            shutil.copy(os.path.join(comparison_dir, name, "samples.jsonl"),
                        os.path.join(out_dir, name))
            with open(os.path.join(out_dir, name, "samples.jsonl"), encoding="utf-8") as f:
                samples = [json.loads(line) for line in f][1:]
            document["runs"][name] = upgrade(document["runs"][name], name, samples)
        document["schema"] = "irqlab.comparison/2"
        document["children"] = {
            name: ({"status": "killed", "exit": None, "signal": 9, "message": "killed <by> test"}
                   if name == killed else
                   {"status": "ok", "exit": 0, "signal": None, "message": ""})
            for name in document["personalities"]}
        with open(os.path.join(out_dir, "results.json"), "w", encoding="utf-8") as f:
            json.dump(document, f, indent=2)
        subprocess.run([irqlab, "report", out_dir], check=True, timeout=900)
        tables = subprocess.run([python, os.path.join(os.path.dirname(__file__),
                                                      "check_tables.py"), out_dir])
        with open(os.path.join(out_dir, "report.html"), encoding="utf-8") as f:
            html = f.read()
        from_results = html.count("T2 − T0, cycles (from results.json)")
        print(f"latency plots drawn from results.json's distributions: {from_results}")
        return 0 if tables.returncode == 0 and from_results > 0 else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
