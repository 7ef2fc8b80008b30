"""analysis.imports: an optional extra hidden while a library is imported, then importable."""

from __future__ import annotations

import json
import subprocess
import sys

from analysis.imports import hidden


def test_a_hidden_name_cannot_be_imported_in_the_block_and_can_after():
    name = "analysis_example_module_never_installed"
    with hidden(name, "json") as added:
        assert added == [name]  # json is imported already: left alone
        try:
            __import__(name)
        except ImportError:
            pass
        else:  # pragma: no cover - the test fails here
            raise AssertionError("the hidden name was imported")
        assert json.dumps(1) == "1"
    assert name not in sys.modules


PROBE = """
import json, sys
from analysis.runs import engine, kernels
kernels.ENABLED = False
engine.warm_up()
import nbformat
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
nbformat.validate(nb)
bad = nbformat.v4.new_notebook()
bad["cells"] = [{"cell_type": "code"}]
try:
    nbformat.validate(bad)
    refused = False
except nbformat.ValidationError:
    refused = True
hidden_in_worker = "rfc3987_syntax" not in sys.modules
import rfc3987_syntax
print(json.dumps({"refused": refused, "hidden": hidden_in_worker, "after": bool(rfc3987_syntax)}))
"""


def test_a_worker_imports_nbformat_without_the_iri_grammar_and_still_validates():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"refused": True, "hidden": True, "after": True}
