"""The package's shape: layers point down, no cycles, one concern per module, no shims.

The layers and the absence of cycles are checked by ``lint-imports`` (the contracts in
``pyproject.toml``), which CI runs with the other lint checks; this file runs that check too,
so ``make test`` alone also guards it, and adds what import-linter cannot see: every module
opens with a docstring naming its one concern, no private names cross modules, and a generous
sanity cap on length. Modules are split by concern, never to get under a line count.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "analysis"
MAX_LINES = 800
"""A sanity cap, not a target: a module this long almost surely holds more than one concern."""


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _dotted(path: Path) -> list[str]:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path):
    """(line, absolute module, imported names) for every ``from … import …`` in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _dotted(path)
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            else:
                module = node.module or ""
            yield node.lineno, module, [a.name for a in node.names]


def test_no_module_imports_a_private_name_of_another_module():
    offences = []
    for path in _modules():
        for line, module, names in _imports(path):
            if not module.startswith("analysis"):
                continue
            for name in names:
                submodule = PACKAGE.parent.joinpath(*module.split("."), name)
                if submodule.with_suffix(".py").is_file() or submodule.is_dir():
                    continue  # a module, not a name: see the private-module test below
                if name.startswith("_") and not name.startswith("__"):
                    offences.append(f"{path.relative_to(PACKAGE)}:{line} imports {module}.{name}")
    assert offences == []


def test_private_modules_are_used_only_inside_their_own_subpackage():
    offences = []
    for path in _modules():
        here = ".".join(_dotted(path)[:2])  # analysis.<stage>
        for line, module, names in _imports(path):
            targets = [module, *(f"{module}.{n}" for n in names)]
            for target in targets:
                parts = target.split(".")
                for i, part in enumerate(parts):
                    if part.startswith("_") and not part.startswith("__"):
                        owner = ".".join(parts[: max(i, 1)])
                        if i == 1:  # a private module of the top package (none today)
                            break
                        if not (here == owner or here.startswith(owner + ".")):
                            offences.append(f"{path.relative_to(PACKAGE)}:{line} uses {target}")
                        break
    assert offences == []


def test_module_level_getattr_only_loads_a_package_s_own_names():
    """Re-exporting moved names through ``__getattr__`` is how the old import cycles began.

    ``analysis`` loads its own subpackages lazily, and ``data`` and ``report`` their own public
    names on first use (so the runner's planning, which needs only the reference list, does not
    import pandas and the schemas): each takes its ``__getattr__`` from the one helper,
    ``analysis.lazy.attach``, given a table whose every entry is a module of that package
    defining that name. No module writes a ``__getattr__`` of its own.
    """
    import importlib

    written, attached = [], []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
                written.append(str(path.relative_to(PACKAGE)))
            if isinstance(node, ast.Assign) and "__getattr__" in ast.unparse(node.targets[0]):
                assert "_lazy.attach(" in ast.unparse(node.value), path
                attached.append(str(path.relative_to(PACKAGE)))
    assert written == []
    assert sorted(attached) == ["__init__.py", "data/__init__.py", "report/__init__.py"]
    import analysis

    for name in analysis._SUBPACKAGES:
        assert importlib.import_module(f"analysis.{name}").__name__ == f"analysis.{name}"
    for package in ("analysis.data", "analysis.report"):
        module = importlib.import_module(package)
        assert sorted(module.__all__) == sorted(module._HOMES)
        for name, home in module._HOMES.items():
            defined_in = importlib.import_module(f"{package}.{home}")
            assert getattr(defined_in, name).__module__ == defined_in.__name__, (package, name)


def test_every_module_opens_with_a_docstring_naming_its_concern():
    """A first line of at least four words that ends a sentence: what this module is for."""
    missing = []
    for path in _modules():
        if path.name == "__init__.py" and not path.read_text(encoding="utf-8").strip():
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        first = (doc or "").strip().split("\n\n", 1)[0].replace("\n", " ").strip()
        if len(first.split()) < 4 or not first.endswith((".", ")", ":", "?")):
            missing.append(f"{path.relative_to(PACKAGE)}: {first[:60]!r}")
    assert missing == []


def test_no_module_passes_the_sanity_cap():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_formatter_escapes():
    hits = [
        f"{p.relative_to(PACKAGE)}:{i}"
        for p in _modules()
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "fmt: skip" in line or "fmt: off" in line
    ]
    assert hits == []


def test_layers_contract_holds():
    """``lint-imports`` with the contracts in pyproject.toml: layers point down, no cycles."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.fail("lint-imports is not installed: `pip install -e '.[dev]'` (make install)")
    done = subprocess.run(
        [exe], cwd=PACKAGE.parents[1], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_the_runner_s_planning_imports_neither_pandas_nor_the_schemas():
    """Planning a batch (which runs are up to date) needs the reference list and the standard
    library: a fresh interpreter importing the runner loads no pandas, pandera or dask."""
    import subprocess
    import sys

    code = (
        "import sys, analysis.runs.planning, analysis.runs.runner, analysis.runs.parameters; "
        "print(sorted(m for m in ('pandas', 'pandera', 'dask') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr
