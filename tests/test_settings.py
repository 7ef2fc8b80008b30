"""analysis.settings: each ANALYSIS_* variable read when asked, checked, and refused in words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis import settings
from analysis.exceptions import ParameterError

VARIABLES = (
    settings.PROJECT_ROOT_ENV,
    settings.FRAMEWORK_PATH_ENV,
    settings.CELL_TIMEOUT_ENV,
    settings.SCHEDULER_ENV,
)


@pytest.fixture(autouse=True)
def _no_settings(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_the_variables_are_named_as_documented():
    """docs/architecture.md and the settings table of the module docstring."""
    assert VARIABLES == (
        "ANALYSIS_PROJECT_ROOT",
        "ANALYSIS_FRAMEWORK_PATH",
        "ANALYSIS_CELL_TIMEOUT",
        "ANALYSIS_DASK_SCHEDULER",
    )


@pytest.mark.parametrize("blank", [None, "", "   "], ids=["unset", "empty", "spaces"])
def test_unset_or_blank_variables_give_the_defaults(monkeypatch, blank):
    for name in VARIABLES if blank is not None else ():
        monkeypatch.setenv(name, blank)
    assert settings.project_root_override() is None
    assert settings.framework_paths() == []
    assert settings.cell_timeout() == 600
    assert settings.dask_scheduler() is None


def test_the_project_root_is_expanded_and_resolved(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(settings.PROJECT_ROOT_ENV, "~/project/../copy")
    assert settings.project_root_override() == tmp_path.resolve() / "copy"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(settings.PROJECT_ROOT_ENV, "  relative  ")
    assert settings.project_root_override() == tmp_path.resolve() / "relative"


def test_framework_paths_keep_their_order_and_skip_empty_entries(monkeypatch):
    value = os.pathsep.join(["/extra/one.toml", "", "frameworks"])
    monkeypatch.setenv(settings.FRAMEWORK_PATH_ENV, value)
    assert settings.framework_paths() == [Path("/extra/one.toml"), Path("frameworks")]


@pytest.mark.parametrize(("value", "seconds"), [("30", 30), (" 45 ", 45), ("1", 1)])
def test_a_cell_timeout_in_whole_seconds(monkeypatch, value, seconds):
    monkeypatch.setenv(settings.CELL_TIMEOUT_ENV, value)
    assert settings.cell_timeout() == seconds


@pytest.mark.parametrize("value", ["0", "00", "-5", "ten", "1.5", "1e3", "+30"])
def test_a_cell_timeout_that_is_not_a_positive_whole_number_is_refused(monkeypatch, value):
    monkeypatch.setenv(settings.CELL_TIMEOUT_ENV, value)
    with pytest.raises(ParameterError) as info:
        settings.cell_timeout()
    assert str(info.value) == (
        f"ANALYSIS_CELL_TIMEOUT must be a positive whole number of seconds, not {value!r}."
    )


def test_the_scheduler_address_is_passed_on_as_given(monkeypatch):
    monkeypatch.setenv(settings.SCHEDULER_ENV, " tcp://10.0.0.5:8786 ")
    assert settings.dask_scheduler() == "tcp://10.0.0.5:8786"


def test_a_variable_is_read_each_time_it_is_asked_for(monkeypatch):
    monkeypatch.setenv(settings.CELL_TIMEOUT_ENV, "30")
    assert settings.cell_timeout() == 30
    monkeypatch.setenv(settings.CELL_TIMEOUT_ENV, "90")
    assert settings.cell_timeout() == 90
