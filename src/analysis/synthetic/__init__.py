"""The synthetic case-level sample: a documented generative model with known true effects.

SYNTHETIC DATA: nothing made here describes a real case, practitioner or PDU's practice.

* :func:`simulate`: draw a national sample (cases, units, unit ratings, factors, truth);
* :func:`write_sample`: write it to ``data/raw/synthetic/`` with its metadata;
* :func:`calibration_table`, :func:`factor_calibration_table`: the sample against its targets;
* :func:`overall_comparison_table`, :func:`published_rounds_table`,
  :func:`leadership_guidance_table`: the sample's ratings against the published ones.
"""

from __future__ import annotations

from .calibration import CALIBRATION_TARGETS, calibration_table, factor_calibration_table
from .generate import GENERATOR_VERSION, SyntheticSample, simulate, write_sample
from .published import (
    leadership_guidance_table,
    overall_comparison_table,
    published_rounds_table,
)

__all__ = [
    "CALIBRATION_TARGETS",
    "GENERATOR_VERSION",
    "SyntheticSample",
    "calibration_table",
    "factor_calibration_table",
    "leadership_guidance_table",
    "overall_comparison_table",
    "published_rounds_table",
    "simulate",
    "write_sample",
]
