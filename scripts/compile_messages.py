#!/usr/bin/env python
"""Compile the project's gettext catalogues (locale/**/*.po -> .mo) with polib.

The compiled .mo files are committed, so neither GNU gettext nor this script is
needed at run time; run it after editing any .po file under ``locale/``:

    .venv/bin/python scripts/compile_messages.py          # (re)write the .mo files
    .venv/bin/python scripts/compile_messages.py --check  # exit 1 if any .mo is stale

polib is a development dependency (``pip install polib``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"


def po_files(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """All .po files under ``locale_dir``/<lang>/LC_MESSAGES/, sorted."""
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def compile_po(po_path: Path) -> bytes:
    """Return the binary .mo content for ``po_path`` (fuzzy/obsolete entries are skipped)."""
    return polib.pofile(str(po_path)).to_binary()


def mo_path_for(po_path: Path) -> Path:
    return po_path.with_suffix(".mo")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write anything; exit 1 if a .mo file is missing or out of date",
    )
    parser.add_argument(
        "--locale-dir",
        type=Path,
        default=LOCALE_DIR,
        help="directory holding <lang>/LC_MESSAGES/*.po (default: %(default)s)",
    )
    args = parser.parse_args(argv)

    files = po_files(args.locale_dir)
    if not files:
        print(f"no .po files found under {args.locale_dir}", file=sys.stderr)
        return 1

    stale = []
    for po_path in files:
        data = compile_po(po_path)
        mo_path = mo_path_for(po_path)
        current = mo_path.read_bytes() if mo_path.exists() else None
        rel = po_path.relative_to(args.locale_dir)
        if current == data:
            print(f"up to date: {rel}")
            continue
        if args.check:
            stale.append(mo_path)
            print(f"STALE: {mo_path.relative_to(args.locale_dir)}", file=sys.stderr)
            continue
        mo_path.write_bytes(data)
        print(f"compiled:   {rel} -> {mo_path.name}")

    if stale:
        print(
            "run: .venv/bin/python scripts/compile_messages.py",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
