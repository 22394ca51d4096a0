"""A latency summary's histogram: [(value, count), ...] ascending.

From the summary's own `distribution` when results.json has it; else counted from the
run's samples.jsonl, whose records are exactly the samples behind the summary
(docs/results-schema.md): T2 - T0 of a source's `latency` records, T3 - T0 of its
`deferred` records. Called from the report's main thread.
"""
import json
from collections import Counter

# Which samples.jsonl records, and which difference of theirs, make each per-source summary.
SAMPLE_DIFFERENCES = {
    "latency": ("latency", "t2", "t0"),
    "deferred_latency": ("deferred", "t3", "t0"),
}


def read_samples(path):
    """Every sample record of a samples.jsonl (header skipped); [] without the file."""
    records = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                if "kind" in record:
                    records.append(record)
    except FileNotFoundError:
        return []
    return records


def source_distribution(source, summary_key, samples):
    """(histogram, where it came from) for sources[i][summary_key]; histogram may be []."""
    summary = source.get(summary_key) or {}
    if "distribution" in summary:
        return [(int(v), int(n)) for v, n in summary["distribution"]], "results.json"
    kind, later, earlier = SAMPLE_DIFFERENCES[summary_key]
    counts = Counter(r[later] - r[earlier] for r in samples
                     if r.get("kind") == kind and r.get("source") == source.get("source")
                     and r.get(later) is not None and r.get(earlier) is not None)
    return sorted(counts.items()), "samples.jsonl"
