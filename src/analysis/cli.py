"""The ``analysis`` command: a thin shell over the package.

Every subcommand calls one library function; errors the user can fix are printed as a short
message (and, for validation, a table of every failure) with exit status 2, never a traceback.
Exit status 1 means some work ran and failed (for example one region's report).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .exceptions import AnalysisError, RunFailed

__all__ = ["main", "build_parser"]


def _cmd_rate(args: argparse.Namespace) -> int:
    import json

    import pandas as pd

    from . import frameworks, published, ratings

    fw = frameworks.get(args.framework)
    kq_input, pub = published.read_rating_table(args.file, fw)
    kq = published.key_question_scores_from_percentages(kq_input, fw, by="unit")
    std = ratings.standard_ratings(kq, fw, by="unit", borderline_at=args.borderline_at)
    domain_one = pub[~pub["standard"].isin([*fw.case_based_standards, "overall"])]
    overall = ratings.overall_ratings(
        std, fw, by="unit", other_ratings=domain_one, borderline_at=args.borderline_at
    )
    computed = pd.concat(
        [
            std[["unit", "standard", "rating"]],
            overall[["unit", "overall_rating"]]
            .rename(columns={"overall_rating": "rating"})
            .assign(standard="overall"),
        ]
    ).dropna(subset=["rating"])
    comparison = published.compare_published(computed, pub, by="unit", framework=fw)
    std = std.merge(
        comparison[["unit", "standard", "published_rating", "agrees"]],
        on=["unit", "standard"],
        how="left",
    )
    if args.format == "csv":
        std.to_csv(sys.stdout, index=False, float_format="%.4f")
        print()
        overall.to_csv(sys.stdout, index=False, float_format="%.4f")
    elif args.format == "json":
        out = {
            "framework": fw.id,
            "standards": json.loads(std.to_json(orient="records")),
            "overall": json.loads(overall.to_json(orient="records")),
            "differences": json.loads(
                comparison[comparison["agrees"].eq(False).fillna(False)].to_json(orient="records")
            ),
        }
        json.dump(out, sys.stdout, indent=2)
        print()
    else:
        print(_rate_text(fw, kq, std, overall, comparison))
    return 0


def _rate_text(fw, kq, std, overall, comparison) -> str:
    lines = [
        f"Framework {fw.id}: {fw.name}",
        "Bands (lowest key question): "
        + ", ".join(f"{r} from {lo:g}%" for r, lo in fw.rating_bands),
    ]
    for unit, block in std.groupby("unit", sort=False):
        lines += ["", f"Unit: {unit}", ""]
        table = block.assign(
            lowest=lambda d: (
                d["lowest_pct"].map(lambda v: "" if v != v else f"{v:.0f}%")
                + " (n="
                + d["n_applicable"].astype(str)
                + ")"
            ),
            probabilities=lambda d: d.apply(
                lambda r: " / ".join(
                    "-" if r[c] != r[c] else f"{100 * r[c]:.0f}%"
                    for c in ("p_outstanding", "p_good", "p_requires_improvement", "p_inadequate")
                ),
                axis=1,
            ),
            published=lambda d: d["published_rating"].astype("string").fillna("-"),
        )[["standard_name", "lowest", "rating", "probabilities", "borderline", "published"]]
        table.columns = [
            "standard",
            "lowest key question",
            "computed",
            "P(O / G / RI / I)",
            "borderline",
            "published",
        ]
        lines.append(table.to_string(index=False))
        row = overall[overall["unit"] == unit].iloc[0]
        if row["missing_standards"]:
            lines.append(f"\nOverall: not computed; no rating for {row['missing_standards']}.")
        else:
            lines.append(
                f"\nOverall: score {row['overall_score']}/{row['max_score']}, {row['overall_rating']} "
                f"(probability {100 * row['p_computed']:.0f}%; overall bands {'confirmed' if fw.provenance['overall_bands'].confirmed else 'UNCONFIRMED'})."
            )
        diffs = comparison[
            (comparison["unit"] == unit) & comparison["agrees"].eq(False).fillna(False)
        ]
        for _, d in diffs.iterrows():
            lines.append(
                f"Difference: {d['standard']} computed {d['computed_rating']}, published {d['published_rating']}."
            )
        if diffs.empty and comparison[comparison["unit"] == unit]["agrees"].notna().any():
            lines.append("Computed ratings agree with every published rating given.")
    return "\n".join(lines)


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
    from .build import build

    report = build(raw_dir=args.raw, processed_dir=args.processed)
    print(report)
    return 0


def _cmd_simulate(args: argparse.Namespace) -> int:
    from .simulate import write_sample

    for path in write_sample(out_dir=args.out, seed=args.seed, cases_per_pdu=args.cases_per_pdu):
        print(path)
    return 0


def _cmd_reports(args: argparse.Namespace) -> int:
    from .runner import run_reports

    summary = run_reports(
        regions=args.regions,
        notebooks=args.notebooks,
        jobs=args.jobs,
        scheduler=args.scheduler,
        force=args.force,
        processed_dir=args.processed,
        reports_dir=args.reports,
        progress=not args.quiet,
    )
    print(summary)
    return 1 if getattr(summary, "n_failed", 0) else 0


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
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="analysis",
        description="Probation inspection data: ratings, their uncertainty, and quality-outcome associations.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "rate",
        help="rate units from a CSV of key-question percentages",
        description=_RATE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "file",
        type=Path,
        help="CSV: standard, area (or key_question), pct_yes, n; optional unit, n_yes, published_rating",
    )
    p.add_argument(
        "--framework",
        default="pdu-2023",
        help="framework id (default: pdu-2023; see 'analysis frameworks')",
    )
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument(
        "--borderline-at",
        type=float,
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
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser(
        "simulate", help="write the synthetic case-level sample (clearly marked synthetic)"
    )
    p.add_argument(
        "--out", type=Path, default=None, help="output folder (default: data/raw/synthetic)"
    )
    p.add_argument("--seed", type=int, default=20241)
    p.add_argument("--cases-per-pdu", type=int, default=24)
    p.set_defaults(func=_cmd_simulate)

    p = sub.add_parser(
        "reports", help="run the notebooks for national and every region, write HTML reports"
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
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_reports)

    p = sub.add_parser(
        "validate", help="simulation study: bias and coverage of the association models"
    )
    p.add_argument("--replications", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--cases-per-pdu", type=int, default=24)
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
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_validate)
    return parser


_RATE_HELP = """\
Rate one or more units from published key-question percentages.

Example CSV (York PDU 2024; rows for leadership and other non-case standards carry only
their published rating):

  unit,standard,area,pct_yes,n,published_rating
  York,Assessment,engagement,70,20,Inadequate
  York,Assessment,desistance,80,20,
  York,Assessment,keeping safe,25,20,
  ...
  York,Leadership,,,,Requires improvement
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except (AnalysisError, FileNotFoundError) as err:
        # ValidationFailed prints every failure as a table; RunFailed means work ran and failed.
        print(f"error: {err}", file=sys.stderr)
        return 1 if isinstance(err, RunFailed) else 2
    except BrokenPipeError:  # output piped into head and the like
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
