"""``deterrence-sim-report SWEEP_DIR``: the design-comparison report of a sweep.

Bad input (not a sweep, an empty sweep, a baseline not in it, an unwritable output folder) gives
one line ``deterrence-sim-report: error: ...`` on stderr and exit code 2; a missing or truncated
job gives one warning line naming it, and the report is written from the other jobs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from deterrence_sim.analysis.sweeps import SweepError, read_sweep
from deterrence_sim.report.content import build_document
from deterrence_sim.report.document import write_document

PROG = "deterrence-sim-report"
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        _fail(f"{message} (see {PROG} --help)")


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
        sweep = read_sweep(args.sweep_dir)
    except SweepError as exc:
        _fail(str(exc))
    for problem in sweep.problems:
        print(f"{PROG}: warning: {problem}", file=sys.stderr)
    if sweep.runs.empty:
        _fail(f"no job of the sweep in {args.sweep_dir} could be read; nothing to report")
    try:
        document = build_document(sweep, baseline=args.baseline, by=args.by)
    except ValueError as exc:
        _fail(str(exc))
    out = args.out if args.out is not None else args.sweep_dir / "report"
    try:
        out.mkdir(parents=True, exist_ok=True)
        path = write_document(document, out)
    except OSError as exc:
        _fail(f"cannot write the report to {out}: {exc.strerror or exc}")
    print(f"report: {path}")
    print(f"        {out / 'report.md'}")


def _fail(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


if __name__ == "__main__":
    main()
