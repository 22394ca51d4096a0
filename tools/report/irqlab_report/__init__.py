"""irqlab report: one self-contained HTML page with matplotlib plots of a run's results.

The package reads the results.json an `irqlab run` wrote (a single run or a comparison
of personalities) and, only where a summary carries no `distribution`, the run's
samples.jsonl. Figures are never recomputed: tables print results.json's own numbers as
the file spells them, and plots draw the file's histograms. Modules by concern:
inputs (reading and checking the files), distributions (a summary's histogram),
tables (the tables' rows), plots (matplotlib figures), page (the HTML), main (the
command line). Everything runs in one single-threaded process started by
`irqlab report OUTDIR` (cosim/cli/report_command.cpp) or by hand.
"""
