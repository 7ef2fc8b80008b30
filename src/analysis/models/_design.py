"""Input checks and design matrices for the case-level models (internal)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..exceptions import InputDataError, ParameterError
from ..ratings.quality import QUALITY_BANDS, quality_scores

CASE_MIX: tuple[str, ...] = ("rosh", "sentence_type", "gender", "age_band")
"""Default case-mix adjustment: RoSH, sentence type, gender, age band (treatment coded)."""

CASE_MIX_WORDS = {
    "rosh": "risk of serious harm",
    "sentence_type": "sentence type",
    "gender": "gender",
    "age_band": "age band",
}
"""The case-mix variables in words, for the notes a reader sees."""


def term_words(name: str) -> str:
    """A model term or case-mix variable in words: ``rosh[very_high]`` → ``risk of serious
    harm: very high``; ``sentence_type`` → ``sentence type``.

    >>> term_words("rosh[very_high]"), term_words("age_band")
    ('risk of serious harm: very high', 'age band')
    """
    base, _, level = str(name).partition("[")
    words = CASE_MIX_WORDS.get(base, base.replace("_", " "))
    return f"{words}: {level.rstrip(']').replace('_', ' ')}" if level else words


def _level(value) -> str:
    return str(value).replace("_", " ")


EXPOSURES = ("quality_score", "quality_band", "key_question", "standard", "area")


def as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def constant_columns(cases: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """The columns among ``columns`` with fewer than two distinct non-missing values."""
    return [c for c in columns if cases[c].dropna().nunique() < 2]


def check_columns(
    cases: pd.DataFrame, columns: Sequence[str], role: str, *, allow_constant: bool = False
) -> None:
    """Raise a clear :class:`InputDataError` if a column is missing or (unless
    ``allow_constant``) has one value only."""
    if not isinstance(cases, pd.DataFrame):
        raise InputDataError(f"Expected a case-level DataFrame first, got {type(cases).__name__}.")
    for col in columns:
        if col not in cases.columns:
            raise InputDataError(
                f"{role.capitalize()} column {col!r} is not in the case data. "
                f"Available columns: {', '.join(map(str, cases.columns))}."
            )
        values = cases[col].dropna()
        if not allow_constant and values.nunique() < 2:
            seen = values.unique().tolist()[:1]
            raise InputDataError(
                f"{role.capitalize()} column {col!r} is constant ({len(values)} non-missing rows, "
                f"value {_plain(seen[0]) if seen else 'none'!r}): it cannot be modelled. "
                f"Drop it from the {role}s or use data where it varies."
            )


def _plain(value):
    """A numpy scalar as the Python value it holds, for readable messages."""
    return value.item() if isinstance(value, np.generic) else value


def outcome_vector(cases: pd.DataFrame, outcome: str) -> np.ndarray:
    """Outcome as float 0/1 with NaN for not applicable; raises if it is not binary."""
    col = cases[outcome]
    if col.dtype == bool or str(col.dtype) == "boolean":
        return col.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    values = pd.to_numeric(col, errors="coerce")
    bad = col.notna() & ~values.isin([0, 1])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputDataError(
            f"Outcome column {outcome!r}, row {row}: value {_plain(col.iloc[row])!r} is not binary; "
            "expected True/False (or 1/0), with missing values for not applicable."
        )
    return values.to_numpy(dtype=float)


@dataclass
class Exposure:
    """One model's exposure: named columns of the design, and how to read their effect."""

    family: str
    label: str
    columns: dict[str, np.ndarray]
    kind: str  # "continuous" or "indicator"
    siblings: list[str] = field(default_factory=list)


def exposures(
    cases: pd.DataFrame, exposure: str, *, framework: str = "pdu-2023", per: float = 10
) -> list[Exposure]:
    """The list of single-exposure models that ``exposure`` asks for.

    Raises
    ------
    ParameterError
        If ``exposure`` is not one of :data:`EXPOSURES` or a key-question column.
    """
    fw = _fw.get(framework)
    if exposure not in EXPOSURES and exposure not in fw.key_question_ids:
        raise ParameterError(
            f"exposure={exposure!r} is not known; use one of {', '.join(EXPOSURES)} "
            "or a key-question column such as 'planning_keeping_safe'."
        )
    if exposure in fw.key_question_ids or exposure == "key_question":
        ids = [exposure] if exposure in fw.key_question_ids else list(fw.key_question_ids)
        quality_scores(cases, framework=framework, key_questions=ids)  # checks the answers
        out = []
        for kq in ids:
            answers = cases[kq].astype("object")
            x = np.where(answers == "yes", 1.0, np.where(answers == "no", 0.0, np.nan))
            out.append(Exposure("key_question", kq, {kq: x}, "indicator"))
        return out
    q = quality_scores(cases, framework=framework)
    scale = 100.0 / per
    suffix = f"_per_{per:g}pts"
    if exposure == "quality_score":
        return [
            Exposure(
                "quality_score",
                "quality_score",
                {"quality_score" + suffix: scale * q["quality_score"].to_numpy()},
                "continuous",
            )
        ]
    if exposure == "quality_band":
        band = q["quality_band"]
        missing = band.isna().to_numpy()
        cols = {}
        for level in QUALITY_BANDS[1:]:
            cols[f"quality_band[{level}]"] = np.where(
                missing, np.nan, (band == level).to_numpy(dtype=float)
            )
        return [Exposure("quality_band", "quality_band", cols, "indicator", siblings=list(cols))]
    prefix = "standard_" if exposure == "standard" else "area_"
    names = [c for c in q.columns if c.startswith(prefix)]
    return [
        Exposure(exposure, c, {c + suffix: scale * q[c].to_numpy()}, "continuous") for c in names
    ]


@dataclass
class Design:
    y: np.ndarray
    X: np.ndarray
    names: list[str]
    groups: np.ndarray
    n_groups: int
    exposure_terms: list[str]
    exposure_kind: str
    siblings: list[str]
    factor_terms: dict[str, list[str]]
    notes: list[str]
    empty_terms: list[str] = field(default_factory=list)


def _separated(mask: np.ndarray, y: np.ndarray) -> bool:
    """True if the indicator ``mask`` has an empty cell in its 2x2 table with the outcome."""
    inside, outside = y[mask], y[~mask]
    return min(inside.sum(), (1 - inside).sum(), outside.sum(), (1 - outside).sum()) == 0


def _merge_separated(
    cov: str, values: np.ndarray, present: list, y: np.ndarray, ordered: bool, notes: list
):
    """Merge levels whose cases all share one outcome into the next lower level (ordered factors)
    or the reference level (unordered), so that the maximum-likelihood estimate exists.

    The reference level is treated the same way: when its cases all share one outcome (RoSH low
    with no event in a small region) it is merged into the next level, which becomes the
    reference, and the note says so.
    """
    merged = values.copy()
    levels = list(present)
    while len(levels) > 1 and _separated(merged == levels[0], y):
        target = levels[1]
        merged[merged == levels[0]] = target
        notes.append(
            f"{term_words(cov)}: reference level {_level(levels[0])} merged into {_level(target)} "
            "(its cases all had the same outcome)"
        )
        levels.pop(0)
    while len(levels) > 1:
        for idx in range(1, len(levels)):
            mask = merged == levels[idx]
            if _separated(mask, y):
                target = levels[idx - 1] if ordered else levels[0]
                merged[mask] = target
                notes.append(
                    f"{term_words(cov)}: level {_level(levels[idx])} merged into {_level(target)} "
                    "(its cases all had the same outcome)"
                )
                levels.pop(idx)
                break
        else:
            break
    return merged, levels


def covariate_columns(cases: pd.DataFrame, covariates: Sequence[str], keep: np.ndarray, y=None):
    """Treatment-coded dummies (first observed level is the reference) and numeric columns.

    With the outcome ``y`` (rows already restricted by ``keep``), levels that separate the
    outcome are merged as :func:`_merge_separated` says.
    """
    cols: dict[str, np.ndarray] = {}
    factors: dict[str, list[str]] = {}
    notes: list[str] = []
    for cov in covariates:
        col = cases[cov]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            cols[cov] = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)[keep]
            continue
        values = col.astype("object").to_numpy()[keep]
        categorical = isinstance(col.dtype, pd.CategoricalDtype)
        levels = list(col.cat.categories) if categorical else sorted(pd.unique(col.dropna()))
        present = [lv for lv in levels if np.any(values == lv)]
        empty = [lv for lv in levels if lv not in present]
        if empty:
            notes.append(f"{cov}: no cases at level(s) {', '.join(map(str, empty))}")
        if y is not None:
            ordered = bool(categorical and col.cat.ordered)
            values, present = _merge_separated(cov, values, present, y, ordered, notes)
        names = []
        for level in present[1:]:
            name = f"{cov}[{level}]"
            cols[name] = (values == level).astype(float)
            names.append(name)
        factors[cov] = names
    return cols, factors, notes


def build_design(
    cases: pd.DataFrame,
    y: np.ndarray,
    exposure: Exposure,
    *,
    covariates: Sequence[str],
    cluster_by: str,
    within_pdu: bool = False,
) -> Design:
    """Rows with a known outcome, exposure and covariates; intercept, exposure, then covariates.

    With ``within_pdu``, each exposure column's mean over the analysed cases of its cluster is
    added last (term ``<exposure>[pdu_mean]``): the exposure's coefficient is then the
    within-PDU association, free of anything that differs between PDUs, and the between-PDU
    association is the sum of the two coefficients (Mundlak 1978).
    """
    keep = ~np.isnan(y)
    for x in exposure.columns.values():
        keep &= ~np.isnan(x)
    for cov in covariates:
        keep &= cases[cov].notna().to_numpy()
    cov_cols, factors, notes = covariate_columns(cases, covariates, keep, y=y[keep])
    names = ["Intercept", *exposure.columns, *cov_cols]
    X = np.column_stack(
        [
            np.ones(int(keep.sum())),
            *[x[keep] for x in exposure.columns.values()],
            *cov_cols.values(),
        ]
    )
    ok = ~np.isnan(X).any(axis=1)
    groups_raw = cases[cluster_by].astype("object").to_numpy()[keep][ok]
    codes, uniques = pd.factorize(groups_raw)
    dropped = int(len(y) - ok.sum())
    if dropped:
        notes.insert(0, f"{dropped} cases left out (outcome, exposure or covariate missing)")
    X, exposure_terms, empty = X[ok], list(exposure.columns), []
    if within_pdu:
        means = []
        for term in exposure_terms:
            x = X[:, names.index(term)]
            means.append((np.bincount(codes, x) / np.bincount(codes))[codes])
            names.append(f"{term}[pdu_mean]")
        X = np.column_stack([X, *means])
        notes.append(
            f"within-PDU association: adjusted for each {cluster_by}'s mean of the exposure"
        )
    if len(exposure_terms) > 1:  # a band with no cases: drop its indicator, keep the others
        empty = [t for t in exposure_terms if not X[:, names.index(t)].any()]
        if len(empty) < len(exposure_terms):
            keep_cols = [j for j, name in enumerate(names) if name not in empty]
            X, names = X[:, keep_cols], [names[j] for j in keep_cols]
            exposure_terms = [t for t in exposure_terms if t not in empty]
        else:
            empty = []
    return Design(
        y=y[keep][ok],
        X=X,
        names=names,
        groups=codes,
        n_groups=len(uniques),
        exposure_terms=exposure_terms,
        exposure_kind=exposure.kind,
        siblings=[t for t in exposure.siblings if t not in empty],
        factor_terms=factors,
        notes=notes,
        empty_terms=empty,
    )
