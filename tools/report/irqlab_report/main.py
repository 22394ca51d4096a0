"""irqlab report OUTDIR: writes OUTDIR/report.html and OUTDIR/report-plots/.

Outputs appear whole or not at all (as cosim/output/atomic_file.h does for the C++
outputs): the plots are written into a fresh temporary directory that replaces
report-plots/, then report.html is written under a temporary name and renamed. Exit
status 0, or 1 with one "irqlab report: error: ..." line on stderr for a bad input.
"""
import os
import shutil
import sys
import tempfile

from . import page, plots, tables
from .inputs import ReportError, read_output_directory

REPORT_FILE = "report.html"     # cosim/output/run_outputs.h
PLOTS_DIR = "report-plots"      # cosim/output/run_outputs.h


def build_sections(output):
    runs = output.runs
    sources = {(run.name, s.get("source")): s.get("name")
               for run in runs for s in run.results.get("sources", [])}
    by_table = {}
    for run in runs:
        for table in tables.run_tables(run):
            section = table.id[: -len(run.name) - 1]
            by_table.setdefault(section, []).append(table)
    every_plot = []

    def plotted(made):
        every_plot.extend(made)
        return made

    def group(*sections):
        return [t for s in sections for t in by_table.get(s, [])]

    layout = [
        ("runs", [], tables.overview_tables(output)),
        ("interrupt latency", plotted(plots.latency_plots(runs)),
         group("sources", "source-cpus", "source-drops", "source-deferred")),
        ("switches", plotted(plots.switch_plots(runs)), group("cpus", "lwps")),
        ("deferred work and locks", [], group("deferred", "locks")),
        ("packet path (IPsec)", plotted(plots.stage_plot(runs)),
         group("ipsec", "ipsec-summaries", "ipsec-stages")),
        ("NIC", [], group("nic", "nic-summaries")),
        ("crypto engine", [], group("crypto", "crypto-summaries")),
        ("timeline excerpt", plotted(plots.timeline_plot(runs, sources)), []),
    ]
    sections = [(title, [page.plot_html(p, PLOTS_DIR) for p in figures] +
                 [page.table_html(t) for t in section_tables])
                for title, figures, section_tables in layout if figures or section_tables]
    return sections, every_plot


def write_plots(out_dir, made):
    staging = tempfile.mkdtemp(prefix=".report-plots.", dir=out_dir)
    try:
        for plot in made:
            for extension, data in (("png", plot.png), ("svg", plot.svg)):
                with open(os.path.join(staging, f"{plot.name}.{extension}"), "wb") as f:
                    f.write(data)
        os.chmod(staging, 0o755)
        final = os.path.join(out_dir, PLOTS_DIR)
        if os.path.isdir(final):
            shutil.rmtree(final)
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_atomically(path, text):
    directory = os.path.dirname(path) or "."
    fd, temporary = tempfile.mkstemp(prefix=".report.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def main(argv):
    if len(argv) != 2:
        print("usage: report.py OUTDIR", file=sys.stderr)
        return 2
    out_dir = argv[1]
    try:
        output = read_output_directory(out_dir)
        sections, made = build_sections(output)
        write_plots(out_dir, made)
        path = os.path.join(out_dir, REPORT_FILE)
        write_atomically(path, page.page_html(output, sections, PLOTS_DIR))
    except ReportError as e:
        print(f"irqlab report: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"irqlab report: error: {e.filename or out_dir}: {e.strerror}", file=sys.stderr)
        return 1
    print(path)
    return 0
