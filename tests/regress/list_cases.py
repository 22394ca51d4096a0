#!/usr/bin/env python3
"""Lists the regression cases of the scenarios in a directory, for CMake (configure time).

The matrix rules are the contract's (scenario key `regress`, docs/regress.md): a scenario's
cases are the personalities of `kernel.personality` (a name or a list), or those of
`regress.personalities` when given, plus one case per `regress.variants` entry. A case id
is `<file stem>/<personality or variant name>`. One line per case, sorted by id:
`<scenario file>|<case id>|<override>|<override>...` where the overrides are the `-c`
assignments the case runs with (`kernel.personality=<p>` for a personality). CMake splits
the output on newlines and `|` into lists, so a field holding `;` or `|` is refused.
"""
import pathlib
import sys

import yaml


def cases_of(path: pathlib.Path):
    doc = yaml.safe_load(path.read_text())
    regress = doc.get("regress") or {}
    personalities = regress.get("personalities", doc.get("kernel", {}).get("personality", "none"))
    if isinstance(personalities, str):
        personalities = [personalities]
    for personality in personalities:
        yield f"{path.stem}/{personality}", [f"kernel.personality={personality}"]
    for variant in regress.get("variants", []):
        yield f"{path.stem}/{variant['name']}", list(variant["overrides"])


def main() -> int:
    directory = pathlib.Path(sys.argv[1])
    lines = []
    for path in sorted(directory.glob("*.yaml")):
        for case_id, overrides in cases_of(path):
            fields = [str(path), case_id, *overrides]
            if any(";" in field or "|" in field for field in fields):
                sys.exit(f"{path}: case {case_id}: a path, case id or override holds ';' or '|'")
            lines.append((case_id, "|".join(fields)))
    for _, line in sorted(lines):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
