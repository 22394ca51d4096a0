#!/usr/bin/env python3
"""Checks irqlab results.json files (a run's or a comparison's) against the JSON Schema
docs/results.schema.json (draft 2020-12).

    validate_results.py [--schema FILE] RESULTS.json...

Prints every violation as `file: at /json/pointer: message` and exits 1 when any file is
invalid, 2 when a file or the schema cannot be read. Needs python3-jsonschema (Debian's
/usr/bin/python3, the build's IRQLAB_PYTHON); the tests run it on every results.json they
produce, and `--field-list` prints the schema's field paths for docs/results-schema.md.
"""

import argparse
import json
import pathlib
import sys

SCHEMA = pathlib.Path(__file__).resolve().parent.parent / "docs" / "results.schema.json"


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"{path}: cannot read: {e}", file=sys.stderr)
        sys.exit(2)


def pointer(path):
    return "/" + "/".join(str(p) for p in path)


def violations(validator, document):
    """Every error as (JSON pointer, message), in document order; an error of a `oneOf`
    names the branch that came closest rather than the whole instance."""
    import jsonschema

    for error in sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path]):
        leaf = jsonschema.exceptions.best_match(error.context) if error.context else error
        message = leaf.message if len(leaf.message) <= 300 else leaf.message[:300] + "..."
        yield pointer(leaf.absolute_path), message


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", default=str(SCHEMA), help="the JSON Schema (default: docs/results.schema.json)")
    parser.add_argument("files", nargs="+", help="results.json files")
    args = parser.parse_args()
    try:
        import jsonschema
    except ImportError:
        print(f"validate_results.py: {sys.executable} has no jsonschema module; run it with Debian's "
              "/usr/bin/python3 (python3-jsonschema)", file=sys.stderr)
        return 2
    schema = load_json(args.schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for name in args.files:
        found = list(violations(validator, load_json(name)))
        for where, message in found:
            print(f"{name}: at {where}: {message}")
        bad += bool(found)
    if bad:
        print(f"{bad} of {len(args.files)} files do not match {args.schema}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
