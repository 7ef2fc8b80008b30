"""The explorer's choices: one national choice, outcome labels, a message for an empty selection."""

import pandas as pd

from analysis.report import explore
from analysis.report.display import table_bundle


def test_one_national_choice_even_when_published_data_say_national():
    cases = pd.DataFrame({"region": ["Wales", "North East", "Wales"]})
    published = pd.DataFrame({"region": ["National", "Wales", "London", None]})
    choices = explore.region_choices(cases, published)
    assert choices == [explore.ALL_REGIONS, "London", "North East", "Wales"]
    assert not any(c.casefold() == "national" for c in choices)


def test_national_published_rows_belong_to_the_national_choice():
    published = pd.DataFrame(
        {"region": ["National", "Wales"], "unit": ["England and Wales", "Cardiff"]}
    )
    rated, _ = explore.published_tables(published, None, region=explore.ALL_REGIONS, standard="x")
    assert list(rated["unit"]) == ["England and Wales", "Cardiff"]


def test_outcomes_are_offered_in_words():
    assert explore.outcome_choice("new_offence") == "A new offence"
    assert explore.outcome_choice("proven_reoffence_12m") == ("Proven reoffending within 12 months")


def test_an_empty_selection_says_so_instead_of_an_empty_table():
    empty = pd.DataFrame({"unit": pd.Series(dtype=str), "overall_rating": pd.Series(dtype=str)})
    html = explore._table_or_message(
        table_bundle, empty, "t", "Published inspection ratings", "No published report in Wales."
    )
    assert "<table" not in html
    assert "No published report in Wales. Choose another region" in html
    full = pd.DataFrame({"unit": ["Cardiff"], "overall_rating": ["Good"]})
    assert "<table" in explore._table_or_message(table_bundle, full, "t", "c", "none")
