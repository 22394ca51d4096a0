"""The HTML page: one file with its CSS inline and every plot embedded as a base64 SVG
data URI (each plot stays its own SVG document, so ids never clash), linked to its PNG
and SVG in report-plots/. Every name from the results is HTML-escaped. Called from the
report's main thread.
"""
import base64
from html import escape

STYLE = """
body { font-family: sans-serif; margin: 1.5em auto; max-width: 1200px; color: #222; }
h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.8em 0 1.4em; font-size: 0.85em; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; }
th { background: #eef; } td { text-align: right; font-variant-numeric: tabular-nums; }
td.text { text-align: left; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: 0.85em; color: #555; }
.meta td { text-align: left; } nav a { margin-right: 1em; }
"""


def _numeric(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def table_html(table):
    head = "".join(f"<th>{escape(h)}</th>" for h in table.headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" if _numeric(c) else
                         f"<td class=\"text\">{escape(c)}</td>" for c in row) + "</tr>\n"
        for row in table.rows)
    return (f"<table id=\"{escape(table.id)}\"><caption>{escape(table.caption)}</caption>\n"
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody></table>\n")


def plot_html(plot, plots_dir):
    data = base64.b64encode(plot.svg).decode("ascii")
    note = f" ({escape(plot.note)})" if plot.note else ""
    return (f"<figure id=\"plot-{escape(plot.name)}\"><img alt=\"{escape(plot.title)}\" "
            f"src=\"data:image/svg+xml;base64,{data}\">\n<figcaption>{escape(plot.title)}{note}: "
            f"<a href=\"{escape(plots_dir)}/{escape(plot.name)}.png\">PNG</a> "
            f"<a href=\"{escape(plots_dir)}/{escape(plot.name)}.svg\">SVG</a></figcaption>"
            f"</figure>\n")


def page_html(output, sections, plots_dir):
    """`sections`: [(title, [Plot or Table renderer output strings])] in page order."""
    personalities = ", ".join(output.personalities)
    meta = [("scenario", output.scenario_name), ("schema", output.schema),
            ("status", output.status), ("personalities", personalities)]
    if output.runs:
        scenario = output.runs[0].results.get("scenario", {})
        meta += [("seed", str(scenario.get("seed", "—"))),
                 ("duration, cycles", str(scenario.get("duration_cycles", "—"))),
                 ("harts", str(scenario.get("harts", "—")))]
        version = output.runs[0].results.get("irqlab")
        if isinstance(version, dict):
            meta.append(("irqlab", f"{version.get('version', '?')} ({version.get('commit', '?')})"))
    meta_rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in meta)
    nav = "".join(f"<a href=\"#section-{i}\">{escape(title)}</a>"
                  for i, (title, _) in enumerate(sections))
    body = "".join(f"<h2 id=\"section-{i}\">{escape(title)}</h2>\n" + "".join(parts)
                   for i, (title, parts) in enumerate(sections))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            f"<title>irqlab report: {escape(output.scenario_name)}</title>\n"
            f"<style>{STYLE}</style></head><body>\n"
            f"<h1>irqlab report: {escape(output.scenario_name)}</h1>\n"
            f"<table class=\"meta\">{meta_rows}</table>\n<nav>{nav}</nav>\n{body}"
            "<p>Figures are results.json's own, printed as the file writes them; plots draw "
            "its histograms (docs/report.md).</p>\n</body></html>\n")
