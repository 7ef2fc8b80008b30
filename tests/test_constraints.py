"""constraints.txt pins every dependency exactly, within pyproject's floors, and make uses it."""

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from analysis import config


def _requirements() -> list[Requirement]:
    text = (config.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = tomllib.loads(text)["project"]
    specs = [*project["dependencies"]]
    specs += [s for extra in project.get("optional-dependencies", {}).values() for s in extra]
    return [Requirement(s) for s in specs]


def _pins(text: str | None = None) -> dict[str, str]:
    if text is None:
        text = (config.PROJECT_ROOT / "constraints.txt").read_text(encoding="utf-8")
    pins: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)", line)
        assert match, f"constraints.txt line {number}: {line!r} is not an exact pin name==version"
        name = canonicalize_name(match.group(1))
        assert name not in pins, f"constraints.txt pins {name} twice"
        pins[name] = match.group(2)
    return pins


def _unpinned(pins: dict[str, str]) -> list[str]:
    problems = []
    for req in _requirements():
        version = pins.get(canonicalize_name(req.name))
        if version is None:
            problems.append(f"{req.name} is not pinned")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name}=={version} is outside pyproject's {req.specifier}")
    return problems


def test_every_pyproject_dependency_is_pinned_within_its_floor():
    assert _unpinned(_pins()) == []


def test_the_check_notices_a_missing_or_too_old_pin():
    """Guard the guard: drop pandas, make numpy too old."""
    pins = _pins()
    pins.pop("pandas")
    pins["numpy"] = "1.0"
    assert _unpinned(pins) == ["numpy==1.0 is outside pyproject's >=1.26", "pandas is not pinned"]


def test_the_makefile_installs_with_the_constraints():
    makefile = (config.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet -c constraints.txt -e '.[dev]'" in makefile
    assert re.search(r"^\$\(STAMP\):.*constraints\.txt", makefile, re.MULTILINE)
