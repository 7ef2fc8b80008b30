"""analysis.data._pandera: pandera set up for pandas tables without importing dask's frames."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from analysis.data._pandera import pa

PROBE = """
import json, sys
import pandas as pd
from analysis.data import schemas
from analysis.data._pandera import pa
schema = schemas.CaseRecords.to_schema()
after_schema = sorted(m for m in sys.modules if m == "dask" or m.startswith("dask."))
bad = pd.DataFrame({"n": [-1]})
try:
    pa.DataFrameSchema({"n": pa.Column(int, pa.Check.ge(0))}).validate(bad)
    refused = False
except pa.errors.SchemaError:
    refused = True
import dask.dataframe as dd
import pandera.typing.dask as ptd
print(json.dumps({
    "dask_after_schema": after_schema,
    "columns": len(schema.columns),
    "refused": refused,
    "dask_types_later": ptd.DASK_INSTALLED and issubclass(ptd.DataFrame, dd.DataFrame),
}))
"""


def _probe() -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_building_the_schemas_does_not_import_dask_which_stays_importable():
    found = _probe()
    assert found["dask_after_schema"] == []
    assert found["columns"] > 20
    assert found["refused"], "a check still refuses a bad value"
    assert found["dask_types_later"], "pandera's dask types are whole when dask is imported later"


def test_a_model_still_validates_pandas_frames():
    class Counts(pa.DataFrameModel):
        n: int = pa.Field(ge=0)

    assert Counts.validate(pd.DataFrame({"n": [0, 3]}))["n"].tolist() == [0, 3]
    with pytest.raises(pa.errors.SchemaError):
        Counts.validate(pd.DataFrame({"n": [-1]}))
