"""Data: raw files in, validated tidy tables out, and the loaders that read them.

Researchers call the loaders (:func:`load_cases`, :func:`load_units`, …), which read the
processed tables that ``analysis build`` (:func:`analysis.data.build.build`) writes after
validating every raw file against :mod:`analysis.data.schemas`.
"""

from __future__ import annotations

from .datasets import (
    available_datasets,
    clear_cache,
    load_cases,
    load_extracted,
    load_factors,
    load_offending_factors_2013,
    load_published_figures,
    load_published_key_questions,
    load_published_ratings,
    load_published_totals,
    load_reference,
    load_truth,
    load_unit_ratings,
    load_units,
    load_youth_justice_ratings,
    manifest,
    regions,
    tables_with_rows,
)
from .provenance import data_source, dataset_kind, dataset_label, is_synthetic

__all__ = [
    "load_extracted",
    "available_datasets",
    "dataset_kind",
    "dataset_label",
    "clear_cache",
    "data_source",
    "is_synthetic",
    "load_cases",
    "load_factors",
    "load_offending_factors_2013",
    "load_published_figures",
    "load_published_key_questions",
    "load_published_ratings",
    "load_published_totals",
    "load_reference",
    "load_truth",
    "load_unit_ratings",
    "load_units",
    "load_youth_justice_ratings",
    "manifest",
    "regions",
    "tables_with_rows",
]
