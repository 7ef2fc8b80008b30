"""environment.yml and pyproject.toml must list the same dependencies with the same minimum versions."""

import re
import tomllib

import yaml

from analysis import config


def _split(spec: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", spec)
    name, version = match.group(1), match.group(2).replace(" ", "")
    return re.sub(r"\[.*\]", "", name).lower().replace("_", "-"), version


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    return dict(_split(s) for s in specs)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((config.PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    specs = [d for d in env["dependencies"] if isinstance(d, str)]
    deps = dict(_split(s) for s in specs)
    deps.pop("python"), deps.pop("pip")
    return deps


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    pyproject, environment = _pyproject(), _environment()
    assert set(pyproject) - set(environment) == set(), "in pyproject.toml but not environment.yml"
    assert set(environment) - set(pyproject) == set(), "in environment.yml but not pyproject.toml"


def test_minimum_versions_agree():
    pyproject, environment = _pyproject(), _environment()
    differ = {
        n: (pyproject[n], environment[n]) for n in pyproject if pyproject[n] != environment.get(n)
    }
    assert differ == {}


def test_the_check_notices_a_drift(tmp_path, monkeypatch):
    """Guard the guard: a dependency missing from environment.yml is reported."""
    root = tmp_path
    (root / "pyproject.toml").write_text(
        (config.PROJECT_ROOT / "pyproject.toml")
        .read_text(encoding="utf-8")
        .replace('"tqdm>=4.66",', '"tqdm>=4.66",\n    "rich>=13",'),
        encoding="utf-8",
    )
    (root / "environment.yml").write_text(
        (config.PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.setattr(config, "PROJECT_ROOT", root)
    assert set(_pyproject()) - set(_environment()) == {"rich"}
