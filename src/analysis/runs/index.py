"""``reports/index.html``: every report, grouped by region, built from the run manifests.

The page is self-contained (inline CSS, no scripts, no network), in English (``lang="en"``),
with one ``h1``, a list of regions to jump to, and for each report its status in words (ok,
failed, or up to date), its headline, and links to the HTML, the CSV tables, the executed
notebook and, for a failed run, the log. It is built from the typed run records
(:class:`~analysis.runs.spec.RunManifest`, read as the planner reads them: a manifest that
cannot be used is listed as failed, saying why) and shares the reports' stylesheet
(``analysis/report/templates/reader/report.css``) read as a file, so writing it stays fast.

>>> html = render_index([])
>>> html.count("<h1")
1
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from html import escape
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from ..io.atomic import write_text_atomic
from .spec import RunManifest

__all__ = ["read_manifests", "render_index", "write_index"]

TITLE = "Probation inspection reports"

_CSS_FILE = files("analysis.report") / "templates" / "reader" / "report.css"

_INDEX_CSS = """
ul.regions { columns: 14rem; padding-left: 1.2rem; }
ul.runs { list-style: none; padding: 0; margin: 0; }
li.run { border-top: 1px solid var(--rule, #b1b4b6); padding: 0.7rem 0; }
li.run h3 { margin: 0 0 0.3rem; font-size: 1.1rem; }
.status { display: inline-block; font-weight: 700; font-size: 0.9rem; padding: 0 0.4rem;
  border: 2px solid currentColor; border-radius: 2px; margin-right: 0.4rem; }
.status-ok { color: #00703c; }
.status-up-to-date { color: #1d4f91; }
.status-failed { color: #a0231b; background: #fde8e7; }
.status-interrupted { color: #594d00; background: #fff7bf; }
.label-synthetic { display: inline-block; font-size: 0.9rem; padding: 0 0.4rem;
  background: #ffdd00; color: #0b0c0c; font-weight: 600; }
.label-real { display: inline-block; font-size: 0.9rem; padding: 0 0.4rem;
  background: #00703c; color: #ffffff; font-weight: 600; }
ul.links { list-style: none; padding: 0; margin: 0.3rem 0 0; display: flex; flex-wrap: wrap;
  gap: 0.2rem 1rem; }
p.error { white-space: pre-wrap; overflow-wrap: anywhere; }
"""

_STATUS_WORDS = {
    "ok": "OK",
    "failed": "Failed",
    "up-to-date": "Up to date",
    "interrupted": "Interrupted",
}

_NOT_FINISHED = "The run did not finish (its runner was stopped); the next run repeats it."


def _css() -> str:
    try:
        shared = _CSS_FILE.read_text(encoding="utf-8")
    except OSError:
        shared = "body { font: 1rem/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 0 1rem; }"
    return shared + _INDEX_CSS


def read_manifests(reports_dir: str | os.PathLike[str]) -> list[RunManifest]:
    """Every run manifest under ``reports_dir/_runs``, national first then regions A to Z.

    A manifest that cannot be used is returned as a failed record saying why, rather than
    dropped; its region and notebook are then taken from its file name.
    """
    manifests = []
    for path in sorted((Path(reports_dir) / "_runs").glob("*.json")):
        if not path.is_file():
            continue
        manifest = RunManifest.read(path)
        if manifest is None:  # removed since the listing
            continue
        if manifest.problem is not None:
            slug, _, stem = path.stem.partition("__")
            manifest = RunManifest(
                status="failed",
                region_slug=slug,
                notebook_stem=stem,
                error={
                    "message": f"The run manifest {path.name} cannot be read "
                    f"({manifest.problem}); the next `analysis reports` runs this report again."
                },
            )
        manifests.append(manifest)

    def order(m: RunManifest) -> tuple:
        slug = m.region_slug or "national"
        return (slug != "national", (m.region or slug).casefold(), m.notebook_stem or "")

    return sorted(manifests, key=order)


def _status(manifest: RunManifest) -> str:
    """ok, up-to-date, interrupted (stopped, or never finished because the runner died) or failed."""
    status = manifest.status
    if status == "ok":
        return "up-to-date" if manifest.last_action == "skipped" else "ok"
    if status in ("interrupted", "running"):
        return "interrupted"
    return "failed"


def _reports(n: int) -> str:
    return f"{n} report" if n == 1 else f"{n} reports"


def _href(path: str) -> str:
    return quote(Path(path).as_posix())


def _run_item(m: RunManifest) -> str:
    status = _status(m)
    outputs = m.outputs or {}
    title = m.title or m.notebook_stem or "report"
    heading = escape(title)
    if outputs.get("html"):
        heading = f'<a href="{_href(outputs["html"])}">{heading}</a>'
    parts = [
        '<li class="run">',
        f"<h3>{heading}</h3>",
        f'<p><span class="status status-{status}">{_STATUS_WORDS[status]}</span>',
    ]
    if _data_kind(m) == "synthetic":
        parts.append(' <span class="label-synthetic">Synthetic data</span>')
    elif _data_kind(m) == "real":
        parts.append(' <span class="label-real">Real data</span>')
    if m.dataset:
        parts.append(f' <span class="meta">dataset {escape(m.dataset)}</span>')
    if m.finished:
        parts.append(f' <span class="meta">run {escape(_human_time(m.finished))}</span>')
    parts.append("</p>")
    if m.headline and status not in ("failed", "interrupted"):
        parts.append(f'<p class="headline-figure">{escape(m.headline)}</p>')
    error = m.error or {}
    if status in ("failed", "interrupted"):
        fallback = "The run failed." if status == "failed" else _NOT_FINISHED
        message = error.get("message") or fallback
        parts.append(f'<p class="error run-error">{escape(str(message))}</p>')
        if error.get("cell_source"):
            parts.append(
                f"<details><summary>Failing cell {error.get('cell_number', '')}: its code"
                "</summary>"
                f"<pre>{escape(str(error['cell_source']))}</pre></details>"
            )
    links = []
    for path in outputs.get("tables") or []:
        name = Path(path).stem.replace("_", " ").replace("-", " ")
        links.append(f'<a href="{_href(path)}">Table: {escape(name)} (CSV)</a>')
    if outputs.get("ipynb"):
        links.append(f'<a href="{_href(outputs["ipynb"])}">Executed notebook</a>')
    if status in ("failed", "interrupted") and outputs.get("log"):
        links.append(f'<a href="{_href(outputs["log"])}">Run log</a>')
    if links:
        parts.append('<ul class="links">' + "".join(f"<li>{a}</li>" for a in links) + "</ul>")
    parts.append("</li>")
    return "".join(parts)


def _data_kind(m: RunManifest) -> str | None:
    """``real`` or ``synthetic`` as the run's dataset declares (older manifests: the flag)."""
    if m.dataset_kind in ("real", "synthetic"):
        return m.dataset_kind
    return "synthetic" if m.synthetic else None


_KIND_HEADINGS = {
    "real": "Real data",
    "synthetic": "Synthetic data (simulated, not real results)",
}


def _human_time(stamp) -> str:
    """:func:`analysis.report.summaries.words.human_time`, imported when an index is written,
    so that importing the runner's planning does not load pandas."""
    from ..report.summaries.words import human_time

    return human_time(stamp)


def render_index(manifests: list[RunManifest], *, generated: str | None = None) -> str:
    """Render the index page for the given manifests (as :func:`read_manifests` orders them).

    Reports on real data and reports on synthetic data are listed apart, each by region.
    """
    generated = generated or _human_time(datetime.now(UTC).isoformat())
    groups: dict[str, list[RunManifest]] = {}
    names: dict[str, str] = {}
    for kind in ("real", "synthetic", None):
        for m in manifests:
            if _data_kind(m) != kind:
                continue
            region = m.region_slug or "national"
            slug = region if kind is None else f"{kind}-{region}"
            groups.setdefault(slug, []).append(m)
            place = "National (all regions)" if region == "national" else m.region or region
            names[slug] = place if kind is None else f"{_KIND_HEADINGS[kind]}: {place}"
    counts = {key: 0 for key in _STATUS_WORDS}
    for m in manifests:
        counts[_status(m)] += 1
    summary = (
        f"{len(manifests)} reports: {counts['ok']} updated, {counts['up-to-date']} up to date "
        f"(unchanged since their last run), {counts['failed']} failed."
    )
    if counts["interrupted"]:
        summary += f" {counts['interrupted']} interrupted (run again by the next batch)."
    body = [
        '<a class="skip-link" href="#regions">Skip to the list of regions</a>',
        "<main>",
        f"<h1>{TITLE}</h1>",
        f'<p class="meta">{escape(summary)} Page written {escape(generated)}.</p>',
    ]
    if any(_data_kind(m) == "synthetic" for m in manifests):
        body.append(
            '<div class="banner banner-synthetic"><strong>Some reports use synthetic (simulated) '
            "data.</strong> They are marked below and carry a banner; their figures are not real "
            "results about any probation service.</div>"
        )
    if counts["failed"]:
        body.append(
            f'<div class="banner banner-failed"><strong>{_reports(counts["failed"])} failed.</strong> '
            "They are marked Failed below, with the error and a link to the run log.</div>"
        )
    if not manifests:
        body.append("<p>No reports have been run yet. Run <code>make reports</code>.</p>")
    else:
        body.append(
            '<nav id="regions" class="toc" aria-label="Regions"><h2>Regions</h2><ul class="regions">'
        )
        body += [f'<li><a href="#{quote(slug)}">{escape(names[slug])}</a></li>' for slug in groups]
        body.append("</ul></nav>")
    for slug, runs in groups.items():
        body.append(
            f'<section aria-labelledby="{escape(slug)}"><h2 id="{escape(slug)}">{escape(names[slug])}</h2>'
        )
        body.append('<ul class="runs">' + "".join(_run_item(m) for m in runs) + "</ul></section>")
    body.append("</main>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{TITLE}</title>\n<style>{_css()}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def write_index(reports_dir: str | os.PathLike[str]) -> Path:
    """Write ``reports_dir/index.html`` from the run manifests (atomically, UTF-8); return its path.

    Raises
    ------
    OSError
        If the reports folder cannot be written.
    """
    reports = Path(reports_dir)
    reports.mkdir(parents=True, exist_ok=True)
    html = render_index(read_manifests(reports))
    return write_text_atomic(reports / "index.html", html)
