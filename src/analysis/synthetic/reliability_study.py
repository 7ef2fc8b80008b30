"""The full calibration study of rating probabilities: tables, reliability diagram, markdown.

``run_calibration_study`` is what ``make validate`` runs for ratings: every scenario of
:mod:`analysis.synthetic.reliability` at 20, 40 and 80 cases, every method, with a reliability
diagram per scenario and a markdown table of calibration error, Brier score and the borderline
flag's promise.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..exceptions import ParameterError
from ..io.atomic import atomic_path, write_text_atomic
from .reliability import (
    SAMPLE_SIZES,
    SCENARIOS,
    STUDY_METHODS,
    calibration_summary,
    reliability_table,
    simulate_ratings,
)

__all__ = [
    "CalibrationStudy",
    "plot_reliability",
    "reliability_figure",
    "summary_markdown",
    "run_calibration_study",
    "run_rating_validation",
    "validation_markdown",
]

_LABELS = {
    "independent": "independent (previous)",
    "pooled": "pooled",
    "pooled_cases": "pooled, case-level",
    "national": "national prior only",
}
_COLOURS = {
    "independent": "#d62728",
    "pooled": "#1f77b4",
    "pooled_cases": "#17becf",
    "national": "#7f7f7f",
}


@dataclass(frozen=True)
class CalibrationStudy:
    """Results of :func:`run_calibration_study`: ``summary`` (one row per scenario, sample
    size and method), ``reliability`` (per bin, sample sizes pooled) and the run's settings."""

    summary: pd.DataFrame
    reliability: pd.DataFrame
    settings: dict

    def markdown(self) -> str:
        """The summary as a markdown table (see :func:`summary_markdown`)."""
        return summary_markdown(self.summary)


def plot_reliability(reliability: pd.DataFrame, ax=None, title: str | None = None):
    """Reliability diagram: share of ratings right against the stated probability, per method.

    Parameters
    ----------
    reliability : DataFrame
        Output of :func:`analysis.synthetic.reliability.reliability_table` for one scenario.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    ax.plot([0, 1], [0, 1], color="0.6", lw=1, ls="--", label="calibrated")
    ax.axvspan(0.8, 1.0, color="0.92", lw=0)
    present = list(dict.fromkeys(reliability["method"]))
    for method in [m for m in _LABELS if m in present] + [m for m in present if m not in _LABELS]:
        g = reliability[reliability["method"] == method].sort_values("mean_p")
        ax.plot(
            g["mean_p"],
            g["share_right"],
            marker="o",
            ms=3,
            lw=1.2,
            color=_COLOURS.get(method),
            label=_LABELS.get(method, method),
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("stated probability of the rating")
    ax.set_ylabel("share of ratings right")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def reliability_figure(reliability: pd.DataFrame):
    """One reliability diagram per scenario, side by side (sample sizes as given, usually pooled).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    scenarios = list(dict.fromkeys(reliability["scenario"]))
    fig, axes = plt.subplots(1, len(scenarios), figsize=(3.2 * len(scenarios), 3.4), squeeze=False)
    for ax, scenario in zip(axes[0], scenarios, strict=True):
        plot_reliability(reliability[reliability["scenario"] == scenario], ax, scenario)
    axes[0][0].legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig


def summary_markdown(summary: pd.DataFrame) -> str:
    """Markdown table: scenario, cases, method, ECE, Brier, share right when not borderline."""
    lines = [
        "| scenario | cases | method | share right | mean p | calibration error | Brier | "
        "not borderline | right when not borderline (SE) | promise kept |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in summary.itertuples(index=False):
        lines.append(
            f"| {r.scenario} | {r.n_cases} | {_LABELS.get(r.method, r.method)} | "
            f"{r.share_right:.3f} | {r.mean_p:.3f} | {r.calibration_error:.3f} | {r.brier:.3f} | "
            f"{r.share_not_borderline:.3f} | {r.right_when_not_borderline:.3f} "
            f"({r.se_right_when_not_borderline:.3f}) | {'yes' if r.promise_kept else '**no**'} |"
        )
    return "\n".join(lines) + "\n"


def run_calibration_study(
    replications: int = 50,
    out: str | Path | None = None,
    *,
    n_units: int = 100,
    scenarios=SCENARIOS,
    sample_sizes=SAMPLE_SIZES,
    methods=STUDY_METHODS,
    seed: int = 20241,
) -> CalibrationStudy:
    """Run the calibration study; with ``out``, write its tables, markdown and figure there.

    Files written to ``out``: ``rating_calibration_summary.csv``,
    ``rating_calibration_reliability.csv``, ``rating_calibration.md`` and
    ``rating_reliability.png`` (one panel per scenario, sample sizes pooled).

    Raises
    ------
    ParameterError
        ``replications`` below 1, or an unknown scenario or method.
    """
    if replications < 1:
        raise ParameterError(f"replications must be 1 or more, got {replications!r}.")
    unknown = sorted(set(scenarios) - set(SCENARIOS))
    if unknown:
        raise ParameterError(f"Unknown scenario(s) {unknown}; known: {', '.join(SCENARIOS)}.")
    start = time.perf_counter()
    summaries, reliabilities = [], []
    for scenario in scenarios:
        per_size = []
        for n_cases in sample_sizes:
            ratings = simulate_ratings(
                scenario, n_cases, replications, n_units=n_units, methods=methods, seed=seed
            )
            summaries.append(calibration_summary(ratings))
            per_size.append(ratings)
        pooled = pd.concat(per_size, ignore_index=True).assign(n_cases="all")
        reliabilities.append(reliability_table(pooled))
    settings = {
        "replications": replications,
        "n_units": n_units,
        "scenarios": list(scenarios),
        "sample_sizes": list(sample_sizes),
        "methods": list(methods),
        "seed": seed,
        "seconds": round(time.perf_counter() - start, 1),
    }
    study = CalibrationStudy(
        pd.concat(summaries, ignore_index=True),
        pd.concat(reliabilities, ignore_index=True),
        settings,
    )
    if out is not None:
        _write(study, Path(out))
    return study


def _write(study: CalibrationStudy, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out / "rating_calibration_summary.csv", study.summary.to_csv(index=False))
    reliability_csv = study.reliability.to_csv(index=False)
    write_text_atomic(out / "rating_calibration_reliability.csv", reliability_csv)
    s = study.settings
    head = (
        f"# Calibration of rating probabilities\n\n{s['replications']} replications of "
        f"{s['n_units']} units per scenario and sample size (seed {s['seed']}, "
        f"{s['seconds']} s).\n\n"
    )
    write_text_atomic(out / "rating_calibration.md", head + study.markdown())
    fig = reliability_figure(study.reliability)
    with atomic_path(out / "rating_reliability.png") as temp:
        fig.savefig(temp, dpi=72, format="png")
    plt.close(fig)


STANDARD_SCENARIOS = SCENARIOS
OVERALL_SCENARIOS = ("published", "spread", "shared", "generator")
_TABLE_COLUMNS = [
    "level",
    "scenario",
    "n_cases",
    "method",
    "subset",
    "n_ratings",
    "calibration_error",
    "calibration_noise",
    "share_not_borderline",
    "right_when_not_borderline",
    "se_right_when_not_borderline",
    "promise_kept",
]


def run_rating_validation(
    replications: int = 10,
    out: str | Path | None = None,
    *,
    sample_sizes=SAMPLE_SIZES,
    standard_scenarios=STANDARD_SCENARIOS,
    overall_scenarios=OVERALL_SCENARIOS,
    seed: int = 20241,
    draws: int = 1024,
) -> pd.DataFrame:
    """The table ``make validate`` prints for ratings: every scenario, 20/40/80 cases, standards
    (independent and pooled) and overall ratings (independent, pooled, joint), over all ratings
    and within 4 points of each band edge, by the true and by the estimated lowest proportion
    (overall: within a point of the I/RI boundary, by the truth).

    With ``out``, writes ``rating_validation.csv`` and ``rating_validation.md`` there.

    Returns
    -------
    DataFrame
        Columns ``level, scenario, n_cases, method, subset, n_ratings, calibration_error,
        calibration_noise, share_not_borderline, right_when_not_borderline, se_right_when_not_borderline,
        promise_kept``.
    """
    from .reliability import simulate_ratings
    from .reliability_overall import simulate_overall
    from .reliability_summary import edge_summary

    if replications < 1:
        raise ParameterError(f"replications must be 1 or more, got {replications!r}.")
    start = time.perf_counter()
    frames = []
    for scenario in standard_scenarios:
        for n_cases in sample_sizes:
            r = simulate_ratings(
                scenario,
                n_cases,
                replications,
                methods=("independent", "pooled"),
                seed=seed,
                draws=draws,
            )
            frames.append(edge_summary(r).assign(level="standard"))
    for scenario in overall_scenarios:
        for n_cases in sample_sizes:
            r = simulate_overall(scenario, n_cases, replications, seed=seed + 1, draws=draws)
            frames.append(edge_summary(r).assign(level="overall"))
    table = pd.concat(frames, ignore_index=True)[_TABLE_COLUMNS]
    table.attrs["settings"] = {
        "replications": replications,
        "seed": seed,
        "seconds": round(time.perf_counter() - start, 1),
    }
    if out is not None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out / "rating_validation.csv", table.to_csv(index=False))
        write_text_atomic(out / "rating_validation.md", validation_markdown(table))
    return table


def validation_markdown(table: pd.DataFrame) -> str:
    """The rating-validation table as markdown, with the settings it was run at."""
    s = table.attrs.get("settings", {})
    lines = [
        f"Rating probabilities: {s.get('replications', '?')} replications of 100 units per cell "
        f"(12 units for better_region), seed {s.get('seed', '?')}, {s.get('seconds', '?')} s.",
        "",
        "Calibration error beside the error a calibrated forecaster shows by chance with the same "
        "probabilities (noise). Subsets: all ratings; near an edge by the true lowest proportion "
        "(near 50, 65, 80); near an edge by the estimated one (estimate near 50, 65, 80).",
        "",
        "| level | scenario | cases | method | subset | ratings | calibration error (noise) | "
        "not borderline | right when not borderline (SE) | promise kept |",
        "| --- | --- | ---: | --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in table.itertuples(index=False):
        right = (
            "-"
            if pd.isna(r.right_when_not_borderline)
            else f"{r.right_when_not_borderline:.3f} ({r.se_right_when_not_borderline:.3f})"
        )
        lines.append(
            f"| {r.level} | {r.scenario} | {r.n_cases} | {r.method} | {r.subset} | "
            f"{r.n_ratings} | {r.calibration_error:.3f} ({r.calibration_noise:.3f}) | "
            f"{r.share_not_borderline:.3f} | {right} | "
            f"{'yes' if r.promise_kept else '**no**'} |"
        )
    return "\n".join(lines) + "\n"
