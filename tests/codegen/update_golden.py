"""Regenerate the golden files: ``python -m tests.codegen.update_golden`` (from the repository root)."""

from __future__ import annotations

from tests.codegen._support import GOLDEN, generate_fixture


def main() -> None:
    generate_fixture(GOLDEN)
    print(f"updated {GOLDEN}")


if __name__ == "__main__":
    main()
