"""Benchmark ``make reports``: the batch runner against a naive loop of command lines.

Measured in the same run, over the same notebooks and the same parameters (national and the
12 regions):

- the runner: ``analysis.runs.runner.run_reports(force=True)`` with the default jobs (one per core);
- a naive sequential loop: for each notebook and region, ``papermill`` then
  ``jupyter nbconvert --to html --no-input``, one process each, as someone would script it;
- a second ``analysis reports`` with nothing changed, right after the runner's own run, timed
  as a whole command (interpreter start-up included), as ``make reports`` runs it;
- the size of every HTML report;
- the runner's cost per run split into kernel start, execution and export, from its own
  records: each run's manifest (``started``, ``finished``) and the executed notebook's cell
  timings (nbclient's ``execution`` metadata: the first cell's ``iopub.status.busy``, the last
  cell's ``shell.execute_reply``). Kernel start is from the run's start to its first cell
  (papermill's set-up included); export is from the last cell's reply to the run's end
  (saving the notebook, the HTML page, its tables and the manifest);
- the peak memory of the batch: the proportional set size (PSS) of this process and all its
  descendants (workers, kernel templates, kernels) summed, sampled every 0.2 s with psutil
  while the runner works; and the resident memory summed (an upper bound: kernels forked from
  one template share pages, which RSS counts in each).

Run with ``.venv/bin/python benchmarks/bench_reports.py`` (add ``--regions 3`` for a quick look
at national plus the first two regions). Prints ``name: value unit (note)`` lines.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import psutil

from analysis import config
from analysis.runs.parameters import known_regions, region_slug
from analysis.runs.planning import discover_notebooks
from analysis.runs.runner import run_reports

BIN = Path(sys.executable).parent
TARGET_RATIO_SMALL = 5.0
"""Runner against the plain loop, 4 notebooks x 3 regions on 2 idle cores."""
TARGET_RATIO_FULL = 4.0
"""Runner against the plain loop, the full batch (national and every region)."""
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


class PeakMemory:
    """The largest summed memory of this process and its descendants, sampled.

    ``peak`` sums resident memory (RSS), which counts a page shared by several processes once
    in each (kernels forked from one template share most of theirs); ``peak_pss`` sums the
    proportional set size (Linux), which counts a shared page once in all: the memory the batch
    actually holds.
    """

    def __init__(self, every: float = 0.2) -> None:
        self.every, self.peak, self.peak_pss, self._stop = every, 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            rss = pss = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    info = proc.memory_full_info()
                except psutil.Error:
                    continue
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _when(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def run_costs(reports: Path) -> dict[str, list[float]]:
    """Seconds per run of kernel start, execution and export, from the runner's records."""
    costs: dict[str, list[float]] = {"kernel_start": [], "execution": [], "export": []}
    for path in sorted((reports / "_runs").glob("*.json")):
        run = json.loads(path.read_text("utf-8"))
        if run.get("status") != "ok":
            continue
        parts = [run["dataset"]] if run.get("dataset_kind") == "synthetic" else []
        notebook = reports.joinpath(*parts, run["region_slug"], f"{run['notebook_stem']}.ipynb")
        if not notebook.is_file():
            continue
        cells = json.loads(notebook.read_text("utf-8"))["cells"]
        times = [c.get("metadata", {}).get("execution") or {} for c in cells]
        busy = [_when(t["iopub.status.busy"]) for t in times if "iopub.status.busy" in t]
        reply = [_when(t["shell.execute_reply"]) for t in times if "shell.execute_reply" in t]
        if not busy or not reply:
            continue
        start, end = _when(run["started"]), _when(run["finished"])
        costs["kernel_start"].append(min(busy) - start)
        costs["execution"].append(max(reply) - min(busy))
        costs["export"].append(end - max(reply))
    return costs


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
        with PeakMemory() as memory:
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
        line(
            "runner_peak_memory",
            memory.peak_pss / 2**20,
            "MiB",
            "proportional set size of this process, its workers, kernel templates and kernels, "
            "summed (a shared page counted once); sampled every 0.2 s; target < 1907 MiB "
            f"(2e9 bytes): {'met' if memory.peak_pss < 2e9 else 'NOT met'}",
        )
        line(
            "runner_peak_resident_sum",
            memory.peak / 2**20,
            "MiB",
            "resident memory of the same processes summed (a page shared by forked kernels "
            "counted in each: an upper bound)",
        )
        costs = run_costs(work / "runner")
        for name, values in costs.items():
            if values:
                line(
                    f"runner_per_run_{name}",
                    statistics.mean(values),
                    "s",
                    f"mean of {len(values)} runs, median {statistics.median(values):.2f} s, "
                    f"max {max(values):.2f} s; from the run records",
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
        target = TARGET_RATIO_SMALL if len(regions) <= 3 else TARGET_RATIO_FULL
        line(
            "runner_speedup",
            ratio,
            "x",
            f"target >= {target:g}x on {cores} idle cores: {'met' if ratio >= target else 'NOT met'}",
        )

        pages = [
            p
            for p in (work / "runner").rglob("*.html")
            if p.name != "index.html" and "_runs" not in p.parts
        ]
        sizes = {p: p.stat().st_size / 1e6 for p in pages}
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
        for stem in sorted({p.stem for p in sizes}):
            of = [v for p, v in sizes.items() if p.stem == stem]
            line(
                f"page_weight_{stem}",
                statistics.mean(of),
                "MB",
                f"mean of {len(of)} pages, largest {max(of):.3f} MB",
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
