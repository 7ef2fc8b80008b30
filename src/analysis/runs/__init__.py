"""Batch runs: plan every notebook × region, execute in parallel, write HTML and the index.

:func:`run_reports` is what ``analysis reports`` calls; :func:`plan_runs` says what would run
and why; :func:`validate_parameters` checks a notebook's parameters before any kernel starts.
"""

from __future__ import annotations

from .parameters import canonical_region, known_regions, region_slug, validate_parameters
from .planning import discover_notebooks, plan_runs
from .runner import RunResult, RunSummary, run_reports
from .spec import RunManifest, RunSpec

__all__ = [
    "RunManifest",
    "RunResult",
    "RunSpec",
    "RunSummary",
    "canonical_region",
    "discover_notebooks",
    "known_regions",
    "plan_runs",
    "region_slug",
    "run_reports",
    "validate_parameters",
]
