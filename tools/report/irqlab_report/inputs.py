"""Reading an output directory: results.json (single run or comparison) and its runs.

Numbers keep the text results.json spells them with (JsonFloat), so a table prints the
file's figure itself, never a re-rounded one. Called from the report's main thread.
"""
import json
import os
from dataclasses import dataclass, field
from typing import Optional

RESULTS_SCHEMAS = ("irqlab.results/2", "irqlab.results/3")
COMPARISON_SCHEMAS = ("irqlab.comparison/1", "irqlab.comparison/2")
RESULTS_FILE = "results.json"  # cosim/output/run_outputs.h


class ReportError(Exception):
    """A bad input: the message names the file and what is wrong with it."""


class JsonFloat(float):
    """A float that remembers how results.json wrote it."""

    def __new__(cls, text):
        number = super().__new__(cls, text)
        number.text = text
        return number


def number_text(value):
    """The text results.json holds for a scalar (None for a missing value)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, JsonFloat):
        return value.text
    return str(value)


@dataclass
class Run:
    """One personality's run: its results document and the directory of its files."""

    name: str
    results: dict
    directory: str

    @property
    def samples_path(self) -> Optional[str]:
        name = self.results.get("samples_file")
        return os.path.join(self.directory, name) if name else None


@dataclass
class Child:
    """A comparison's record of one child process (irqlab.comparison/2)."""

    name: str
    status: str
    exit: object
    signal: object
    message: str


@dataclass
class OutputDirectory:
    schema: str
    status: str
    scenario_name: str
    personalities: list = field(default_factory=list)  # every name, in the file's order
    runs: list = field(default_factory=list)  # Run of each personality with results
    children: list = field(default_factory=list)  # Child, comparison/2 only


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f, parse_float=JsonFloat)
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file (write it with `irqlab run ... --out "
                          f"{os.path.dirname(path) or '.'}`)") from None
    except json.JSONDecodeError as e:
        raise ReportError(f"{path}: malformed JSON: {e.msg} at line {e.lineno} "
                          f"column {e.colno}") from None
    except UnicodeDecodeError as e:
        raise ReportError(f"{path}: malformed JSON: not UTF-8 ({e.reason})") from None
    except OSError as e:
        raise ReportError(f"{path}: cannot read: {e.strerror}") from None


def _schema_of(document, path, accepted, what):
    if not isinstance(document, dict) or not isinstance(document.get("schema"), str):
        raise ReportError(f"{path}: no \"schema\" field: not an irqlab results file")
    schema = document["schema"]
    if schema not in accepted:
        raise ReportError(f"{path}{what}: schema \"{schema}\" is not one irqlab report reads "
                          f"({', '.join(RESULTS_SCHEMAS + COMPARISON_SCHEMAS)})")
    return schema


def _personality_of(results):
    personality = results.get("scenario", {}).get("personality")
    if isinstance(personality, dict) and isinstance(personality.get("name"), str):
        return personality["name"]
    return "run"


def read_output_directory(path) -> OutputDirectory:
    """Reads OUTDIR/results.json and the runs it holds; raises ReportError."""
    if not os.path.isdir(path):
        raise ReportError(f"{path}: no such directory")
    results_path = os.path.join(path, RESULTS_FILE)
    document = read_json(results_path)
    schema = _schema_of(document, results_path, RESULTS_SCHEMAS + COMPARISON_SCHEMAS, "")
    if schema in RESULTS_SCHEMAS:
        run = Run(_personality_of(document), document, path)
        return OutputDirectory(schema, document.get("status", "?"),
                               document.get("scenario", {}).get("name", "?"), [run.name], [run])
    runs_by_name = document.get("runs")
    if not isinstance(runs_by_name, dict):
        raise ReportError(f"{results_path}: no \"runs\" object in a {schema} file")
    names = document.get("personalities") or list(runs_by_name)
    out = OutputDirectory(schema, document.get("status", "?"), "?", list(names))
    for name in names:
        results = runs_by_name.get(name)
        if results is None:  # comparison/2: the child left no results
            continue
        _schema_of(results, results_path, RESULTS_SCHEMAS, f" (run \"{name}\")")
        out.runs.append(Run(name, results, os.path.join(path, name)))
    for name, child in (document.get("children") or {}).items():
        out.children.append(Child(name, child.get("status", "?"), child.get("exit"),
                                  child.get("signal"), child.get("message", "")))
    if out.runs:
        out.scenario_name = out.runs[0].results.get("scenario", {}).get("name", "?")
    return out
