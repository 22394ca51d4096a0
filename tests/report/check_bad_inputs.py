#!/usr/bin/python3
"""`irqlab report` on bad inputs: each case exits non-zero with one clear message naming
the file (or directory) and what is wrong; names with characters HTML can't hold as they
are come out escaped, never as markup.
Usage: check_bad_inputs.py IRQLAB RUN_DIR   (RUN_DIR: a single run's output directory)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

ODD_NAME = '<script>alert("x")</script> & \'q\' é'


def write(path, content):
    """Writes text as UTF-8, bytes as they are."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)


def run_report(irqlab, out_dir):
    result = subprocess.run([irqlab, "report", out_dir], capture_output=True, text=True,
                            timeout=600)
    return result.returncode, result.stderr.strip()


def main(irqlab, run_dir):
    with open(os.path.join(run_dir, "results.json"), encoding="utf-8") as f:
        good = json.load(f)
    failures = []
    with tempfile.TemporaryDirectory(prefix="irqlab-report-bad-") as root:
        def case(name, files, expected):
            out_dir = os.path.join(root, name)
            os.makedirs(out_dir)
            for relative, text in files.items():
                write(os.path.join(out_dir, relative), text)
            code, message = run_report(irqlab, out_dir)
            wanted = expected.format(dir=out_dir, file=os.path.join(out_dir, "results.json"))
            ok = code != 0 and message == f"irqlab report: error: {wanted}"
            print(f"{'ok  ' if ok else 'FAIL'} {name}: exit {code}: {message}")
            if not ok:
                failures.append(f"{name}: expected exit != 0 and the message: {wanted}")

        missing = os.path.join(root, "does-not-exist")
        code, message = run_report(irqlab, missing)
        ok = code != 0 and message == f"irqlab report: error: {missing}: no such directory"
        print(f"{'ok  ' if ok else 'FAIL'} missing directory: exit {code}: {message}")
        if not ok:
            failures.append("missing directory")
        case("no-results", {}, "{file}: no such file (write it with `irqlab run ... "
                               "--out {dir}`)")
        case("malformed", {"results.json": '{"schema": "irqlab.results/3", "status": '},
             "{file}: malformed JSON: Expecting value at line 1 column 42")
        case("not-utf8", {"results.json": b'{"schema": "\xff"}'},
             "{file}: malformed JSON: not UTF-8 (invalid start byte)")
        case("no-schema", {"results.json": '{"status": "ok"}'},
             "{file}: no \"schema\" field: not an irqlab results file")
        case("old-schema", {"results.json": '{"schema": "irqlab.results/1"}'},
             "{file}: schema \"irqlab.results/1\" is not one irqlab report reads "
             "(irqlab.results/2, irqlab.results/3, irqlab.comparison/1, irqlab.comparison/2)")
        case("other-tool", {"results.json": '{"schema": "something.else/7"}'},
             "{file}: schema \"something.else/7\" is not one irqlab report reads "
             "(irqlab.results/2, irqlab.results/3, irqlab.comparison/1, irqlab.comparison/2)")
        case("comparison-of-old-runs",
             {"results.json": json.dumps({"schema": "irqlab.comparison/1", "status": "ok",
                                          "personalities": ["linux"],
                                          "runs": {"linux": {"schema": "irqlab.results/1"}}})},
             "{file} (run \"linux\"): schema \"irqlab.results/1\" is not one irqlab report "
             "reads (irqlab.results/2, irqlab.results/3, irqlab.comparison/1, "
             "irqlab.comparison/2)")

        odd = json.loads(json.dumps(good))
        odd["sources"][0]["name"] = ODD_NAME
        odd["scenario"]["name"] = ODD_NAME
        if odd.get("lwps"):
            odd["lwps"][0]["name"] = ODD_NAME
        odd_dir = os.path.join(root, "odd-names")
        os.makedirs(odd_dir)
        write(os.path.join(odd_dir, "results.json"), json.dumps(odd))
        shutil.copy(os.path.join(run_dir, good["samples_file"]), odd_dir)
        code, message = run_report(irqlab, odd_dir)
        with open(os.path.join(odd_dir, "report.html"), encoding="utf-8") as f:
            html = f.read() if code == 0 else ""
        escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27; é"
        ok = code == 0 and "<script" not in html and html.count(escaped) >= 3
        print(f"{'ok  ' if ok else 'FAIL'} odd names: exit {code}, escaped "
              f"{html.count(escaped)} times, raw <script> {'present' if '<script' in html else 'absent'}")
        if not ok:
            failures.append(f"odd names: exit {code}: {message}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
