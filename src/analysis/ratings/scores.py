"""The rating engine: from case answers to key-question scores, standard and overall ratings.

Vectorised over many units at once. The rules come from :mod:`analysis.frameworks`:

* a key question's score is the % of applicable cases answered Yes (not-applicable answers
  leave the denominator), with a Wilson 95% interval;
* a case-supervision standard's rating is the band of its lowest key-question score (a band
  applies from its lower bound inclusive, on the unrounded percentage);
* the overall score is the sum of the standards' scores, placed in the framework's overall band.

Uncertainty: the standard's *true* rating is the band of its lowest true key-question
proportion. By default its probabilities come from a pooled model (:mod:`analysis.ratings.
uncertainty`): the key questions of a standard are related and the units rated together
resemble each other, so each unit's true proportions are drawn from a population fitted across
them (or, with fewer than 30 units, from a prior built from the published national picture),
which keeps the probabilities calibrated when key questions are close. ``probability_model=
"independent"`` gives the earlier independent Jeffreys model. A standard is ``borderline`` when
the probability that its true band differs from the computed one is at least ``borderline_at``
(default 0.2). See docs/ratings.md.

>>> import pandas as pd
>>> kq = pd.DataFrame({"pdu": "York", "key_question": ["assessment_engagement",
...     "assessment_desistance", "assessment_keeping_safe"], "pct_yes": [70, 80, 25], "n": 20})
>>> from analysis.ratings import key_question_scores_from_percentages
>>> scores = key_question_scores_from_percentages(kq, by="pdu")
>>> standard_ratings(scores, by="pdu")[["standard", "lowest_pct", "rating"]]
                      standard  lowest_pct      rating
0                   assessment        25.0  Inadequate
1                     planning         NaN         NaN
2  implementation_and_delivery         NaN         NaN
3                    reviewing         NaN         NaN
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..data.provenance import data_source, mark
from ..exceptions import InputDataError
from ..frameworks import ANSWERS
from ._common import (
    PROB_COLUMNS,
    band_index,
    by_columns,
    keep_dataset,
    rating_labels,
    scores_frame,
)
from .borderline import edge_in_reach, group_counts
from .joint import borrow, case_based_joint
from .uncertainty import PooledModel, band_probabilities, fit_pooled

__all__ = ["key_question_scores", "standard_ratings", "fit_population", "unit_keys"]

# --- key-question scores ----------------------------------------------------------------------


def _answer_codes(column: pd.Series, name: str) -> np.ndarray:
    """Integer codes 0 = yes, 1 = no, 2 = not applicable, -1 = missing."""
    if isinstance(column.dtype, pd.CategoricalDtype) and list(column.cat.categories) == list(
        ANSWERS
    ):
        return column.cat.codes.to_numpy()
    text = column.astype("string").str.strip().str.lower()
    known = text.isin(ANSWERS).to_numpy(dtype=bool)
    cat = pd.Categorical(text.where(known), categories=ANSWERS)
    bad = column.notna().to_numpy() & ~known
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputDataError(
            f"Column {name!r}, row {row + 1}: answer {column.iloc[row]!r} is not one of "
            f"{', '.join(ANSWERS)} ({int(bad.sum())} such value(s) in this column)."
        )
    return cat.codes


def key_question_scores(
    cases: pd.DataFrame,
    framework: str | _fw.Framework = "pdu-2023",
    by: str | Sequence[str] | None = "pdu",
) -> pd.DataFrame:
    """Per unit and key question: applicable n, n yes, % yes and its Wilson 95% interval.

    Parameters
    ----------
    cases : DataFrame
        Either wide (one row per case, one column per key question named as in
        ``framework.key_question_ids``, values yes / no / not_applicable) or long (columns
        ``key_question`` and ``answer``).
    framework : str or Framework
    by : str or list of str or None
        Columns that identify a unit (``None``: all cases as one unit).

    Returns
    -------
    DataFrame
        Columns ``[*by, standard, area, key_question, n_applicable, n_yes, pct_yes, ci_low,
        ci_high, source]``; percentages 0–100; ``pct_yes`` is NaN where no case was applicable.
        ``source`` is ``synthetic`` for simulated cases (and ``attrs["synthetic"]`` is set).

    Raises
    ------
    InputDataError
        A key-question or unit column is missing, or an answer is not yes / no / not_applicable.
    """
    fw = _fw.get(framework)
    by = by_columns(by)
    missing = [c for c in by if c not in cases.columns]
    if missing:
        raise InputDataError(
            f"Unit column(s) {missing} not found; columns are {list(cases.columns)}."
        )
    if {"key_question", "answer"} <= set(cases.columns):
        cases = _long_to_wide(cases, fw, by)
    absent = [k for k in fw.key_question_ids if k not in cases.columns]
    if absent:
        raise InputDataError(
            f"Key-question column(s) {absent} not found for framework {fw.id!r}; "
            f"expected columns {list(fw.key_question_ids)}."
        )
    if by:
        unit_codes, keys = _unit_codes(cases, by)
    else:
        unit_codes, keys = np.zeros(len(cases), dtype=np.int64), pd.DataFrame(index=[0])
    n_units = len(keys)
    n_app = np.empty((n_units, len(fw.key_questions)))
    n_yes = np.empty_like(n_app)
    valid_unit = unit_codes >= 0
    for j, kq in enumerate(fw.key_question_ids):
        codes = _answer_codes(cases[kq], kq)
        ok = valid_unit & (codes >= 0)
        counts = np.bincount(unit_codes[ok] * 3 + codes[ok], minlength=n_units * 3).reshape(
            n_units, 3
        )
        n_yes[:, j] = counts[:, 0]
        n_app[:, j] = counts[:, 0] + counts[:, 1]
    out = scores_frame(keys.reset_index(drop=True), fw, n_app, n_yes)
    return keep_dataset(mark(out, data_source(cases)), cases)


def _unit_codes(cases: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    if len(by) == 1 and isinstance(cases[by[0]].dtype, pd.CategoricalDtype):
        col = cases[by[0]]
        present = np.unique(col.cat.codes.to_numpy())
        present = present[present >= 0]
        remap = np.full(len(col.cat.categories), -1, dtype=np.int64)
        remap[present] = np.arange(present.size)
        raw = col.cat.codes.to_numpy()
        codes = np.where(raw >= 0, remap[raw], -1)
        keys = pd.DataFrame({by[0]: pd.Categorical.from_codes(present, dtype=col.dtype)})
        return codes, keys
    grouped = cases.groupby(by, sort=True, observed=True, dropna=True)
    codes = grouped.ngroup().to_numpy()
    keys = grouped.size().reset_index()[by]
    return codes.astype(np.int64), keys


def _long_to_wide(cases: pd.DataFrame, fw: _fw.Framework, by: list[str]) -> pd.DataFrame:
    if "case_id" not in cases.columns:
        raise InputDataError(
            "Long-format answers need a 'case_id' column beside key_question and answer."
        )
    unknown = sorted(set(cases["key_question"].dropna()) - set(fw.key_question_ids))
    if unknown:
        raise InputDataError(
            f"Unknown key question(s) {unknown} for framework {fw.id!r}; expected {list(fw.key_question_ids)}."
        )
    wide = cases.pivot_table(
        index=[*by, "case_id"],
        columns="key_question",
        values="answer",
        aggfunc="first",
        observed=True,
    )
    return wide.reset_index()


# --- standard ratings -------------------------------------------------------------------------


def standard_ratings(
    kq_scores: pd.DataFrame,
    framework: str | _fw.Framework = "pdu-2023",
    by: str | Sequence[str] | None = "pdu",
    borderline_at: float = 0.2,
    *,
    probability_model: str = "pooled",
    cases: pd.DataFrame | None = None,
    population: PooledModel | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Rate each case-supervision standard from its lowest key-question score, with uncertainty.

    Parameters
    ----------
    probability_model : {"pooled", "national", "independent"}
        How the probability of each true band is computed (``docs/ratings.md``): ``pooled``
        (default) fits a population of units across the units rated together (at least 30
        with an applicable case per standard, else it pools towards the published national
        picture, and says so in ``pooled_towards``); ``national`` always uses that prior;
        ``independent`` is the earlier model (independent Jeffreys posteriors), kept for
        comparison.
    cases : DataFrame, optional
        Case-level answers (wide, one row per case, with the ``by`` columns), so that answers on
        the same cases are not treated as independent.
    population : PooledModel, optional
        A population fitted elsewhere, e.g. on every PDU nationally
        (:func:`analysis.ratings.uncertainty.fit_pooled`), used when rating a few units.
    seed : int
        Seed of the deterministic draws behind the pooled probabilities.

    Returns
    -------
    DataFrame
        ``[*by, standard, standard_name, lowest_key_question, lowest_pct, n_applicable, rating,
        p_outstanding, p_good, p_requires_improvement, p_inadequate, p_computed, borderline,
        edge_in_reach, probability_model, pooled_towards, prior_scale, prior_shared,
        p_computed_independent, source]``. ``p_*`` are posterior probabilities of the true band;
        ``p_computed`` is that of the computed rating and ``p_computed_independent`` the same
        under the independent model (the difference is how much the pooling or prior moved
        it); ``prior_scale`` is the factor by which an outside prior's covariance was widened
        for the unit and ``prior_shared`` the variance (logit scale) of a shift shared by its
        key questions (1 and 0: the prior used in full).
        ``borderline`` is set when P(true band differs) is at least ``borderline_at`` or
        ``edge_in_reach``: a key question's 95% Wilson interval reaches an edge of the computed
        band (:func:`~analysis.ratings.uncertainty.edge_in_reach`; docs/ratings.md, "Near a band
        edge"). ``attrs["case_score_distribution"]`` holds the joint model of the case-based
        standards (:func:`~analysis.ratings.joint.joint_scores`) that
        :func:`~analysis.ratings.overall_ratings` uses; a standard rated on the national prior
        takes its probabilities from it ("jointly with the unit's other standards"). Ties for the lowest score
        name the first key question in framework order. A standard with no applicable case has
        a missing rating.

    Raises
    ------
    InputDataError
        A standard with some but not all of its key questions, or a key question with
        applicable cases but no score: a standard is never rated on part of its key questions.
    """
    fw = _fw.get(framework)
    by = by_columns(by)
    _check_complete(kq_scores, fw, by)
    order = {s: i for i, s in enumerate(fw.standard_slugs)}
    kq_order = {k: i for i, k in enumerate(fw.key_question_ids)}
    df = kq_scores.assign(
        _s=kq_scores["standard"].map(order), _k=kq_scores["key_question"].map(kq_order)
    ).sort_values([*by, "_s", "_k"], kind="stable")
    group_cols = [*by, "standard"]
    grouped = df.groupby(group_cols, sort=False, observed=True)
    codes = grouped.ngroup().to_numpy()
    pct = df["pct_yes"].to_numpy(dtype=float)
    # lowest score per group; NaN (no applicable case) sorts last
    rank_key = np.where(np.isnan(pct), np.inf, pct)
    pos = np.lexsort((np.arange(len(df)), rank_key, codes))
    first = np.r_[True, codes[pos][1:] != codes[pos][:-1]]
    lowest = df.iloc[pos[first]]
    out = lowest[group_cols].reset_index(drop=True)
    out["standard_name"] = [fw.standard(s).name for s in out["standard"]]
    out["lowest_key_question"] = lowest["key_question"].to_numpy()
    out["lowest_pct"] = lowest["pct_yes"].to_numpy(dtype=float)
    out["n_applicable"] = lowest["n_applicable"].to_numpy()
    edges_pct = np.array([lo for _, lo in reversed(fw.rating_bands)])
    idx = band_index(out["lowest_pct"].to_numpy(), edges_pct)
    out.loc[idx < 0, "lowest_key_question"] = None
    out["rating"] = rating_labels(idx)
    unit = unit_keys(df, by)
    model = fit_pooled(
        df["n_yes"],
        df["n_applicable"],
        unit,
        df["standard"],
        df["key_question"],
        method=probability_model,
        cases=_case_answers(cases, by),
        framework=fw,
        population=population,
    )
    group_of = codes[pos[first]]
    counts = (df["n_yes"], df["n_applicable"], unit, df["standard"], df["key_question"])
    probs = band_probabilities(*counts, edges_pct / 100, model=model, rng=seed)[group_of]
    joint = (
        case_based_joint(
            df, unit, fw, edges_pct / 100, _case_answers(cases, by), seed, probability_model
        )
        if probability_model != "independent"
        else None
    )
    towards = model.groups["pooled_towards"].to_numpy()[group_of].astype(object)
    if joint is not None:  # a unit rated on a prior from elsewhere borrows from its standards
        keys = unit.groupby(codes).first().to_numpy()
        borrow(probs, towards, keys, out["standard"].to_numpy(), joint)
    out[PROB_COLUMNS] = probs[:, ::-1]  # probs are worst band first
    with np.errstate(invalid="ignore"):
        p_computed = np.where(idx >= 0, probs[np.arange(len(out)), np.clip(idx, 0, None)], np.nan)
    out["p_computed"] = p_computed
    Y, M = group_counts(df["n_yes"], df["n_applicable"], codes, len(out))
    near = edge_in_reach(Y, M, idx, edges_pct / 100)
    out["borderline"] = pd.array(
        np.where(idx >= 0, ((1 - p_computed) >= borderline_at) | near, False), dtype="boolean"
    )
    out.loc[idx < 0, "borderline"] = pd.NA
    out["edge_in_reach"] = pd.array(np.where(idx >= 0, near, False), dtype="boolean")
    out.loc[idx < 0, "edge_in_reach"] = pd.NA
    out["probability_model"] = model.groups["probability_model"].to_numpy()[group_of]
    out["pooled_towards"] = towards
    out["prior_scale"] = model.groups["prior_scale"].to_numpy()[group_of]
    out["prior_shared"] = model.groups["prior_shared"].to_numpy()[group_of]
    independent = band_probabilities(*counts, edges_pct / 100, method="independent")[group_of]
    with np.errstate(invalid="ignore"):
        out["p_computed_independent"] = np.where(
            idx >= 0, independent[np.arange(len(out)), np.clip(idx, 0, None)], np.nan
        )
    result = keep_dataset(mark(out, data_source(kq_scores)), kq_scores)
    if joint is not None:
        dist = joint.distribution
        result.attrs["case_score_distribution"] = {
            str(k): tuple(map(float, v)) for k, v in zip(dist.index, dist.to_numpy(), strict=True)
        }  # plain values, so that the frame's attrs stay comparable
    return result


def fit_population(
    kq_scores: pd.DataFrame,
    framework: str | _fw.Framework = "pdu-2023",
    by: str | Sequence[str] | None = "pdu",
) -> PooledModel:
    """The pooled population fitted on many units (e.g. every PDU nationally).

    Pass it as ``population=`` to :func:`standard_ratings` when rating a few units (one
    region's PDUs), so that they are pooled towards the units they resemble rather than towards
    the thinner national prior.
    """
    fw = _fw.get(framework)
    by = by_columns(by)
    unit = unit_keys(kq_scores, by)
    return fit_pooled(
        kq_scores["n_yes"],
        kq_scores["n_applicable"],
        unit,
        kq_scores["standard"],
        kq_scores["key_question"],
        framework=fw,
    )


def unit_keys(frame: pd.DataFrame, by: list[str]) -> pd.Series:
    """One text key per unit (the ``by`` columns joined), as the pooled model names units."""
    if not by:
        return pd.Series("all", index=frame.index)
    for column in by:
        missing = frame[column].isna().to_numpy()
        if missing.any():
            raise InputDataError(
                f"column {column!r} row {int(np.flatnonzero(missing)[0]) + 1} has no value; "
                "every rated unit needs a value in each of its unit columns."
            )
    key = frame[by[0]].astype(str)
    for column in by[1:]:
        key = key + " | " + frame[column].astype(str)
    return key.rename(None)


def _case_answers(cases: pd.DataFrame | None, by: list[str]) -> pd.DataFrame | None:
    if cases is None:
        return None
    return cases.assign(unit=unit_keys(cases, by))


def _check_complete(kq: pd.DataFrame, fw: _fw.Framework, by: list[str]) -> None:
    """Every standard present has all its key questions, each scored or not applicable."""
    missing_score = kq["pct_yes"].isna().to_numpy() & (kq["n_applicable"].to_numpy() > 0)
    if missing_score.any():
        row = kq.iloc[int(np.flatnonzero(missing_score)[0])]
        unit = ", ".join(f"{c} {row[c]!r}" for c in by)
        raise InputDataError(
            f"{unit + ': ' if unit else ''}key question {row['key_question']} has "
            f"{row['n_applicable']} applicable case(s) but no pct_yes; it cannot be left out "
            "of its standard's rating."
        )
    wanted = pd.Series([k.standard for k in fw.key_questions]).value_counts()
    sizes = kq.groupby([*by, "standard"], observed=True, sort=False).size()
    expected = wanted.reindex(sizes.index.get_level_values("standard")).to_numpy()
    short = sizes.to_numpy() != expected
    if short.any():
        key = sizes.index[int(np.flatnonzero(short)[0])]
        key = key if isinstance(key, tuple) else (key,)
        unit = ", ".join(f"{c} {v!r}" for c, v in zip(by, key[:-1], strict=True))
        raise InputDataError(
            f"{unit + ': ' if unit else ''}standard {key[-1]!r} has "
            f"{sizes.iloc[int(np.flatnonzero(short)[0])]} key-question row(s); expected "
            f"{wanted[key[-1]]}, one per key question (a standard is never rated on part of "
            "its key questions)."
        )
