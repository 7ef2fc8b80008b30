"""Benchmark ``make reports``: the batch runner against a naive loop of command lines.

Measured in the same run, over the same notebooks and the same parameters (national and the
12 regions):

- the runner: ``analysis.runs.runner.run_reports(force=True)`` with the default jobs (one per core);
- a naive sequential loop: for each notebook and region, ``papermill`` then
  ``jupyter nbconvert --to html --no-input``, one process each, as someone would script it;
- a second ``analysis reports`` with nothing changed, right after the runner's own run, timed
  as a whole command (interpreter start-up included), as ``make reports`` runs it;
- the size of every HTML report.

Run with ``.venv/bin/python benchmarks/bench_reports.py`` (add ``--regions 3`` for a quick look
at national plus the first two regions). Prints ``name: value unit (note)`` lines.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import config
from analysis.runs.parameters import known_regions, region_slug
from analysis.runs.planning import discover_notebooks
from analysis.runs.runner import run_reports

BIN = Path(sys.executable).parent
TARGET_RATIO = 3.0
TARGET_SECOND_RUN_S = 2.0
TARGET_REPORT_MB = 3.0


def line(name: str, value: float, unit: str, note: str = "") -> None:
    print(f"{name}: {value:.3g} {unit}" + (f" ({note})" if note else ""), flush=True)


def ensure_data() -> None:
    if not (config.PROCESSED_DIR / "cases.parquet").is_file():
        from analysis.data.build import build

        build()


def naive_loop(notebooks: list[Path], regions: list[str | None], out: Path) -> float:
    """papermill + nbconvert command lines, one after the other, as a shell loop would."""
    start = time.perf_counter()
    for nb in notebooks:
        for region in regions:
            folder = out / region_slug(region)
            folder.mkdir(parents=True, exist_ok=True)
            executed = folder / nb.name
            value = "None" if region is None else region
            subprocess.run(
                [
                    BIN / "papermill",
                    nb,
                    executed,
                    "-k",
                    config.KERNEL_NAME,
                    "-p",
                    "region",
                    value,
                    "--cwd",
                    folder,
                    "--no-progress-bar",
                ],
                check=True,
                capture_output=True,
            )
            subprocess.run(
                [BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", executed],
                check=True,
                capture_output=True,
            )
    return time.perf_counter() - start


def second_run(reports: Path, regions: list[str | None]) -> float:
    names = ["national" if r is None else r for r in regions]
    start = time.perf_counter()
    done = subprocess.run(
        [BIN / "analysis", "reports", "--reports", reports, "--quiet", "--regions", *names],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if " 0 skipped" in done.stdout:
        print(f"# second run did not skip: {done.stdout.splitlines()[0]}")
        for path in sorted((reports / "_runs").glob("*.json"))[:3]:
            print(f"#   {path.stem}: {json.loads(path.read_text('utf-8')).get('reason')}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--regions", type=int, default=13, help="national plus the first N-1 regions"
    )
    parser.add_argument("--keep", action="store_true", help="keep the output folders")
    args = parser.parse_args()

    ensure_data()
    notebooks = discover_notebooks()
    regions = [None, *known_regions()][: args.regions]
    n_runs = len(notebooks) * len(regions)
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    print(
        f"# {len(notebooks)} notebooks x {len(regions)} regions = {n_runs} runs on {cores} cores; {work}"
    )
    try:
        start = time.perf_counter()
        summary = run_reports(
            regions=regions, force=True, reports_dir=work / "runner", progress=False
        )
        runner_s = time.perf_counter() - start
        line(
            "runner_total",
            runner_s,
            "s",
            f"{n_runs} runs, {summary.n_ok} ok, {summary.n_failed} failed, jobs={summary.jobs}",
        )

        again = second_run(work / "runner", regions)
        line(
            "second_run_nothing_changed",
            again,
            "s",
            f"whole `analysis reports` command; target < {TARGET_SECOND_RUN_S:g} s: {'met' if again < TARGET_SECOND_RUN_S else 'NOT met'}",
        )

        naive_s = naive_loop(notebooks, regions, work / "naive")
        line(
            "naive_cli_loop_total",
            naive_s,
            "s",
            "papermill + jupyter nbconvert --no-input, sequential",
        )
        line("naive_cli_per_run", naive_s / n_runs, "s")
        line("runner_per_run", runner_s / n_runs, "s", "wall time / runs")
        ratio = naive_s / runner_s
        line(
            "runner_speedup",
            ratio,
            "x",
            f"target >= {TARGET_RATIO:g}x on {cores} cores: {'met' if ratio >= TARGET_RATIO else 'NOT met'}",
        )

        sizes = {p: p.stat().st_size / 1e6 for p in (work / "runner").glob("*/*.html")}
        largest = max(sizes, key=sizes.get)
        line(
            "largest_report",
            sizes[largest],
            "MB",
            f"{largest.parent.name}/{largest.name}; target < {TARGET_REPORT_MB:g} MB: {'met' if sizes[largest] < TARGET_REPORT_MB else 'NOT met'}",
        )
        for slug in sorted({p.parent.name for p in sizes}):
            in_region = [v for p, v in sizes.items() if p.parent.name == slug]
            line(
                f"report_size_{slug}",
                max(in_region),
                "MB",
                f"largest of {len(in_region)}; all together {sum(in_region):.2f} MB",
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
