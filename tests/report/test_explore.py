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


def _data_choice(panel) -> list[str]:
    """The options of the explorer's "Data" drop-down."""
    (pick_data,) = [c for c in panel.children[0].children if c.description == "Data"]
    return list(pick_data.options)


def test_the_data_choice_and_notice_follow_the_declared_kind(raw_copy, tmp_path, monkeypatch):
    from analysis import data, report
    from analysis.data.build import build
    from analysis.report import display
    from tests.runs.test_disclosure_leaks import write_tiny

    write_tiny(raw_copy, "tiny-real", "real")
    write_tiny(raw_copy, "tiny-synthetic", "synthetic")
    processed = tmp_path / "processed"
    build(raw_dir=raw_copy, processed_dir=processed)
    published = data.load_published_ratings(processed_dir=processed)
    monkeypatch.setattr(display, "_display", lambda bundle, meta: None)
    real = data.load_cases(processed_dir=processed, dataset="tiny-real")
    choices = _data_choice(explore.explorer(real, published=published))
    assert choices == ["Case records: tiny-real (real)", explore.PUBLISHED]
    assert report.synthetic_notice(real) is False
    # a synthetic dataset says so, even in a session that has loaded real cases
    synthetic = data.load_cases(processed_dir=processed, dataset="tiny-synthetic")
    assert _data_choice(explore.explorer(synthetic, published=published))[0] == explore.SYNTHETIC
    assert report.synthetic_notice(synthetic) is True
    # in a run on the real dataset nothing is called synthetic, whatever marks a frame has
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "real")
    monkeypatch.setenv("ANALYSIS_RUN_DATASET", "tiny-real")
    assert _data_choice(explore.explorer(synthetic, published=published))[0] != explore.SYNTHETIC
    assert report.synthetic_notice(synthetic) is False
    # a frame whose kind nobody declared is never called synthetic, whatever its source says
    monkeypatch.delenv("ANALYSIS_RUN_KIND")
    bare = real.copy()
    bare.attrs.clear()
    bare["source"] = "synthetic"
    assert explore.case_data_label(bare) == "Case records (kind not declared; treated as real)"
    assert report.synthetic_notice(bare) is False
