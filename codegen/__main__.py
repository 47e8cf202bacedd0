"""``python -m codegen --schemas DIR --out DIR [--check]``: generate the typed model classes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import check, generate
from .errors import BuildError, SchemaError
from .format import FormatError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("--schemas", required=True, type=Path, help="folder of *.schema.yaml (+ models.yaml)")
    parser.add_argument("--out", required=True, type=Path, help="generated package folder")
    parser.add_argument(
        "--check", action="store_true", help="fail when --out differs from a fresh generation"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--strict", dest="strict", action="store_true", default=None, help="unknown keys are errors"
    )
    mode.add_argument(
        "--lenient",
        dest="strict",
        action="store_false",
        help="report unknown keys and unsupported constructs",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="do not print reports")
    args = parser.parse_args(argv)
    schemas: Path = args.schemas
    out: Path = args.out
    if not schemas.is_dir():
        print(f"{schemas}: not a folder", file=sys.stderr)
        return 1
    try:
        if args.check:
            differ, missing, extra = check(schemas, out, strict=args.strict)
            if differ or missing or extra:
                for label, names in (("differs", differ), ("missing", missing), ("extra", extra)):
                    for name in names:
                        print(f"  {label}: {out / name}", file=sys.stderr)
                print(f"{out} is stale: run make generate", file=sys.stderr)
                return 1
            return 0
        result = generate(schemas, out, strict=args.strict)
    except SchemaError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (BuildError, FormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        for report in result.reports:
            print(f"note: {report}", file=sys.stderr)
    print(
        f"wrote {len(result.files)} files to {out}"
        + (f" ({len(result.reports)} notes)" if result.reports else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
