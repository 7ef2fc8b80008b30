"""Benchmark the association models on 100,000 synthetic cases.

Run: ``.venv/bin/python benchmarks/bench_models.py [--cases N] [--repeat R]``

Prints one line per measurement, ``name: value unit (note)``. Targets: cluster-robust logistic
model on 100,000 cases with about 20 terms under 3 s; the random-intercept mixed model on
100,000 cases under 5 s. SYNTHETIC data throughout.
"""

from __future__ import annotations

import argparse
import statistics
import time


def _best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from analysis.models import associations
    from analysis.models.case import CASE_MIX
    from analysis.synthetic.generate import simulate

    per_pdu = -(-args.cases // 108)
    start = time.perf_counter()
    cases = simulate(seed=2025, cases_per_pdu=per_pdu).cases
    print(
        f"simulate_cases: {time.perf_counter() - start:.2f} s ({len(cases):,} SYNTHETIC cases, 108 PDUs)"
    )
    covariates = (*CASE_MIX, "region")

    def run(cluster):
        return associations(
            cases, outcome="new_offence", exposure="quality_score", covariates=covariates, cluster=cluster,
            include_covariates=True,
        )  # fmt: skip

    seconds, table = _best(lambda: run("robust"), args.repeat)
    terms = len(table)
    status = "meets" if seconds < 3 else "MISSES"
    print(f"logit_cluster_robust_100k: {seconds:.2f} s ({terms} terms incl. intercept, median of {args.repeat}; {status} target < 3 s)")  # fmt: skip
    robust = table.set_index("term")

    seconds, table = _best(lambda: run("gee"), 1)
    print(f"gee_exchangeable_100k: {seconds:.2f} s ({terms} terms, one run; no target)")

    seconds, table = _best(lambda: run("mixed"), 1)
    status = "meets" if seconds < 5 else "MISSES"
    print(
        f"mixed_random_intercept_100k: {seconds:.2f} s ({terms} terms, AGHQ 9 nodes, one run; "
        f"{status} target < 5 s)"
    )
    mixed = table.set_index("term")
    term = "quality_score_per_10pts"
    print(
        f"quality_log_or_robust_vs_mixed: {robust.loc[term, 'estimate']:.4f} vs {mixed.loc[term, 'estimate']:.4f} "
        f"(SE {robust.loc[term, 'std_error']:.4f} vs {mixed.loc[term, 'std_error']:.4f}; truth -0.1000)"
    )

    clustered = simulate(seed=2026, cases_per_pdu=per_pdu, outcome_pdu_sd=0.4).cases
    seconds, table = _best(
        lambda: associations(
            clustered, outcome="new_offence", covariates=covariates, cluster="mixed"
        ),
        1,
    )
    row = table.iloc[0]
    status = "meets" if seconds < 5 else "MISSES"
    print(
        f"mixed_random_intercept_100k_pdu_sd_0.4: {seconds:.2f} s ({status} target < 5 s; "
        "outcomes with a PDU random intercept, SD 0.4; "
        f"log OR {row['estimate']:.4f}, SE {row['std_error']:.4f}, truth -0.1000; {row['warning']})"
    )

    seconds, table = _best(
        lambda: associations(
            cases, outcome="new_offence", exposure="key_question", covariates=CASE_MIX
        ),
        1,
    )
    print(
        f"key_questions_12_models_100k: {seconds:.2f} s (12 cluster-robust models with Holm and BH)"
    )


if __name__ == "__main__":
    main()
