"""A synthetic national sample of case-level inspections, from a documented generative model.

SYNTHETIC DATA: nothing made here describes a real case, practitioner or PDU's practice. Only
the PDU names and regions are real (reference list), so that the workflow can be exercised on
a realistic structure. Every row has ``source == "synthetic"`` and every frame carries
``df.attrs["synthetic"] = True``. The model and its calibration are in ``docs/methods.md``
("Synthetic data").

>>> from analysis.synthetic.generate import simulate
>>> sample = simulate(seed=1, cases_per_pdu=2)
>>> sample.cases.attrs["synthetic"], sample.cases["source"].unique().tolist()
(True, ['synthetic'])
>>> simulate(seed=1, cases_per_pdu=2).cases.equals(sample.cases)
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from .. import frameworks as _fw
from ..data import schemas as _s
from ..data.provenance import mark_synthetic
from ..data.reference import match_region
from ..exceptions import ParameterError
from ..io.atomic import atomic_path, write_text_atomic
from ..io.folders import Protected, claim, write_mark
from ..ratings.quality import quality_scores
from .design import case_standard_levels, check_cases_per_pdu, domain_one_ratings, sample_sizes
from .factors import simulate_factors
from .parameters import (
    CASE_MIX,
    CASE_MIX_EFFECTS,
    LINKED_SHARE,
    OUTCOME_MODEL,
    PRACTICE,
    latent_sd,
    truth_table,
)

__all__ = [
    "GENERATOR_VERSION",
    "SyntheticSample",
    "simulate",
    "write_sample",
]

GENERATOR_VERSION = "2.0.0"
SYNTHETIC = "synthetic"


@dataclass
class SyntheticSample:
    """A synthetic sample: ``cases``, ``units``, ``unit_ratings``, ``truth`` and ``factors``
    (offending-related factors per case, long) as tidy frames."""

    cases: pd.DataFrame
    units: pd.DataFrame
    unit_ratings: pd.DataFrame
    truth: pd.DataFrame
    metadata: dict = field(default_factory=dict)
    factors: pd.DataFrame | None = None

    def __repr__(self) -> str:
        m = self.metadata
        return (
            f"<SyntheticSample SYNTHETIC, seed={m.get('seed')}, generator {m.get('generator_version')}: "
            f"{len(self.cases)} cases in {self.cases['pdu'].nunique()} PDUs, "
            f"{self.cases['region'].nunique()} regions; "
            f"{0 if self.factors is None else len(self.factors)} case-factor rows; "
            f"truth: {len(self.truth)} terms>"
        )


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def _reference() -> pd.DataFrame:
    ref = pd.read_csv(config.reference_list_path(), dtype=str, encoding="utf-8-sig")
    return ref[ref["unit_type"] == "geographic"].reset_index(drop=True)


def _units(rng: np.random.Generator, ref: pd.DataFrame) -> pd.DataFrame:
    n = len(ref)
    vacancy = np.clip(rng.beta(4, 16, n), 0.0, 0.6)  # mean 0.20
    workload = np.clip(rng.normal(108, 12, n), 70, 160)
    staff = np.clip(100 * (1 - 0.6 * vacancy) + rng.normal(0, 3, n), 60, 110).round(1)
    caseload = np.round(np.exp(rng.normal(np.log(1700), 0.45, n))).astype(int)
    return pd.DataFrame(
        {
            "region": ref["region"],
            "region_code": ref["region_code"],
            "pdu": ref["pdu"],
            "pdu_code": ref["pdu_code"],
            "staff_in_post_pct": staff,
            "vacancy_rate": vacancy.round(3),
            "workload_pct": workload.round(1),
            "caseload": pd.array(np.maximum(caseload, 400), dtype="Int64"),
            "source": SYNTHETIC,
        }
    )


def _zscore(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()


def _choice(rng, labels, probs, size):
    return np.asarray(labels, dtype=object)[rng.choice(len(labels), size=size, p=probs)]


def _case_mix(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    licence = rng.random(n) < CASE_MIX["licence_share"]
    rosh = np.where(
        licence,
        _choice(rng, _s.ROSH_LEVELS, CASE_MIX["rosh"]["licence"], n),
        _choice(rng, _s.ROSH_LEVELS, CASE_MIX["rosh"]["community"], n),
    )
    return {
        "sentence_type": np.where(licence, "licence", "community"),
        "rosh": rosh,
        "gender": np.where(rng.random(n) < CASE_MIX["male_share"], "male", "female"),
        "age_band": _choice(rng, _s.AGE_BANDS, CASE_MIX["age_band"], n),
        "ethnicity_group": _choice(rng, _s.ETHNICITY_GROUPS, CASE_MIX["ethnicity_group"], n),
    }


def _answers(rng, latent: np.ndarray, pdu_kq: np.ndarray) -> dict[str, np.ndarray]:
    """Key-question answers; ``pdu_kq`` holds each case's PDU-by-key-question deviations."""
    n = len(latent)
    no_review = rng.random(n) < PRACTICE["reviewing_not_due"]
    out = {}
    for j, kq in enumerate(_fw.get("pdu-2023").key_questions):
        eta = (
            PRACTICE["area_intercept"][kq.area]
            + PRACTICE["stage_effect"][kq.standard]
            + latent
            + pdu_kq[:, j]
            + rng.normal(0, PRACTICE["kq_sd"], n)
        )
        answer = np.where(rng.random(n) < _expit(eta), "yes", "no").astype(object)
        if kq.standard == "reviewing":
            answer[no_review] = "not_applicable"
        out[kq.id] = answer
    return out


def _design(mix: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {
        "licence": (mix["sentence_type"] == "licence").astype(float),
        "rosh_high": np.isin(mix["rosh"], ["high", "very_high"]).astype(float),
        "female": (mix["gender"] == "female").astype(float),
        "age_18_24": (mix["age_band"] == "18-24").astype(float),
        "age_50_plus": (mix["age_band"] == "50+").astype(float),
    }


def _outcomes(rng, quality: np.ndarray, mix, pdu_index, n_pdus, outcome_pdu_sd) -> dict:
    n = len(quality)
    x = _design(mix)
    linked = rng.random(n) < LINKED_SHARE
    relevant_risk = mix["rosh"] != "low"
    out = {}
    for name, model in OUTCOME_MODEL.items():
        pdu_effect = rng.normal(0, outcome_pdu_sd, n_pdus)[pdu_index] if outcome_pdu_sd > 0 else 0.0
        eta = model["intercept"] + model["per10"] * 10 * quality + pdu_effect
        for term, beta in CASE_MIX_EFFECTS[name].items():
            eta = eta + beta * x[term]
        value = pd.array(rng.random(n) < _expit(eta), dtype="boolean")
        if name in ("proven_reoffence_12m", "sentence_completed"):
            value[~linked] = pd.NA
        if name == "progress_risk_factors":
            value[~relevant_risk] = pd.NA
        out[name] = value
    return out


def simulate(
    seed: int = 20241,
    cases_per_pdu: int | None = None,
    *,
    regions: list[str] | None = None,
    outcome_pdu_sd: float = 0.0,
    fieldwork_years: tuple[int, int] = (2023, 2025),
) -> SyntheticSample:
    """Simulate a national synthetic inspection sample (see ``docs/methods.md``).

    Parameters
    ----------
    seed : int
        Seed of the :class:`numpy.random.Generator`; the same seed gives the same sample.
    cases_per_pdu : int, optional
        Inspected cases in every PDU, for tests and studies that need a fixed size. By default
        each PDU's size is drawn from its caseload, 20 to 80 cases, about 45 on average
        (:func:`analysis.synthetic.design.sample_sizes`; published rounds read 42-50).
    regions : list of str, optional
        Restrict to these regions (names as in the reference list); default all twelve.
    outcome_pdu_sd : float
        SD of a PDU random intercept in every outcome (default 0: outcomes independent across
        cases given quality and case mix).
    fieldwork_years : (int, int)
        First and last year of simulated fieldwork.

    Returns
    -------
    SyntheticSample
        Offending-related factors (``.factors``) come from a child random stream of ``seed``
        (``SeedSequence(seed).spawn(2)[0]``), so the other tables do not depend on them; the
        sample sizes' scatter from the second child stream (``spawn(2)[1]``).

    Raises
    ------
    ParameterError
        If ``cases_per_pdu`` is given and is not a whole number of at least 1,
        ``outcome_pdu_sd`` is negative, or a region is not in the reference list.
    """
    fixed = check_cases_per_pdu(cases_per_pdu)
    if not outcome_pdu_sd >= 0:
        raise ParameterError(f"outcome_pdu_sd must be 0 or more, got {outcome_pdu_sd!r}.")
    rng = np.random.default_rng(seed)
    ref = _reference()
    if regions is not None:
        known = sorted(ref["region"].unique())
        chosen = [match_region(r, known, error=ParameterError) for r in regions]
        ref = ref[ref["region"].isin(chosen)].reset_index(drop=True)
    units = _units(rng, ref)
    n_pdus = len(units)
    pdu_quality = (
        PRACTICE["vacancy_effect"] * _zscore(units["vacancy_rate"].to_numpy())
        + PRACTICE["workload_effect"] * _zscore(units["workload_pct"].to_numpy())
        + rng.normal(0, PRACTICE["pdu_sd"], n_pdus)
    )
    factor_seed, size_seed = np.random.SeedSequence(seed).spawn(2)
    caseload = units["caseload"].to_numpy(dtype=float)
    sizes = sample_sizes(np.random.default_rng(size_seed), caseload, fixed)
    pdu_index = np.repeat(np.arange(n_pdus), sizes)
    n = len(pdu_index)
    mix = _case_mix(rng, n)
    latent = pdu_quality[pdu_index] + rng.normal(0, PRACTICE["case_sd"], n)
    n_kq = len(_fw.get("pdu-2023").key_questions)
    pdu_kq = rng.normal(0, PRACTICE["pdu_kq_sd"], (n_pdus, n_kq))
    answers = _answers(rng, latent, pdu_kq[pdu_index])
    kq_frame = pd.DataFrame(answers)
    quality = quality_scores(kq_frame, key_questions=list(kq_frame.columns))["quality_score"]
    quality = quality.fillna(0).to_numpy()
    outcomes = _outcomes(rng, quality, mix, pdu_index, n_pdus, outcome_pdu_sd)

    first, last = (pd.Timestamp(f"{y}-01-01") for y in fieldwork_years)
    offsets = rng.integers(0, max((last - first).days + 365 - 14, 1), n_pdus)
    fieldwork = (first + pd.to_timedelta(offsets, unit="D")).astype("datetime64[ns]")
    codes = units["pdu_code"].to_numpy()[pdu_index]
    seq = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes) + 1
    cases = pd.DataFrame(
        {
            "case_id": [f"SYN-{c}-{i:03d}" for c, i in zip(codes, seq, strict=True)],
            "inspection_id": [
                f"SYN-{c}-{d.year}" for c, d in zip(codes, fieldwork[pdu_index], strict=True)
            ],
            "framework": "pdu-2023",
            "region": units["region"].to_numpy()[pdu_index],
            "region_code": units["region_code"].to_numpy()[pdu_index],
            "pdu": units["pdu"].to_numpy()[pdu_index],
            "pdu_code": codes,
            "fieldwork_start": fieldwork[pdu_index],
            **mix,
            **answers,
            **outcomes,
            "source": SYNTHETIC,
        }
    )
    cases = _as_contract(cases)
    factors = simulate_factors(np.random.default_rng(factor_seed), latent, cases, latent_sd())
    levels = case_standard_levels(answers, pdu_index, n_pdus)
    unit_ratings = domain_one_ratings(rng, units, pdu_quality, levels)
    for frame in (units, unit_ratings):
        for col in ("region", "pdu", "source"):
            frame[col] = frame[col].astype("category")
    unit_ratings["standard"] = unit_ratings["standard"].astype("category")
    unit_ratings["rating"] = unit_ratings["rating"].astype(_s.CATEGORY_DTYPES["rating"])
    metadata = {
        "synthetic": True,
        "warning": "SYNTHETIC DATA. Simulated by analysis.synthetic.generate; not real inspection data. "
        "Never read, report or cite it as real.",
        "seed": int(seed),
        "cases_per_pdu": fixed,
        "cases_per_pdu_model": "fixed" if fixed else "caseload (docs/methods.md, step 1)",
        "cases_per_pdu_range": [int(sizes.min()), int(sizes.max())],
        "outcome_pdu_sd": float(outcome_pdu_sd),
        "regions": sorted(units["region"].astype(str).unique()),
        "generator": "analysis.synthetic.generate.simulate",
        "generator_version": GENERATOR_VERSION,
        "model": "docs/methods.md, section 'Synthetic data'",
        "n_cases": int(n),
        "n_pdus": int(n_pdus),
        "n_factor_rows": len(factors),
    }
    return SyntheticSample(
        mark_synthetic(cases),
        mark_synthetic(units),
        mark_synthetic(unit_ratings),
        truth_table(outcome_pdu_sd),
        metadata,
        factors=mark_synthetic(factors),
    )


def _as_contract(cases: pd.DataFrame) -> pd.DataFrame:
    """Give case records the column order and dtypes of the data contract."""
    cases = cases[list(_s.CASE_COLUMNS)].copy()
    for col in ("case_id", "inspection_id", "region_code", "pdu_code"):
        cases[col] = cases[col].astype(str)
    for col in ("framework", "region", "pdu", "source"):
        cases[col] = cases[col].astype("category")
    for col in ("sentence_type", "rosh", "gender", "age_band", "ethnicity_group"):
        cases[col] = cases[col].astype(_s.CATEGORY_DTYPES[col])
    for col in _s.KEY_QUESTION_COLUMNS:
        cases[col] = cases[col].astype(_s.CATEGORY_DTYPES["answer"])
    for col in _s.OUTCOMES:
        cases[col] = cases[col].astype("boolean")
    cases["fieldwork_start"] = cases["fieldwork_start"].astype("datetime64[ns]")
    return cases


SAMPLE_FILES = ("cases", "units", "unit_ratings", "factors", "truth")
COMMAND = "analysis simulate"
"""The command that writes the sample, as the folder's mark records it."""


def write_sample(
    out_dir: str | Path | None = None, seed: int = 20241, cases_per_pdu: int | None = None
) -> list[Path]:
    """Simulate and write the synthetic CSVs plus ``metadata.json`` to ``out_dir``.

    This is the only code that writes under ``data/raw`` (default ``data/raw/synthetic``), and
    only when a user asks for it (``analysis simulate``). Each file is written atomically. Files
    of the same names are replaced only when the folder's ``metadata.json`` says a previous run
    of the generator wrote them: anything else is refused, never overwritten.

    Returns
    -------
    list of Path
        The files written: cases.csv, units.csv, unit_ratings.csv, factors.csv, truth.csv,
        metadata.json.

    Raises
    ------
    ParameterError
        As :func:`simulate`.
    InputDataError
        If ``out_dir`` holds files of those names that the generator did not write
        (:func:`analysis.io.folders.claim`).
    """
    out = Path(out_dir) if out_dir is not None else config.RAW_DIR / "synthetic"
    names = [f"{name}.csv" for name in SAMPLE_FILES] + ["metadata.json"]
    claim(
        out,
        command=COMMAND,
        what="the synthetic sample",
        advice="Choose an empty folder with --out, or move those files away first.",
        writes_in=(config.RAW_DIR,),
        protected=(Protected("the processed data folder", config.PROCESSED_DIR),),
        replaces=names,
        legacy=lambda folder: _earlier_sample(folder, names),
    )
    sample = simulate(seed=seed, cases_per_pdu=cases_per_pdu)
    paths = []
    for name in SAMPLE_FILES:
        frame = getattr(sample, name).copy()
        if name == "cases":
            frame["fieldwork_start"] = frame["fieldwork_start"].dt.strftime("%Y-%m-%d")
        path = out / f"{name}.csv"
        with atomic_path(path) as temp:
            frame.to_csv(temp, index=False, encoding="utf-8", lineterminator="\n")
        paths.append(path)
    meta = json.dumps(sample.metadata, indent=2) + "\n"
    paths.append(write_text_atomic(out / "metadata.json", meta))
    write_mark(out, COMMAND, [p.name for p in paths])
    return paths


def _earlier_sample(folder: Path, names: list[str]) -> set[str] | None:
    """Sample files an earlier generator wrote in ``folder`` (its ``metadata.json`` says so).

    A folder holding none of the sample's files is taken as it is (nothing would be replaced).
    """
    present = {n for n in names if (folder / n).exists()}
    if not present:
        return set()
    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        ours = meta.get("synthetic") is True and str(meta.get("generator", "")).startswith(
            "analysis."
        )
    except (OSError, ValueError, AttributeError):
        ours = False
    return present if ours else None
