"""analysis.runs.index: ``reports/index.html``, every report by region, from the run records.

The expected HTML fragments are written out by hand from the records below.
"""

from __future__ import annotations

import json

from analysis.runs.index import read_manifests, render_index, write_index
from analysis.runs.spec import RunManifest

HEADLINE = (
    "In Wales, a new offence was 25.5 percentage points less common in high- than in "
    "inadequate-quality cases (95% interval 20.1 to 30.9)."
)


def _record(**values) -> RunManifest:
    return RunManifest.from_json(
        {"region_slug": "wales", "region": "Wales", "status": "ok", **values}
    )


def test_render_index_without_runs_says_what_to_do():
    html = render_index([])
    assert "make reports" in html and html.count("<h1") == 1


def test_the_index_reads_a_manifest_folder_that_is_a_directory_named_json(tmp_path):
    (tmp_path / "_runs" / "odd.json").mkdir(parents=True)
    (tmp_path / "_runs" / "national__ok.json").write_text(json.dumps({"status": "ok"}), "utf-8")
    manifests = read_manifests(tmp_path)
    assert [m.status for m in manifests] == ["ok"]


def test_index_card_shows_the_first_main_point_and_a_human_time():
    html = render_index(
        [
            RunManifest.from_json(
                {
                    "region_slug": "wales",
                    "region": "Wales",
                    "notebook_stem": "02",
                    "status": "ok",
                    "headline": HEADLINE,
                    "finished": "2026-12-01T18:36:22.493Z",
                    "outputs": {},
                }
            )
        ],
        generated="now",
    )
    assert HEADLINE in html
    assert "run 1 December 2026, 18:36 UTC" in html


def test_manifests_are_read_national_first_then_by_region_and_an_unusable_one_says_so(tmp_path):
    runs = tmp_path / "_runs"
    runs.mkdir()
    for key, region in (("wales__b", "Wales"), ("london__a", "London"), ("wales__a", "Wales")):
        slug, stem = key.split("__")
        RunManifest(status="ok", region=region, region_slug=slug, notebook_stem=stem).write(
            runs / f"{key}.json"
        )
    RunManifest(status="ok", region_slug="national", notebook_stem="z").write(
        runs / "national__z.json"
    )
    (runs / "york__c.json").write_text("[1, 2]", "utf-8")
    manifests = read_manifests(tmp_path)
    assert [(m.region_slug, m.notebook_stem) for m in manifests] == [
        ("national", "z"), ("london", "a"), ("wales", "a"), ("wales", "b"), ("york", "c"),
    ]  # fmt: skip
    unusable = manifests[-1]
    assert unusable.status == "failed" and unusable.problem is None
    assert unusable.error["message"].startswith("The run manifest york__c.json cannot be read (")
    assert unusable.error["message"].endswith("the next `analysis reports` runs this report again.")


def test_each_run_says_its_status_in_words_and_a_failure_its_error_and_log():
    manifests = [
        _record(notebook_stem="a", title="Ratings", headline="Shown.", outputs={"html": "wales/a.html"}),
        _record(notebook_stem="b", last_action="skipped"),
        _record(notebook_stem="c", status="running", outputs={"log": "_runs/wales__c.log"}),
        _record(
            notebook_stem="d", status="failed", headline="Not shown.",
            error={"message": "Cell 2 of the notebook raised KeyError: 'pdu'", "cell_source": "x['pdu'] < 1",
                   "cell_number": 2},
            outputs={"log": "_runs/wales__d.log", "ipynb": "wales/d.ipynb"},
        ),
    ]  # fmt: skip
    html = render_index(manifests, generated="today")
    assert (
        '<p class="meta">4 reports: 1 updated, 1 up to date (unchanged since their last run), 1 '
        "failed. 1 interrupted (run again by the next batch). Page written today.</p>"
    ) in html
    assert "<strong>1 report failed.</strong>" in html
    assert '<h3><a href="wales/a.html">Ratings</a></h3>' in html and "Shown." in html
    for word in ("OK", "Up to date", "Interrupted", "Failed"):
        assert f'">{word}</span>' in html
    assert "The run did not finish (its runner was stopped); the next run repeats it." in html
    assert "Cell 2 of the notebook raised KeyError: &#x27;pdu&#x27;" in html
    assert "<summary>Failing cell 2: its code</summary><pre>x[&#x27;pdu&#x27;] &lt; 1</pre>" in html
    assert "Not shown." not in html  # a failed run's headline is not a finding
    assert '<a href="_runs/wales__d.log">Run log</a>' in html
    assert '<a href="_runs/wales__c.log">Run log</a>' in html
    assert '<a href="wales/d.ipynb">Executed notebook</a>' in html


def test_real_and_synthetic_reports_are_listed_apart_with_tables_linked():
    manifests = [
        _record(notebook_stem="a", dataset="york", dataset_kind="real",
                outputs={"tables": ["york/wales/a_tables/rates by band.csv"]}),
        _record(notebook_stem="a", dataset="synthetic-2024", dataset_kind="synthetic"),
        _record(region_slug="national", region=None, notebook_stem="p", synthetic=True),
    ]  # fmt: skip
    html = render_index(manifests, generated="today")
    nav = html[html.index('<nav id="regions"') : html.index("</nav>")]
    assert nav.count("<li>") == 3
    assert (
        nav.index("Real data: Wales")
        < nav.index("Synthetic data (simulated, not real results): Wales")
        < nav.index("Synthetic data (simulated, not real results): National (all regions)")
    )
    assert 'href="#real-wales"' in nav and '<h2 id="synthetic-national">' in html
    assert (
        '<span class="label-real">Real data</span> <span class="meta">dataset york</span>' in html
    )
    assert 'class="banner banner-synthetic"' in html
    assert (
        '<a href="york/wales/a_tables/rates%20by%20band.csv">Table: rates by band (CSV)</a>' in html
    )


def test_write_index_makes_the_folder_and_writes_the_page(tmp_path):
    reports = tmp_path / "new" / "reports"
    (reports / "_runs").mkdir(parents=True)
    (reports / "_runs" / "wales__a.json").write_text(
        json.dumps({"status": "ok", "region_slug": "wales", "region": "Wales", "title": "Rates"}),
        "utf-8",
    )
    path = write_index(reports)
    assert path == reports / "index.html"
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<h3>Rates</h3>" in html
    assert write_index(tmp_path / "empty").read_text(encoding="utf-8").count("make reports") == 1
