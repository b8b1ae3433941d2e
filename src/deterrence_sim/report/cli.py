"""``deterrence-sim-report SWEEP_DIR``: the design-comparison report of a sweep; on an exploration's
folder (``deterrence-sim-explore``), what drives the outcome and where each design fails.

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
from deterrence_sim.analysis.explorations import ExplorationError, is_exploration, read_exploration
from deterrence_sim.analysis.sweeps import SweepError, read_sweep
from deterrence_sim.report.content import build_document
from deterrence_sim.report.document import Document, write_document
from deterrence_sim.report.exploration import build_exploration_document

PROG = "deterrence-sim-report"
EXIT_BAD_INPUT = 2


USAGE = "SWEEP_DIR [--baseline NAME] [--by COLUMN] [--out DIR], or EXPLORE_DIR [--out DIR]"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        _fail(f"arguments: invalid value: {message}; allowed: {USAGE} (see {PROG} --help)")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _Parser(prog=PROG, description="Compare guarantee designs of a deterrence-sim sweep, or report "
                     "an exploration (what drives the outcome, where each design fails): writes report.html "
                     "(self-contained), report.md, figures/*.png and tables/*.csv.")
    parser.add_argument("sweep_dir", metavar="SWEEP_DIR", type=Path,
                        help="sweep folder (job folders 0/, 1/, ... from `deterrence-sim -m ...`), or an "
                             "exploration's folder (from `deterrence-sim-explore`)")
    parser.add_argument("--baseline", default=None,
                        help="design every other design is compared with (default: none; sweeps only)")
    parser.add_argument("--by", default=None,
                        help="column whose values are the designs (default: guarantee; e.g. monitoring; "
                             "sweeps only)")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: SWEEP_DIR/report)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    args = parse_args(argv)
    if is_exploration(args.sweep_dir):
        _write(_exploration_document(args), args)
        return
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
            document = build_document(sweep, baseline=args.baseline or "none", by=args.by or "guarantee")
    except ValueError as exc:
        _fail(str(exc))
    for message in dict.fromkeys(str(w.message) for w in caught if w.category is PairingWarning):
        print(f"{PROG}: warning: {message}", file=sys.stderr)
    _write(document, args)


def _exploration_document(args: argparse.Namespace) -> Document:
    """The report of an exploration folder; --baseline and --by belong to sweeps."""
    for flag, value in (("--baseline", args.baseline), ("--by", args.by)):
        if value is not None:
            _fail(f"{flag}: invalid value {value!r} for an exploration; allowed: no {flag} (an exploration "
                  "compares its designs point by point; its report says where each one fails)")
    try:
        expl = read_exploration(args.sweep_dir, argument="EXPLORE_DIR")
        return build_exploration_document(expl)
    except ExplorationError as exc:
        _fail(str(exc))
    raise AssertionError("unreachable")


def _write(document: Document, args: argparse.Namespace) -> None:
    """Write the report into --out (default: the folder's report/)."""
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
