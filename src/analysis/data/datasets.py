"""Loaders for notebooks: validated, tidy frames from ``data/processed`` (built by ``analysis build``).

Each loader reads one parquet table (cached by file and modification time, so repeated calls
are instant and a rebuild is picked up), optionally filters to a region, and returns a copy.
Frames holding synthetic rows carry ``df.attrs["synthetic"] = True``.

>>> from analysis.data import datasets
>>> len(datasets.regions())
12
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .. import config
from ..exceptions import InputDataError
from . import normalise as _n

__all__ = [
    "load_cases",
    "load_units",
    "load_unit_ratings",
    "load_factors",
    "load_truth",
    "load_published_ratings",
    "load_published_key_questions",
    "load_published_figures",
    "load_offending_factors_2013",
    "load_youth_justice_ratings",
    "load_reference",
    "regions",
    "manifest",
    "clear_cache",
]

_CACHE: dict[tuple[str, float], pd.DataFrame] = {}


def clear_cache() -> None:
    """Forget every cached table."""
    _CACHE.clear()


def _dir(processed_dir) -> Path:
    return Path(processed_dir) if processed_dir is not None else config.PROCESSED_DIR


def _read(name: str, processed_dir=None) -> pd.DataFrame:
    path = _dir(processed_dir) / f"{name}.parquet"
    if not path.is_file():
        raise InputDataError(
            f"{path} does not exist. Build the processed data first: run `analysis build` "
            "(or `make data`) in the project folder."
        )
    key = (str(path), path.stat().st_mtime)
    if key not in _CACHE:
        frame = pd.read_parquet(path)
        _CACHE[key] = frame
    frame = _CACHE[key].copy()
    if "source" in frame.columns:
        frame.attrs["synthetic"] = bool((frame["source"].astype(str) == "synthetic").any())
    if name == "truth":
        frame.attrs["synthetic"] = True
    return frame


def _filter_region(frame: pd.DataFrame, region: str | None, processed_dir) -> pd.DataFrame:
    if region is None:
        return frame
    known = regions(processed_dir=processed_dir)
    match, hint = _n.match_name(region, known)
    if match is None:
        raise InputDataError(
            f"Unknown region {region!r}."
            + (f" Did you mean {hint!r}?" if hint else "")
            + f" Known regions: {', '.join(known)}."
        )
    attrs = dict(frame.attrs)
    out = frame[frame["region"].astype(str) == match].reset_index(drop=True)
    for col in out.select_dtypes("category").columns:
        if col in ("region", "pdu"):
            out[col] = out[col].cat.remove_unused_categories()
    out.attrs.update(attrs)
    return out


def load_cases(region: str | None = None, processed_dir=None) -> pd.DataFrame:
    """Case-level inspection records, one row per inspected case (columns in contract order).

    Parameters
    ----------
    region : str, optional
        Keep one region (name as in :func:`regions`; case, spacing and '&' are ignored).
    processed_dir : path, optional
        Default ``config.PROCESSED_DIR``.

    Raises
    ------
    InputDataError
        If the processed data has not been built, or the region is unknown (with a suggestion).
    """
    return _filter_region(_read("cases", processed_dir), region, processed_dir)


def load_units(region: str | None = None, processed_dir=None) -> pd.DataFrame:
    """Staffing and caseload context per PDU. Raises InputDataError as :func:`load_cases`."""
    return _filter_region(_read("units", processed_dir), region, processed_dir)


def load_unit_ratings(region: str | None = None, processed_dir=None) -> pd.DataFrame:
    """Domain-one ratings per PDU, long: [region, pdu, standard, rating, source].

    Raises InputDataError as :func:`load_cases`.
    """
    return _filter_region(_read("unit_ratings", processed_dir), region, processed_dir)


def load_factors(region: str | None = None, processed_dir=None) -> pd.DataFrame:
    """Offending-related factors per case, long: one row per case and factor that applies.

    Columns: case_id, region, pdu, factor (the 2013 framework's factors, as published:
    ``analysis.data.schemas.OFFENDING_FACTORS``), sufficient_intervention and sufficient_progress
    (nullable boolean), source. Feed it to :func:`analysis.models.factor_associations` with
    ``intervention="sufficient_intervention", progress="sufficient_progress"``.

    Parameters
    ----------
    region : str, optional
        Keep one region (name as in :func:`regions`; case, spacing and '&' are ignored).
    processed_dir : path, optional
        Default ``config.PROCESSED_DIR``.

    Raises
    ------
    InputDataError
        If the processed data has not been built (or was built before the factors table
        existed: run ``analysis build`` again), or the region is unknown (with a suggestion).
    """
    return _filter_region(_read("factors", processed_dir), region, processed_dir)


def load_truth(processed_dir=None) -> pd.DataFrame:
    """True effects of the synthetic generator. Raises InputDataError if not built."""
    return _read("truth", processed_dir)


def load_published_ratings(region: str | None = None, processed_dir=None) -> pd.DataFrame:
    """Published adult inspection outcomes, one row per report, exactly as published.

    ``pdu`` holds the reference PDU name where the published unit name matches it (or an alias
    in ``data/raw/reference/pdu_aliases.csv``). Raises InputDataError as :func:`load_cases`.
    """
    return _filter_region(_read("published_ratings", processed_dir), region, processed_dir)


def load_published_key_questions(processed_dir=None) -> pd.DataFrame:
    """Published key-question percentages with n (York PDU 2024), with source columns.

    Columns: region, unit, standard, area, key_question, pct_yes, n, source (plus framework,
    n_yes, note, publication, year, address). Raises InputDataError if not built.
    """
    frame = _read("published_key_questions", processed_dir)
    frame["source"] = ("published: " + frame["publication"].astype(str)).astype("category")
    first = ["region", "unit", "standard", "area", "key_question", "pct_yes", "n", "source"]
    return frame[first + [c for c in frame.columns if c not in first]]


def load_published_figures(processed_dir=None) -> pd.DataFrame:
    """Other published figures (outcomes, staffing, User Voice, samples, 2013 section scores)."""
    return _read("published_figures", processed_dir)


def load_offending_factors_2013(processed_dir=None) -> pd.DataFrame:
    """York and North Yorkshire 2013: offending-related factors with interventions and progress."""
    return _read("offending_factors_2013", processed_dir)


def load_reference(processed_dir=None) -> pd.DataFrame:
    """Regions and PDUs with their codes (geographic and functional units)."""
    return _read("reference", processed_dir)


def regions(processed_dir=None) -> list[str]:
    """The region names of the reference list (12), sorted.

    Falls back to the reference list (:func:`analysis.config.reference_list_path`) when nothing
    has been built yet.
    """
    path = _dir(processed_dir) / "reference.parquet"
    if path.is_file():
        ref = _read("reference", processed_dir)
    else:
        ref = pd.read_csv(config.reference_list_path(), dtype=str, encoding="utf-8-sig")
    return sorted(ref["region"].astype(str).unique())


def manifest(processed_dir=None) -> dict:
    """The build manifest (schema version, input hashes, rows, synthetic flags).

    Raises
    ------
    InputDataError
        If the processed data has not been built, or its schema version is not this code's.
    """
    from .schemas import SCHEMA_VERSION

    path = _dir(processed_dir) / "manifest.json"
    if not path.is_file():
        raise InputDataError(f"{path} does not exist. Run `analysis build` (or `make data`).")
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema_version", "").split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise InputDataError(
            f"{path} was built with schema {data.get('schema_version')!r}; this code expects "
            f"{SCHEMA_VERSION}. Run `analysis build` again."
        )
    return data


def load_youth_justice_ratings(processed_dir=None) -> pd.DataFrame:
    """Published youth justice inspection ratings 2021-2025, one row per report, as scraped.

    ``overall_rating``, ``score_pct`` and ``publication_date`` are as published; ``rating``,
    ``score_points`` and ``publication_date_iso`` are derived (see the data dictionary). The
    standard columns are unreliable in this scrape. Raises InputDataError if not built.
    """
    frame = _read("youth_justice_ratings", processed_dir)
    frame["source"] = "published: youth justice inspection reports (public scrape)"
    return frame
