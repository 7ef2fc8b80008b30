"""The ``analysis`` command: a thin shell over the package.

Every subcommand calls one library function; errors the user can fix are printed as a short
message (and, for validation, a table of every failure), never a traceback. Exit statuses
(:data:`EXIT_CODES`): 0 success; 1 some work ran and failed (for example one region's report);
2 the user's input or environment (a bad file or option, a missing kernel, an unreachable
scheduler, a refused or locked reports folder, a file that could not be written); 3 an internal error, printed as one
line naming a log file that keeps the traceback; 130 interrupted (Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .exceptions import AnalysisError, ParameterError, RunFailed, RunsInterrupted

__all__ = ["main", "build_parser", "EXIT_CODES"]

EXIT_CODES = {
    0: "success",
    1: "a run failed (the others finished; see the summary and the run logs)",
    2: "the input or the environment needs fixing (the message says what): a bad file or "
    "option, a missing kernel, an unreachable scheduler, a refused or locked folder, a full disk",
    3: "internal error: one line names a log file holding the details; please report it",
    130: "interrupted (Ctrl-C or SIGTERM); runs in flight were recorded as interrupted",
}

_EPILOG = "exit status:\n" + "\n".join(f"  {code:<4} {what}" for code, what in EXIT_CODES.items())


def _cmd_rate(args: argparse.Namespace) -> int:
    from .io.atomic import write_text_atomic
    from .ratings import guidance_output, rate_table
    from .report import rate_output
    from .report.csv_safety import to_safe_csv

    if args.published or args.file is None:  # no FILE: the published record (or an error)
        out = guidance_output(args.format, published=args.published)  # a table for csv
        print(to_safe_csv(out) if args.format == "csv" else out, end="")
        return 0
    result = rate_table(args.file, args.framework, borderline_at=args.borderline_at)
    if args.out is not None and rate_output.is_folder(args.out):
        if args.format != "csv":
            raise ParameterError(
                f"--out {args.out} is a folder; a folder of tables is written only with "
                f"--format csv (give a file name for --format {args.format})"
            )
        for path in rate_output.write_rating_tables(result, args.out):
            print(f"wrote {path}")
    elif args.out is not None:
        print(f"wrote {write_text_atomic(args.out, rate_output.rating_text(result, args.format))}")
    else:
        sys.stdout.write(rate_output.rating_text(result, args.format))
    return 0


def _probability(text: str) -> float:
    """argparse type for --borderline-at: a number strictly between 0 and 1."""
    from .ratings.table import check_borderline_at

    try:
        return check_borderline_at(float(text))
    except (ValueError, AnalysisError) as err:
        message = str(err) if isinstance(err, AnalysisError) else f"{text!r} is not a number"
        raise argparse.ArgumentTypeError(message) from None


def _cmd_frameworks(args: argparse.Namespace) -> int:
    from . import frameworks

    if args.id:
        fw = frameworks.get(args.id)
        print(repr(fw))
        print()
        print(fw.key_questions_table().to_string(index=False))
    else:
        print(frameworks.table().to_string(index=False))
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from .data.build import build

    report = build(raw_dir=args.raw, processed_dir=args.processed, wait=args.wait)
    print(report)
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    from .extract import extract_reports

    result = extract_reports(args.paths, out=args.out, progress=not args.quiet, jobs=args.jobs)
    print(result)
    return result.exit_code


def _cmd_simulate(args: argparse.Namespace) -> int:
    from .synthetic.generate import write_sample

    for path in write_sample(out_dir=args.out, seed=args.seed, cases_per_pdu=args.cases_per_pdu):
        print(path)
    return 0


def _cmd_reports(args: argparse.Namespace) -> int:
    from .runs.runner import run_reports

    summary = run_reports(
        regions=args.regions,
        notebooks=args.notebooks,
        jobs=args.jobs,
        scheduler=args.scheduler,
        force=args.force,
        processed_dir=args.processed,
        reports_dir=args.reports,
        progress=not args.quiet,
        wait=args.wait,
        dataset=args.dataset,
    )
    print(summary)
    return summary.exit_code()


def _cmd_validate(args: argparse.Namespace) -> int:
    from .models.study import run_study

    if not args.few_pdus_only:
        table = run_study(
            replications=args.replications,
            seed=args.seed,
            cases_per_pdu=args.cases_per_pdu,
            out_dir=args.out,
            outcome_pdu_sd=args.outcome_pdu_sd,
            progress=not args.quiet,
        )
        print(table.to_string(index=False))
    few_pdus = args.few_pdus or ([6, 8, 15] if args.few_pdus_only else None)
    if few_pdus:
        from . import config
        from .models.few_pdus import run_few_pdu_study, write_few_pdu_study

        table, replicates = run_few_pdu_study(
            replications=args.replications,
            seed=args.seed,
            n_pdus=few_pdus,
            progress=not args.quiet,
        )
        out = args.out if args.out is not None else config.REPORTS_DIR / "validation"
        write_few_pdu_study(table, out, replicates)
        print(table.to_string(index=False))
    if args.rating_replications and not args.few_pdus_only:
        from . import config
        from .synthetic.reliability_study import run_rating_validation, validation_markdown

        out = args.out if args.out is not None else config.REPORTS_DIR / "validation"
        table = run_rating_validation(args.rating_replications, out, seed=args.rating_seed)
        print(validation_markdown(table))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="analysis",
        description="Probation inspection data: ratings, their uncertainty, and quality-outcome associations.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "rate",
        help="rate units from a CSV of key-question percentages",
        description=_RATE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", type=Path, nargs="?", help=_FILE_HELP)
    p.add_argument("--published", action="store_true", help=_PUBLISHED_HELP)
    p.add_argument(
        "--framework",
        default="pdu-2023",
        help="framework id (default: pdu-2023; see 'analysis frameworks')",
    )
    fmt = "table: text; csv: one tidy table; json: every table (docs/ratings.md)"
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=fmt)
    out = "a file instead of the screen; a folder (csv): one CSV per table (docs/ratings.md)"
    p.add_argument("--out", default=None, help=out)  # text: a trailing separator names a folder
    p.add_argument(
        "--borderline-at",
        type=_probability,
        default=0.2,
        help="flag a rating borderline when P(true band differs) is at least this (default 0.2)",
    )
    p.set_defaults(func=_cmd_rate)

    p = sub.add_parser("frameworks", help="list inspection frameworks, or show one")
    p.add_argument("id", nargs="?", help="framework id to show")
    p.set_defaults(func=_cmd_frameworks)

    p = sub.add_parser("build", help="validate data/raw and write tidy tables to data/processed")
    p.add_argument("--raw", type=Path, default=None, help="raw data folder (default: data/raw)")
    p.add_argument(
        "--processed", type=Path, default=None, help="output folder (default: data/processed)"
    )
    p.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="if another build, or a batch of reports reading the data, holds the processed "
        "folder, wait up to SECONDS for it (default: refuse at once)",
    )
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser(
        "extract",
        help="read inspection reports (.txt, .pdf, .html) into tidy tables in data/raw/extracted",
    )
    p.add_argument("paths", nargs="+", type=Path, help="report files or folders holding them")
    p.add_argument(
        "--out", type=Path, default=None, help="output folder (default: data/raw/extracted)"
    )
    p.add_argument(
        "--jobs", type=int, default=None, help="worker processes (default: one per core)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser(
        "simulate", help="write the synthetic case-level sample (clearly marked synthetic)"
    )
    p.add_argument(
        "--out", type=Path, default=None, help="output folder (default: data/raw/synthetic)"
    )
    p.add_argument("--seed", type=int, default=20241)
    p.add_argument(
        "--cases-per-pdu",
        type=int,
        default=None,
        help="a fixed number of cases in every PDU (default: drawn from each PDU's caseload, 20-80)",
    )
    p.set_defaults(func=_cmd_simulate)

    p = sub.add_parser(
        "reports",
        help="run the notebooks for national and every region, write HTML reports",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--regions",
        nargs="+",
        default=None,
        help="region names, or 'national' (default: national and all 12)",
    )
    p.add_argument(
        "--notebooks",
        nargs="+",
        default=None,
        help="notebook names (default: all under notebooks/)",
    )
    p.add_argument(
        "--jobs", type=int, default=None, help="parallel runs (default: number of cores)"
    )
    p.add_argument(
        "--scheduler",
        default=None,
        help="dask.distributed scheduler address, e.g. tcp://127.0.0.1:8786 (or ANALYSIS_DASK_SCHEDULER)",
    )
    p.add_argument("--force", action="store_true", help="rerun even when inputs are unchanged")
    p.add_argument(
        "--processed",
        type=Path,
        default=None,
        help="processed data folder (default: data/processed)",
    )
    p.add_argument("--reports", type=Path, default=None, help="output folder (default: reports)")
    p.add_argument(
        "--dataset",
        default=None,
        help="case-level dataset to report on (default: every dataset built, each apart)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--wait",
        action="store_true",
        help="if another 'analysis reports' is writing to the same folder, wait for it "
        "(default: refuse at once, naming it)",
    )
    p.set_defaults(func=_cmd_reports)

    p = sub.add_parser(
        "validate",
        help="simulation studies: bias and coverage of the association models, calibration of "
        "the rating probabilities",
    )
    p.add_argument("--replications", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--cases-per-pdu",
        type=int,
        default=None,
        help="a fixed number of cases in every PDU (default: drawn from each PDU's caseload, 20-80)",
    )
    p.add_argument(
        "--outcome-pdu-sd",
        type=float,
        default=0.0,
        help="SD of PDU-level variation in outcomes (log odds)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for the study tables (default: reports/validation)",
    )
    p.add_argument(
        "--few-pdus",
        type=int,
        nargs="+",
        default=None,
        metavar="N",
        help="also run the regional-size study with N PDUs per sample (e.g. 6 8 15)",
    )
    p.add_argument(
        "--few-pdus-only",
        action="store_true",
        help="run only the regional-size study (default 6 8 15 PDUs)",
    )
    p.add_argument(
        "--rating-replications",
        type=int,
        default=20,
        metavar="N",
        help="replications of the rating-probability study (standards and overall, near band "
        "edges, strong unit alone, better region; 0: skip it; default 20)",
    )
    p.add_argument("--rating-seed", type=int, default=20241, help=argparse.SUPPRESS)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_validate)
    return parser


_PUBLISHED_HELP = "check each built published report against the rating guidance (no FILE)"
_FILE_HELP = (
    "CSV: standard, area (or key_question), pct_yes, n; optional unit, n_yes, published_rating"
)
_RATE_HELP = """\
Rate one or more units from published key-question percentages (CSV UTF-8 or .xlsx).

Labels may be written as reports print them ("P2.1 Assessment", "Keeping other people safe",
"71 per cent"); a key question with no applicable case is written "not applicable". Every key
question of a standard must be given; a blank, impossible or ambiguous figure is never
guessed. Rounded percentages that leave a rating between two bands are reported as
ambiguous, and a published rating the rating guidance would not normally give as a departure.

Example CSV (York PDU 2024; rows for leadership and other non-case standards carry only
their published rating):

  unit,standard,area,pct_yes,n,published_rating
  York,Assessment,engagement,70,20,Inadequate
  York,Assessment,desistance,80,20,
  York,Assessment,keeping safe,25,20,
  ...
  York,Leadership,,,,Requires improvement
"""


def _internal_error(exc: BaseException, argv: Sequence[str] | None) -> int:
    """Keep the traceback in a log file and print one line naming it; exit status 3."""
    import tempfile
    import traceback

    from .io.atomic import now_utc, write_text_atomic

    stamp = now_utc().replace(":", "").replace("-", "")
    log = Path(tempfile.gettempdir()) / f"analysis-error-{stamp}-{os.getpid()}.log"
    text = (
        f"{now_utc()} analysis {__version__}\ncommand: {list(sys.argv if argv is None else argv)}\n"
        + "".join(traceback.format_exception(exc))
    )
    try:
        write_text_atomic(log, text)
        where = f"the details are in {log}"
    except OSError:
        where = "the details could not be saved; they follow"
        print(text, file=sys.stderr)
    print(
        f"internal error: {type(exc).__name__}: {exc} ({where}). This is a fault in the "
        "program, not in your input; please report it with that file.",
        file=sys.stderr,
    )
    return 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (see :data:`EXIT_CODES`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except RunsInterrupted as err:
        print(err, file=sys.stderr)
        return 130
    except AnalysisError as err:
        # ValidationFailed prints every failure as a table; RunFailed means work ran and failed.
        print(f"error: {err}", file=sys.stderr)
        return 1 if isinstance(err, RunFailed) else 2
    except BrokenPipeError:  # output piped into head and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as err:  # the environment: a missing file, a full disk, no permission
        where = f" ({err.filename})" if err.filename else ""
        print(f"error: {err.strerror or err}{where}", file=sys.stderr)
        return 2
    except Exception as err:
        return _internal_error(err, argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
