"""Set-up shared by the rating tests: York PDU 2024 (seed 003) as published percentages, as
twenty cases that reproduce them, and its published domain-one ratings."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import frameworks

# York PDU, December 2024 (seed 003): % Yes per key question over 20 cases.
YORK_PCT = {
    "assessment": (70, 80, 25),
    "planning": (70, 70, 35),
    "implementation_and_delivery": (55, 30, 20),
    "reviewing": (50, 55, 25),
}


@pytest.fixture
def york_domain_one() -> pd.DataFrame:
    """York's published domain-one ratings: Leadership, Staffing, Services all RI."""
    return pd.DataFrame(
        {
            "pdu": "York",
            "standard": ["leadership", "staffing", "services"],
            "rating": "Requires improvement",
        }
    )


@pytest.fixture
def york_table() -> pd.DataFrame:
    """York's twelve key-question percentages, each of 20 cases."""
    rows = [
        {"pdu": "York", "key_question": f"{s}_{a}", "pct_yes": p, "n": 20}
        for s, pcts in YORK_PCT.items()
        for a, p in zip(frameworks.AREAS, pcts, strict=True)
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="session")
def york_cases_shared() -> pd.DataFrame:
    """Twenty cases whose answers reproduce York's published percentages. Read-only: a test
    that changes them asks for ``york_cases``."""
    data = {"pdu": ["York"] * 20}
    for s, pcts in YORK_PCT.items():
        for a, p in zip(frameworks.AREAS, pcts, strict=True):
            n_yes = p * 20 // 100
            data[f"{s}_{a}"] = ["yes"] * n_yes + ["no"] * (20 - n_yes)
    return pd.DataFrame(data)


@pytest.fixture
def york_cases(york_cases_shared) -> pd.DataFrame:
    """A fresh copy of York's twenty cases, for a test to change."""
    return york_cases_shared.copy()
