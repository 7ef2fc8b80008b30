"""Rating engine and import benchmarks.

- `import analysis` in a fresh interpreter (target < 0.3 s), median of 5.
- key-question scores, standard ratings (with band probabilities) and overall ratings (with
  probabilities) for 1,000,000 cases x 12 answers across 1,000 units (target < 1 s), best of 3.
  Answers are categorical, as data/processed stores them.

Run: .venv/bin/python benchmarks/bench_ratings.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd


def import_time(module: str = "analysis") -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(5)
    ]
    return statistics.median(runs)


def make_cases(n_cases: int, n_units: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    from analysis import frameworks

    fw = frameworks.get("pdu-2023")
    rng = np.random.default_rng(seed)
    units = [f"PDU{i:04d}" for i in range(n_units)]
    data = {"pdu": pd.Categorical.from_codes(rng.integers(0, n_units, n_cases), categories=units)}
    for kq in fw.key_question_ids:
        codes = rng.choice(3, size=n_cases, p=[0.55, 0.35, 0.10])
        data[kq] = pd.Categorical.from_codes(codes, categories=["yes", "no", "not_applicable"])
    other = pd.DataFrame(
        {
            "pdu": np.repeat(units, 3),
            "standard": ["leadership", "staffing", "services"] * n_units,
            "rating": "Requires improvement",
        }
    )
    return pd.DataFrame(data), other


def time_rating(cases: pd.DataFrame, other: pd.DataFrame) -> dict[str, float]:
    from analysis import ratings

    timings = {}
    t0 = time.perf_counter()
    kq = ratings.key_question_scores(cases, by="pdu")
    t1 = time.perf_counter()
    std = ratings.standard_ratings(kq, by="pdu")
    t2 = time.perf_counter()
    ratings.overall_ratings(std, by="pdu", other_ratings=other)
    t3 = time.perf_counter()
    timings["key_question_scores"] = t1 - t0
    timings["standard_ratings"] = t2 - t1
    timings["overall_ratings"] = t3 - t2
    timings["total"] = t3 - t0
    return timings


def main() -> None:
    print(
        f"import_analysis: {import_time():.3f} s (median of 5 fresh interpreters; target < 0.3 s)"
    )
    print(
        f"import_analysis_ratings: {import_time('analysis.ratings'):.3f} s (first use: loads pandas and numpy; for information)"
    )
    cases, other = make_cases(1_000_000, 1_000)
    time_rating(cases.head(10_000), other)  # warm up imports
    best = min((time_rating(cases, other) for _ in range(3)), key=lambda t: t["total"])
    for name, seconds in best.items():
        print(
            f"rate_1m_cases_{name}: {seconds:.3f} s (1,000,000 cases x 12 answers, 1,000 units; best of 3)"
        )
    print(
        f"rate_1m_cases_target_ratio: {best['total'] / 1.0:.2f} (total / 1 s target; below 1 meets it)"
    )
    tracemalloc.start()
    time_rating(cases, other)
    _, peak = tracemalloc.get_traced_memory()
    print(
        f"rate_1m_cases_peak_memory: {peak / 2**20:.0f} MiB (Python allocations during one rating; input frame {cases.memory_usage(deep=True).sum() / 2**20:.0f} MiB)"
    )


if __name__ == "__main__":
    main()
