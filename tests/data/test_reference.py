"""analysis.data.reference: the regions and PDUs of the reference list and the unknown-region sentence.

Expected names are read here from data/raw/reference/regions_pdus.csv with the csv module;
the counts are those of docs and ../shared/domain.md (12 regions, 108 geographic PDUs and 5
functional units, one functional name shared by two regions).
"""

from __future__ import annotations

import csv

import pytest

from analysis import config
from analysis.data.reference import did_you_mean, match_region, pdus, regions
from analysis.exceptions import InputDataError, ParameterError


@pytest.fixture(scope="module")
def reference_rows() -> list[dict]:
    path = config.RAW_DIR / "reference" / "regions_pdus.csv"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_twelve_regions_in_the_order_of_the_list(reference_rows):
    assert len(regions()) == 12
    assert regions() == tuple(dict.fromkeys(row["region"] for row in reference_rows))
    assert regions()[0] == "Wales"


def test_each_pdu_name_once_in_the_order_of_the_list(reference_rows):
    assert len(reference_rows) == 113
    # 'Public Protection Community' is a functional unit of two regions: one name
    assert len(pdus()) == 112
    assert pdus() == tuple(dict.fromkeys(row["pdu"] for row in reference_rows))
    assert "York" in pdus() and "Public Protection Community" in pdus()


def test_another_list_can_be_given(tmp_path):
    path = tmp_path / "regions_pdus.csv"
    path.write_text(
        "region,pdu\n North East ,Sunderland\nNorth East,Stockton and Hartlepool\nWales,\n",
        encoding="utf-8",
    )
    assert regions(path) == ("North East", "Wales")
    assert pdus(path) == ("Sunderland", "Stockton and Hartlepool")


def test_a_list_that_cannot_be_read_names_nothing(tmp_path):
    assert regions(tmp_path / "missing.csv") == ()
    assert pdus(tmp_path / "missing.csv") == ()


def test_did_you_mean_is_a_sentence_or_nothing():
    assert did_you_mean("York") == " Did you mean 'York'?"
    assert did_you_mean(None) == ""
    assert did_you_mean("") == ""


def test_a_region_is_read_as_the_reference_spells_it():
    assert match_region("yorkshire AND the humber") == "Yorkshire and the Humber"
    assert match_region(" kent, surrey & sussex ") == "Kent, Surrey and Sussex"


def test_an_unknown_region_names_the_closest_and_every_known_region():
    with pytest.raises(InputDataError) as info:
        match_region("Yorkshire & Humber")
    assert str(info.value) == (
        "Unknown region 'Yorkshire & Humber'. Did you mean 'Yorkshire and the Humber'? "
        "Known regions: Wales, London, Greater Manchester, North West, West Midlands, "
        "East Midlands, North East, Yorkshire and the Humber, East of England, "
        "Kent, Surrey and Sussex, South West, South Central."
    )


def test_the_caller_chooses_the_regions_the_error_and_the_last_words():
    with pytest.raises(ParameterError) as info:
        match_region(
            "Narnia", ["North East", "Wales"], error=ParameterError, also=" (or 'national')"
        )
    assert str(info.value) == (
        "Unknown region 'Narnia'. Known regions: North East, Wales (or 'national')."
    )
