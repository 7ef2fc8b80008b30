"""How a synthetic inspection is designed and judged: sample sizes and domain-one ratings.

SYNTHETIC DATA. Part of :mod:`analysis.synthetic.generate`, kept in its own module so that each
stays short; the model is in ``docs/methods.md`` ("Synthetic data", steps 1 and 7).

* :func:`sample_sizes`: cases inspected per PDU, tied to the PDU's caseload (a size proxy),
  bounded to the published range, or one fixed size when the caller asks for it;
* :func:`case_standard_levels`: each PDU's case-supervision standard bands from its simulated
  answers, by the framework's own rule (lowest key question in its band);
* :func:`domain_one_ratings`: leadership, staffing and services, with the rating guidance that
  leadership would normally be Inadequate when all case-supervision standards are.

>>> import numpy as np
>>> rng = np.random.default_rng(1)
>>> sizes = sample_sizes(rng, np.array([543, 1700, 4000]))
>>> bool(((sizes >= 20) & (sizes <= 80)).all()), bool(sizes[0] < sizes[1] < sizes[2])
(True, True)
>>> sample_sizes(rng, np.array([543, 1700]), cases_per_pdu=6).tolist()
[6, 6]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..exceptions import ParameterError
from .parameters import DOMAIN_ONE, SAMPLE_SIZE

__all__ = [
    "check_cases_per_pdu",
    "sample_sizes",
    "case_standard_levels",
    "domain_one_ratings",
]

SYNTHETIC = "synthetic"
INADEQUATE = 0
"""Band level of Inadequate; levels run 0 Inadequate, 1 Requires improvement, 2 Good,
3 Outstanding."""


def check_cases_per_pdu(cases_per_pdu: object) -> int | None:
    """Return a valid fixed sample size, or None for sizes drawn by the model.

    Raises
    ------
    ParameterError
        If ``cases_per_pdu`` is given and is not a whole number of at least 1.
    """
    if cases_per_pdu is None:
        return None
    if (
        isinstance(cases_per_pdu, bool)
        or not isinstance(cases_per_pdu, int | np.integer)
        or cases_per_pdu < 1
    ):
        raise ParameterError(
            f"cases_per_pdu must be a whole number of at least 1 (cases inspected in every "
            f"PDU), or None to draw each PDU's sample size from its caseload "
            f"({SAMPLE_SIZE['min']}-{SAMPLE_SIZE['max']} cases); got {cases_per_pdu!r}."
        )
    return int(cases_per_pdu)


def sample_sizes(
    rng: np.random.Generator, caseload: np.ndarray, cases_per_pdu: int | None = None
) -> np.ndarray:
    """Cases inspected in each PDU.

    With ``cases_per_pdu`` given, every PDU gets that many (no random draws). Otherwise
    ``n_j = clip(round(mean * (caseload_j / reference)^elasticity * exp(Normal(0, sd))), min,
    max)`` with the constants of :data:`analysis.synthetic.parameters.SAMPLE_SIZE`: bigger PDUs
    have bigger samples, on average about 45 cases, never fewer than 20 (York 2024) or more
    than 80.

    Parameters
    ----------
    rng : numpy.random.Generator
        The stream to draw from (the generator passes a child stream of its seed).
    caseload : ndarray
        Each PDU's caseload (people supervised), the size proxy.
    cases_per_pdu : int, optional
        A fixed size for every PDU (checked by :func:`check_cases_per_pdu`).

    Returns
    -------
    ndarray of int64
        One size per PDU, in the order of ``caseload``.
    """
    caseload = np.asarray(caseload, dtype=float)
    fixed = check_cases_per_pdu(cases_per_pdu)
    if fixed is not None:
        return np.full(len(caseload), fixed, dtype=np.int64)
    p = SAMPLE_SIZE
    expected = p["mean"] * (caseload / p["reference_caseload"]) ** p["caseload_elasticity"]
    drawn = np.round(expected * np.exp(rng.normal(0.0, p["sd"], len(caseload))))
    return np.clip(drawn, p["min"], p["max"]).astype(np.int64)


def case_standard_levels(
    answers: dict[str, np.ndarray], pdu_index: np.ndarray, n_pdus: int
) -> np.ndarray:
    """Band level of each PDU's case-supervision standards, by the framework's rule.

    A key question's score is the % of applicable cases answered yes; a standard's band is that
    of its lowest key question (``pdu-2023`` bands, lower bound inclusive). This is the rule
    :func:`analysis.ratings.rate` applies, restated on arrays so that the generator does not
    depend on how the rating engine reports uncertainty.

    Returns
    -------
    ndarray of float
        Shape ``(n_pdus, standards)``, case-supervision standards in framework order; 0
        Inadequate to 3 Outstanding, NaN where a standard has no applicable case.
    """
    fw = _fw.get("pdu-2023")
    edges = 100 * np.asarray(fw.band_edges)  # worst band first
    levels = np.full((n_pdus, len(fw.case_based_standards)), np.nan)
    for s, slug in enumerate(fw.case_based_standards):
        lowest = np.full(n_pdus, np.inf)
        for kq in (k for k in fw.key_questions if k.standard == slug):
            values = answers[kq.id]
            yes = np.bincount(pdu_index, weights=values == "yes", minlength=n_pdus)
            applicable = np.bincount(
                pdu_index, weights=values != "not_applicable", minlength=n_pdus
            )
            with np.errstate(invalid="ignore", divide="ignore"):
                pct = np.where(applicable > 0, 100 * yes / applicable, np.nan)
            lowest = np.fmin(lowest, pct)
        rated = np.isfinite(lowest)
        levels[rated, s] = np.searchsorted(edges, lowest[rated], side="right") - 1
    return levels


def domain_one_ratings(
    rng: np.random.Generator,
    units: pd.DataFrame,
    pdu_quality: np.ndarray,
    case_levels: np.ndarray,
) -> pd.DataFrame:
    """Leadership, staffing and services per PDU (long: region, pdu, standard, rating, source).

    Each standard has a latent ``quality_weight * u_j + w * context_j + Normal(0, sd)``, cut at
    :data:`DOMAIN_ONE` ``["cuts"]`` into Inadequate, Requires improvement, Good and
    Outstanding. Then the rating guidance (seed 003: "As a result of the domain two ratings, the
    Inspectorate's rating decision guidance would normally indicate a leadership rating of
    'Inadequate'"): where all case-supervision standards are Inadequate, leadership is
    Inadequate, except that with probability ``DOMAIN_ONE["leadership_override"]`` the
    inspectors keep leadership's own rating, at most Requires improvement (as at York, "given
    the strengths in leadership"). The override draws come after the latent draws, always one
    per PDU, so the stream does not depend on which PDUs qualify.
    """
    context = -0.5 * _zscore(units["vacancy_rate"].to_numpy()) - 0.4 * _zscore(
        units["workload_pct"].to_numpy()
    )
    cuts = np.asarray(DOMAIN_ONE["cuts"])
    labels = np.asarray(_fw.RATINGS[::-1], dtype=object)  # index = level, 0 Inadequate
    organisational = _organisational_standards()
    level = {}
    for slug in organisational:
        weight = DOMAIN_ONE["context_weight"][slug]
        latent = DOMAIN_ONE["quality_weight"] * pdu_quality + weight * context
        latent = latent + rng.normal(0, DOMAIN_ONE["sd"], len(units))
        level[slug] = np.searchsorted(cuts, latent)
    all_inadequate = np.all(case_levels == INADEQUATE, axis=1)
    keep_own = rng.random(len(units)) < DOMAIN_ONE["leadership_override"]
    capped = np.minimum(level["leadership"], 1)
    level["leadership"] = np.where(
        all_inadequate, np.where(keep_own, capped, INADEQUATE), level["leadership"]
    )
    rows = [
        pd.DataFrame(
            {
                "region": units["region"],
                "pdu": units["pdu"],
                "standard": slug,
                "rating": labels[level[slug]],
            }
        )
        for slug in organisational
    ]
    out = pd.concat(rows, ignore_index=True)
    out["source"] = SYNTHETIC
    return out


def _organisational_standards() -> tuple[str, ...]:
    """The pdu-2023 standards rated from evidence other than cases (leadership first)."""
    fw = _fw.get("pdu-2023")
    return tuple(s for s in fw.standard_slugs if s not in fw.case_based_standards)


def _zscore(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()
