"""A report reads only what it declares: the published-data notebook's inputs hold no
synthetic or case-level file, and a change to the synthetic sample does not rerun it."""

from __future__ import annotations

from analysis import config
from analysis.runs.planning import data_hashes, plan_runs


def _plan(processed):
    return {
        s.notebook_stem: s
        for s in plan_runs(
            regions=["Wales"],
            notebooks=["01-rating-distributions", "03-published-inspections"],
            processed_dir=processed,
            reports_dir=processed.parent / "reports",
        )
    }


def test_the_published_notebook_lists_and_depends_on_published_inputs_only(
    raw_copy, processed_copy, monkeypatch
):
    monkeypatch.setattr(config, "RAW_DIR", raw_copy)
    before = _plan(processed_copy)
    published = before["03-published-inspections"].data_hashes
    assert published and set(published) <= set(before["01-rating-distributions"].data_hashes)
    for path in published:
        assert "synthetic" not in path and "cases" not in path and "truth" not in path, path
    names = {p.rsplit("/", 1)[-1] for p in published}
    assert {"published_ratings.parquet", "reference.parquet"} <= names
    assert data_hashes(processed_copy, published_only=True) == published
    # a changed synthetic file: 01 is due again, 03 is not
    with open(raw_copy / "synthetic" / "cases.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    with open(processed_copy / "cases.parquet", "ab") as handle:
        handle.write(b"\0")
    after = _plan(processed_copy)
    assert (
        after["03-published-inspections"].fingerprint
        == before["03-published-inspections"].fingerprint
    )
    assert (
        after["01-rating-distributions"].fingerprint
        != before["01-rating-distributions"].fingerprint
    )
    # a changed published file reruns it
    with open(processed_copy / "published_ratings.parquet", "ab") as handle:
        handle.write(b"\0")
    again = _plan(processed_copy)
    assert (
        again["03-published-inspections"].fingerprint
        != before["03-published-inspections"].fingerprint
    )
