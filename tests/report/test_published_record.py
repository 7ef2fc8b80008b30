"""Published-record summaries: rounds apart, standards that fail, re-inspections with the
framework caveat, per-framework completeness, half-up rounding, context association, alt text."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis.ratings.distribution import _implied_count, standards_failing
from analysis.ratings.published_context import context_association
from analysis.report import _a11y, published_text, summaries


def test_headline_states_rounds_apart_and_single_years_once():
    frame = pd.DataFrame(
        {
            "unit_type": ["pdu"] * 4,
            "framework": ["pdu-2021", "pdu-2021", "pdu-2023", "pdu-2023"],
            "overall_rating": ["Inadequate", "Good", "Inadequate", "Inadequate"],
            "report_year": [2023, 2023, 2024, 2025],
        }
    )
    text = summaries.published_sentence(frame)
    assert text.startswith("Of 4 published PDU inspection reports, in 2 rounds counted apart: ")
    assert "2 reports, 2023: 1 of 2 (50%) Good" in text and "2023–2023" not in text
    assert "2 reports, 2024–2025: 2 of 2 (100%) Inadequate" in text


def test_standards_failing_counts_only_stated_ratings_per_framework():
    frame = pd.DataFrame(
        {
            "framework": ["pdu-2023"] * 3,
            "assessment": ["Inadequate", "Inadequate", None],
            "leadership": ["Good", "Inadequate", "Requires improvement"],
        }
    )
    out = standards_failing(frame).set_index("standard")
    assert out.loc["assessment", ["reports_rating_it", "inadequate"]].tolist() == [2, 2]
    assert out.loc["leadership", ["reports_rating_it", "inadequate"]].tolist() == [3, 1]
    assert out.index[0] == "assessment"  # worst first
    assert "court_work" not in out.index  # not a standard of pdu-2023


def test_reinspection_sentence_always_says_whether_the_framework_changed():
    same = pd.DataFrame({"change": ["same"], "first_framework": ["x"], "latest_framework": ["x"]})
    assert "of the same framework" in published_text.reinspection_sentence(same)
    mixed = pd.DataFrame(
        {
            "change": ["better", "worse"],
            "first_framework": ["x", "y"],
            "latest_framework": ["y", "y"],
        }
    )
    assert "for 1 of the 2 the framework changed" in published_text.reinspection_sentence(mixed)


def test_coverage_counts_each_report_against_its_own_framework():
    seven = [
        "leadership",
        "staffing",
        "services",
        "assessment",
        "planning",
        "implementation_and_delivery",
        "reviewing",
    ]
    row = dict.fromkeys(seven, "Inadequate")
    frame = pd.DataFrame([{**row, "framework": "pdu-2023"}, {**row, "framework": "pdu-2021"}])
    text = published_text.coverage_sentence(frame)
    # the nine-standard report lacks court work and information and facilities
    assert text.startswith("Of 2 reports listed, 1 state a rating for every standard")
    assert "court work" in text


def test_percentages_round_half_up_as_printed():
    assert _implied_count(63, 8) == (5, True)  # 62.5% is printed 63%
    assert _implied_count(38, 8) == (3, True)  # 37.5% is printed 38%
    assert round(62.5) == 62  # Python's own rounding would have printed 62%


def test_context_association_matches_scipy_and_refuses_few_units():
    rng = np.random.default_rng(3)
    values = rng.normal(30, 10, 12)
    order = (values < 30).astype(int) + rng.integers(0, 2, 12)
    table = pd.DataFrame(
        {"framework": "pdu-2023", "measure": "vacancy", "value": values, "rating_order": order}
    )
    row = context_association(table).iloc[0]
    assert row["units"] == 12
    assert np.isclose(row["rho"], stats.spearmanr(values, order).statistic)
    z, se = np.arctanh(row["rho"]), np.sqrt(1.06 / 9)
    assert np.isclose(row["ci_low"], np.tanh(z - 1.96 * se))
    few = context_association(table.head(4)).iloc[0]
    assert np.isnan(few["rho"]) and "4 PDU reports" in few["note"]
    assert "ecological" in published_text.context_sentence(context_association(table))


def test_alt_text_counts_each_scope_apart_and_names_what_the_bars_are():
    counts = pd.DataFrame(
        [
            {"Outstanding": 0, "Good": 0, "Requires improvement": 3, "Inadequate": 7},
            {"Outstanding": 0, "Good": 1, "Requires improvement": 40, "Inadequate": 37},
        ]
    )
    text = _a11y.rating_bars_alt(
        counts,
        ["round A – Wales", "round A – England and Wales"],
        ["Wales", "England and Wales"],
        what="inspection round",
        scope_of=["Wales", "England and Wales"],
    )
    assert "in Wales, Inadequate (7 of 10)" in text
    assert "in England and Wales, Requires improvement (40 of 78)" in text
    assert "of 88" not in text  # the region is not added to England and Wales again
    assert "1 inspection round, Wales and England and Wales side by side" in text
    assert "standard" not in text


def test_alt_text_of_many_long_scopes_stays_within_the_limit_and_keeps_the_finding():
    rows = [{"Outstanding": 0, "Good": 2, "Requires improvement": 9, "Inadequate": 11}] * 4
    scopes = ["Yorkshire and the Humber", "England and Wales (all regions)"]
    labels = [f"inspection round {r} – {s}" for r in ("2021–2023", "2023 onwards") for s in scopes]
    text = _a11y.rating_bars_alt(
        pd.DataFrame(rows),
        labels,
        scopes,
        what="inspection round",
        scope_of=[s for _ in range(2) for s in scopes],
    )
    assert len(text) <= _a11y.ALT_MAX_CHARS
    assert text.startswith("The most common rating is, in Yorkshire and the Humber, Inadequate")
