"""Data: raw files in, validated tidy tables out, and the loaders that read them.

Researchers call the loaders (:func:`load_cases`, :func:`load_units`, …), which read the
processed tables that ``analysis build`` (:func:`analysis.data.build.build`) writes after
validating every raw file against :mod:`analysis.data.schemas`.

The loaders are imported on first use, so a module that needs only the reference list
(:mod:`analysis.data.reference`), such as the runner's planning, does not load pandas and the
schemas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import lazy as _lazy

_HOMES = {
    **dict.fromkeys(
        (
            "available_datasets",
            "clear_cache",
            "load_cases",
            "load_extracted",
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
        ),
        "datasets",
    ),
    **dict.fromkeys(("data_source", "dataset_kind", "dataset_label", "is_synthetic"), "provenance"),
}
"""Each public name and the module that defines it."""

__all__ = sorted(_HOMES)

if TYPE_CHECKING:  # pragma: no cover
    from .datasets import (  # noqa: F401
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
    from .provenance import data_source, dataset_kind, dataset_label, is_synthetic  # noqa: F401


# The public names load on first use (see the module docstring); submodules import as usual.
__getattr__, __dir__ = _lazy.attach(__name__, _HOMES)
