"""Write constraints.txt: the exact version of every package in the project's dependency tree.

Run by `make constraints` in the virtualenv the tests passed in. The tree is walked from
pyproject.toml's dependencies and every optional extra (markers evaluated for this machine),
so packages installed by hand that the project does not need are left out.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
HEADER = """\
# Exact versions the test suite passed on (Python {python}), for reproducible installs:
# `make install` runs `pip install -c constraints.txt -e '.[dev]'`. The project's dependency
# tree only. Regenerate with `make constraints` after changing a dependency in pyproject.toml
# (and environment.yml); tests/test_constraints.py checks every dependency is pinned here.
"""


def pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = [*project["dependencies"]]
    specs += [s for extra in project.get("optional-dependencies", {}).values() for s in extra]
    todo, found = [Requirement(s) for s in specs], {}
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        extras = tuple(sorted(req.extras))
        if (name, extras) in found:
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            sys.exit(f"{req.name} is required but not installed; run `make install` first.")
        found[(name, extras)] = dist.version
        for text in dist.requires or []:
            sub = Requirement(text)
            envs = [{"extra": e} for e in extras] or [{"extra": ""}]
            if sub.marker is None or any(sub.marker.evaluate(env) for env in envs):
                todo.append(sub)
    return {name: version for (name, _), version in sorted(found.items())}


def main() -> None:
    python = ".".join(map(str, sys.version_info[:3]))
    lines = [f"{name}=={version}" for name, version in pins().items()]
    text = HEADER.format(python=python) + "\n".join(lines) + "\n"
    target = ROOT / "constraints.txt"
    temp = target.with_name(".constraints.txt.tmp")
    temp.write_text(text, encoding="utf-8")
    temp.replace(target)
    print(f"{target}: {len(lines)} packages")


if __name__ == "__main__":
    main()
