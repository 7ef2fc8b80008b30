"""Data-layer benchmarks: build, loading the default cases, simulating.

- `build()` of the committed raw data into a temporary folder, best of 3.
- `analysis.data.load_cases()` on the default processed data in a fresh interpreter: once
  including the import of pandas itself, and once with pandas already imported, as in a
  notebook (target < 0.5 s), median of 5; and a warm (cached) call in the same process.
- `simulate()` with the defaults (108 PDUs x 24 cases), best of 3, and at 10 times the size.

Run: .venv/bin/python benchmarks/bench_data.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def cold_load_cases(processed: Path, runs: int = 5, pandas_first: bool = False) -> float:
    code = (
        ("import pandas, pyarrow.parquet; " if pandas_first else "")
        + "import time; t = time.perf_counter(); from analysis import data; "
        f"data.load_cases(processed_dir=r'{processed}'); print(time.perf_counter() - t)"
    )
    out = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(out)


def main() -> None:
    from analysis import config
    from analysis.data import datasets
    from analysis.data.build import build
    from analysis.synthetic.generate import simulate

    with tempfile.TemporaryDirectory() as tmp:
        processed = Path(tmp) / "processed"
        t_build = best_of(lambda: build(raw_dir=config.RAW_DIR, processed_dir=processed))
        n_cases = len(datasets.load_cases(processed_dir=processed))
        print(f"build: {t_build:.2f} s (committed data/raw, {n_cases} cases, 10 tables; best of 3)")
        t_cold = cold_load_cases(processed)
        print(
            f"load_cases_cold: {t_cold:.3f} s (fresh interpreter, including importing pandas; median of 5)"
        )
        t_first = cold_load_cases(processed, pandas_first=True)
        print(
            f"load_cases_first_call: {t_first:.3f} s (fresh interpreter, pandas already imported "
            "as in a notebook; target < 0.5 s; median of 5)"
        )
        datasets.load_cases(processed_dir=processed)
        t_warm = best_of(lambda: datasets.load_cases(processed_dir=processed), repeat=5)
        print(f"load_cases_warm: {1000 * t_warm:.1f} ms (cached; best of 5)")
        t_region = best_of(
            lambda: datasets.load_cases("North East", processed_dir=processed), repeat=5
        )
        print(f"load_cases_region: {1000 * t_region:.1f} ms (one region, cached; best of 5)")
    t_sim = best_of(lambda: simulate())
    print(f"simulate_default: {t_sim:.3f} s (108 PDUs x 24 cases; best of 3)")
    t_sim10 = best_of(lambda: simulate(cases_per_pdu=240), repeat=1)
    print(
        f"simulate_x10: {t_sim10:.3f} s (108 PDUs x 240 cases; ratio to default {t_sim10 / t_sim:.1f}, linear would be 10)"
    )


if __name__ == "__main__":
    main()
