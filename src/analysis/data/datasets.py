"""Loaders for notebooks: validated, tidy frames from ``data/processed`` (built by ``analysis build``).

Each loader reads one parquet table (cached by file and modification time, so repeated calls
are instant and a rebuild is picked up), optionally filters to a region, and returns a copy.
Case-level loaders take ``dataset=`` and return the rows of that one dataset only (default: the
only dataset built; with several, an error lists them). Every frame carries
``attrs["dataset"]``, ``attrs["dataset_kind"]`` (``"real"`` or ``"synthetic"``, as declared)
and ``attrs["synthetic"]`` (True exactly when the kind is synthetic); published tables and the
reference list are real (datasets ``"published"`` and ``"reference"``).

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
from . import reference as _reference
from .metadata import DatasetInfo
from .provenance import mark_dataset
from .tables import DATASET_COLUMN

_SHARED = {
    "reference": "reference",
    "published_ratings": "published",
    "published_key_questions": "published",
    "published_figures": "published",
    "offending_factors_2013": "published",
}
_TIDY = ("region", "pdu", "framework", "source", "standard", "inspection_id")

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
    "load_extracted",
    "tables_with_rows",
    "load_reference",
    "regions",
    "manifest",
    "clear_cache",
    "available_datasets",
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
    if name in _SHARED:
        return mark_dataset(frame, _SHARED[name], "real", case_level=False)
    return frame


def available_datasets(processed_dir=None) -> list[DatasetInfo]:
    """The datasets of the last build, each with its name and declared kind.

    Returns
    -------
    list of DatasetInfo
        In build order (the embedded synthetic sample first); each has ``name``, ``kind``
        (``"real"`` or ``"synthetic"``), ``description``, ``source``, ``licence`` and
        ``folder`` (under data/raw). Empty when no dataset was built.

    Raises
    ------
    InputDataError
        If the processed data has not been built, or was built before datasets existed.
    """
    data = manifest(processed_dir)
    declared = data.get("datasets")
    if not isinstance(declared, dict):
        raise InputDataError(
            f"{_dir(processed_dir)} was built before datasets were recorded. Run `analysis "
            "build` (or `make data`) again."
        )
    fields = DatasetInfo.__dataclass_fields__
    return [
        DatasetInfo(**{k: v for k, v in entry.items() if k in fields})
        for entry in declared.values()
    ]


def _choose(dataset: str | None, processed_dir) -> DatasetInfo:
    known = available_datasets(processed_dir)
    names = [d.name for d in known]
    listing = ", ".join(f"{d.name!r} ({d.kind})" for d in known) or "none"
    if dataset is None:
        if len(known) == 1:
            return known[0]
        raise InputDataError(
            "Several datasets were built; choose one with dataset=... (datasets are never "
            f"pooled). Datasets: {listing}."
            if known
            else "No case-level dataset was built: add one under data/raw/datasets/<name>/ "
            "with a dataset.toml (see data/raw/README.md) and run `analysis build`."
        )
    for info in known:
        if info.name == dataset:
            return info
    hint = _n.suggest(str(dataset), names) if names else None
    raise InputDataError(
        f"Unknown dataset {dataset!r}."
        + _reference.did_you_mean(hint)
        + f" Datasets built: {listing}."
    )


def tables_with_rows(processed_dir=None, dataset: str | None = None) -> set[str]:
    """The case-level tables (cases, units, unit_ratings, factors, truth) a dataset has rows in.

    A dataset need not give every table (real data may have no offending-related factor
    judgements); a notebook asks here before showing a section. Same ``dataset`` rules as the
    loaders.
    """
    info = _choose(dataset, processed_dir)
    rows = manifest(processed_dir).get("datasets", {}).get(info.name, {}).get("rows", {})
    return {name for name, n in rows.items() if n}


def _read_dataset(name: str, dataset: str | None, processed_dir) -> pd.DataFrame:
    """One dataset's rows of a case-level table, without the ``dataset`` column, marked."""
    info = _choose(dataset, processed_dir)
    frame = _read(name, processed_dir)
    if DATASET_COLUMN not in frame.columns:
        raise InputDataError(
            f"{_dir(processed_dir)} was built before datasets existed. Run `analysis build` "
            "(or `make data`) again."
        )
    keep = (frame[DATASET_COLUMN].astype(str) == info.name).to_numpy()
    out = frame[keep].drop(columns=[DATASET_COLUMN]).reset_index(drop=True)
    if not keep.all():
        for col in _TIDY:
            if col in out and isinstance(out[col].dtype, pd.CategoricalDtype):
                out[col] = out[col].cat.remove_unused_categories()
    return mark_dataset(out, info.name, info.kind)


def _filter_region(frame: pd.DataFrame, region: str | None, processed_dir) -> pd.DataFrame:
    if region is None:
        return frame
    match = _reference.match_region(region, regions(processed_dir=processed_dir))
    attrs = dict(frame.attrs)
    out = frame[frame["region"].astype(str) == match].reset_index(drop=True)
    for col in out.select_dtypes("category").columns:
        if col in ("region", "pdu"):
            out[col] = out[col].cat.remove_unused_categories()
    out.attrs.update(attrs)
    return out


def load_cases(
    region: str | None = None, processed_dir=None, dataset: str | None = None
) -> pd.DataFrame:
    """Case-level inspection records, one row per inspected case (columns in contract order).

    Parameters
    ----------
    region : str, optional
        Keep one region (name as in :func:`regions`; case, spacing and '&' are ignored).
    processed_dir : path, optional
        Default ``config.PROCESSED_DIR``.
    dataset : str, optional
        The dataset to read (:func:`available_datasets`); default the only one built. The
        frame holds that dataset's rows only and carries ``attrs["dataset"]``,
        ``attrs["dataset_kind"]`` and ``attrs["synthetic"]``.

    Raises
    ------
    InputDataError
        If the processed data has not been built, the dataset is unknown or not given while
        several exist, or the region is unknown (with a suggestion).
    """
    return _filter_region(_read_dataset("cases", dataset, processed_dir), region, processed_dir)


def load_units(
    region: str | None = None, processed_dir=None, dataset: str | None = None
) -> pd.DataFrame:
    """Staffing and caseload context per PDU of one dataset; arguments and errors as
    :func:`load_cases`."""
    return _filter_region(_read_dataset("units", dataset, processed_dir), region, processed_dir)


def load_unit_ratings(
    region: str | None = None, processed_dir=None, dataset: str | None = None
) -> pd.DataFrame:
    """Domain-one ratings per PDU of one dataset, long: [region, pdu, standard, rating, source].

    Arguments and errors as :func:`load_cases`.
    """
    return _filter_region(
        _read_dataset("unit_ratings", dataset, processed_dir), region, processed_dir
    )


def load_factors(
    region: str | None = None, processed_dir=None, dataset: str | None = None
) -> pd.DataFrame:
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
    dataset : str, optional
        As :func:`load_cases`; a dataset without factor judgements gives an empty table.

    Raises
    ------
    InputDataError
        If the processed data has not been built (or was built before the factors table
        existed: run ``analysis build`` again), the dataset is unknown or ambiguous, or the
        region is unknown (with a suggestion).
    """
    return _filter_region(_read_dataset("factors", dataset, processed_dir), region, processed_dir)


def load_truth(processed_dir=None, dataset: str | None = None) -> pd.DataFrame:
    """True effects of the generator of a synthetic dataset (empty for a real dataset).

    ``dataset`` as :func:`load_cases`. Raises InputDataError if not built.
    """
    return _read_dataset("truth", dataset, processed_dir)


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


def load_published_totals(processed_dir=None) -> pd.DataFrame:
    """Totals the Inspectorate states about its reports, each with its statement and source."""
    return _read("published_totals", processed_dir)


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
        return sorted(_read("reference", processed_dir)["region"].astype(str).unique())
    return sorted(_reference.regions())


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
        raise InputDataError(
            f"{path} does not exist. Build the processed data first: run `analysis build` "
            "(or `make data`) in the project folder."
        )
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


def load_extracted(table: str, processed_dir=None) -> pd.DataFrame:
    """A table that ``analysis extract`` read from published reports (real data).

    ``table`` is one of ``reports``, ``ratings``, ``key_questions``, ``prompts``, ``figures``,
    ``rating_check``, ``conflicts``, ``files``, ``warnings`` (columns:
    :data:`analysis.data.extracted.TABLES`). Every value keeps the sentence it was read from.

    Raises
    ------
    InputDataError
        If the table is unknown, or no extracted reports were built (run ``analysis extract``
        and then ``analysis build``).
    """
    from .extracted import TABLES as EXTRACTED

    if table not in EXTRACTED:
        raise InputDataError(
            f"Unknown extracted table {table!r}; expected one of {', '.join(EXTRACTED)}."
        )
    path = _dir(processed_dir) / f"extracted_{table}.parquet"
    if not path.is_file():
        raise InputDataError(
            f"No extracted {table} in {_dir(processed_dir)}: run `analysis extract REPORTS...` "
            "and then `analysis build`."
        )
    frame = pd.read_parquet(path)
    frame.attrs.update(dataset="published reports", dataset_kind="real", synthetic=False)
    return frame
