"""``deterrence-sim-report SWEEP_DIR``: the design-comparison report of a sweep.

Bad input (not a sweep, an empty sweep, a baseline not in it, an unwritable output folder) gives
one line ``deterrence-sim-report: error: FIELD: invalid value ...; allowed: ...`` on stderr and exit
code 2; a missing or truncated job, or a design left without a baseline to compare with, gives one
warning line naming it, and the report is written from the rest.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from deterrence_sim.analysis.checks import PairingWarning
from deterrence_sim.analysis.sweeps import SweepError, read_sweep
from deterrence_sim.report.content import build_document
from deterrence_sim.report.document import write_document

PROG = "deterrence-sim-report"
EXIT_BAD_INPUT = 2


USAGE = "SWEEP_DIR [--baseline NAME] [--by COLUMN] [--out DIR]"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        _fail(f"arguments: invalid value: {message}; allowed: {USAGE} (see {PROG} --help)")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _Parser(prog=PROG, description="Compare guarantee designs of a deterrence-sim sweep: writes "
                     "report.html (self-contained), report.md, figures/*.png and tables/*.csv.")
    parser.add_argument("sweep_dir", metavar="SWEEP_DIR", type=Path,
                        help="sweep folder (job folders 0/, 1/, ... from `deterrence-sim -m ...`)")
    parser.add_argument("--baseline", default="none",
                        help="design every other design is compared with (default: none)")
    parser.add_argument("--by", default="guarantee",
                        help="column whose values are the designs (default: guarantee; e.g. monitoring)")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: SWEEP_DIR/report)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    args = parse_args(argv)
    try:
        sweep = read_sweep(args.sweep_dir, argument="SWEEP_DIR")
    except SweepError as exc:
        _fail(str(exc))
    for problem in sweep.problems:
        print(f"{PROG}: warning: {problem}", file=sys.stderr)
    if sweep.runs.empty:
        _fail(f"SWEEP_DIR: invalid value '{args.sweep_dir}': no job of the sweep could be read; allowed: "
              "a sweep with at least one readable job")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", PairingWarning)
            document = build_document(sweep, baseline=args.baseline, by=args.by)
    except ValueError as exc:
        _fail(str(exc))
    for message in dict.fromkeys(str(w.message) for w in caught if w.category is PairingWarning):
        print(f"{PROG}: warning: {message}", file=sys.stderr)
    out = args.out if args.out is not None else args.sweep_dir / "report"
    try:
        out.mkdir(parents=True, exist_ok=True)
        path = write_document(document, out)
    except OSError as exc:
        _fail(f"--out: invalid value '{out}': cannot write there ({exc.strerror or exc}); allowed: a "
              "folder this user can write")
    print(f"report: {path}")
    print(f"        {out / 'report.md'}")


def _fail(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


if __name__ == "__main__":
    main()
