"""The report in a real browser: headless Debian Chromium driven by Playwright, pages loaded from file://.

One browser for the module; each test opens the report in a fresh page and fails on any console
error or uncaught exception. Skipped when Playwright or /usr/bin/chromium is missing (CI installs both:
see the Makefile's install target).
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.report import build_compare
from tests.conftest import write_manifest
from tests.runs import run
from tests.test_report import DEDUP_AND_EXPORT, sample_manifest
from tests.warc_factory import ARTICLE, WarcBuilder, html_page

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling home, which floods a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if os.environ.get("CURATE_REQUIRE_CHROMIUM") == "1":  # CI (.ci/run): a missing browser is a failure
    import playwright.sync_api as sync_api

    assert CHROMIUM.exists(), "CI needs /usr/bin/chromium: make install runs apt-get install chromium as root"
else:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install -y chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # launch() gives the browser a fresh temporary profile of its own and removes it on close.
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


class Opened:
    def __init__(self, page: Any, problems: list[str]) -> None:
        self.page = page
        self.problems = problems


@pytest.fixture
def open_report(browser: Any) -> Iterator[Any]:
    contexts = []

    def open_file(path: Path) -> Opened:
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        contexts.append(context)
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.route("http*://**", lambda route: (problems.append(f"network: {route.request.url}"), route.abort()))
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("body[data-rendered]", timeout=15_000)
        assert page.get_attribute("body", "data-rendered") == "1", problems
        return Opened(page, problems)

    yield open_file
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-browser")
    run(sample_manifest(folder / "m.yaml", folder / "out"))
    return folder / "out"


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def test_the_report_loads_offline_with_no_console_errors(sample_run: Path, open_report: Any) -> None:
    opened = open_report(sample_run / "report.html")
    page = opened.page
    for section in ("summary", "funnel", "languages", "scores", "dedup", "pii", "mixture", "samples", "runinfo"):
        assert page.locator(f"section#{section}").count() == 1, section
    assert page.locator('section#dedup tr[data-source="github"]').count() == 1  # github's exact_dedup
    assert page.locator("#accounting-status").inner_text() == "ok"
    assert page.locator("section#scores svg line[data-threshold]").count() > 0
    assert opened.problems == []


def test_the_funnel_numbers_equal_stats_json(sample_run: Path, open_report: Any) -> None:
    stats = json.loads((sample_run / "stats.json").read_text())
    page = open_report(sample_run / "report.html").page
    shown = page.eval_on_selector_all(
        "section#funnel td[data-field]",
        "cells => cells.map(c => [c.dataset.source, c.dataset.stage, c.dataset.field, c.textContent])",
    )
    got = {(source, stage, field): _number(text) for source, stage, field, text in shown}
    expected = {}
    for source, data in stats["sources"].items():
        for stage in data["stages"]:
            expected[(source, stage["stage"], "in")] = stage["in"]
            expected[(source, stage["stage"], "kept")] = stage["kept"]
            expected[(source, stage["stage"], "dropped")] = sum(stage["dropped"].values())
            expected[(source, stage["stage"], "errored")] = sum(stage["errored"].values())
            for reason, n in {**stage["dropped"], **stage["errored"]}.items():
                cell = page.locator(
                    f'section#funnel tr[data-source="{source}"][data-stage="{stage["stage"]}"] '
                    f'[data-reason="{reason}"] [data-field="reason-count"]'
                )
                assert _number(cell.inner_text()) == n, (source, stage["stage"], reason)
    assert got == expected


def _mixture_state(page: Any) -> dict[str, dict[str, float]]:
    cells = page.eval_on_selector_all(
        "#mixture-table td[data-field][data-source]",
        "cells => cells.map(c => [c.dataset.source, c.dataset.field, c.dataset.value ?? c.textContent])",
    )
    state: dict[str, dict[str, float]] = {}
    for source, field, value in cells:
        state.setdefault(source, {})[field] = float(str(value).replace(",", ""))
    return state


def test_moving_a_mixture_weight_changes_the_totals_as_computed(sample_run: Path, open_report: Any) -> None:
    page = open_report(sample_run / "report.html").page
    data = json.loads(page.locator("#report-data").text_content())
    rows = {r["source"]: r for r in data["mixture"]["rows"]}
    assert data["mixture"]["target_tokens"] is None
    before = _mixture_state(page)
    for source, row in rows.items():  # the natural mixture: each source once
        assert before[source]["tokens"] == pytest.approx(row["tokens"])
        assert before[source]["epochs"] == pytest.approx(1.0)

    page.fill('input.weight-input[data-source="github"]', "0.9")
    weights = {source: row["weight"] for source, row in rows.items()} | {"github": 0.9}
    # No budget: the export's rule, the largest mixture in which no weighted source repeats.
    unbounded = _mixture_state(page)
    assert max(unbounded[s]["epochs"] for s in rows) == pytest.approx(1.0)
    for source in rows:
        assert unbounded[source]["tokens"] / unbounded["github"]["tokens"] == pytest.approx(weights[source] / 0.9)

    budget = sum(row["tokens"] for row in rows.values())
    page.fill("#mixture-budget", str(budget))
    after = _mixture_state(page)
    for source in rows:
        tokens = budget * weights[source] / sum(weights.values())
        assert after[source]["tokens"] == pytest.approx(tokens)
        assert after[source]["proportion"] == pytest.approx(tokens / budget)
        assert after[source]["epochs"] == pytest.approx(tokens / rows[source]["tokens"])
    assert float(page.get_attribute("#mixture-total", "data-value")) == pytest.approx(budget)
    github_epochs = after["github"]["epochs"]
    assert f"github would be repeated {github_epochs:.1f} times" in page.locator("#mixture-warnings").inner_text()

    page.fill("#mixture-budget", str(budget * 2))  # doubling the budget doubles every source
    doubled = _mixture_state(page)
    for source in rows:
        assert doubled[source]["tokens"] == pytest.approx(2 * after[source]["tokens"])

    page.select_option('select.mode-select[data-source="cc"]', "epochs")  # cc fixed at 3 epochs
    page.fill('input.weight-input[data-source="cc"]', "3")
    fixed = _mixture_state(page)
    assert fixed["cc"]["tokens"] == pytest.approx(3 * rows["cc"]["tokens"])
    assert fixed["github"]["tokens"] == pytest.approx(2 * budget - 3 * rows["cc"]["tokens"])

    page.click("#mixture-export")
    snippet = page.input_value("#mixture-snippet")
    assert snippet.startswith("export:\n") and "cc: {epochs: 3}" in snippet and "github: {weight: 1}" in snippet


def test_samples_render_escaped(sample_run: Path, open_report: Any) -> None:
    opened = open_report(sample_run / "report.html")
    page = opened.page
    page.click("section#samples button")  # open all groups
    texts = page.eval_on_selector_all("section#samples pre.sample-text", "nodes => nodes.map(n => n.textContent)")
    assert texts and all(isinstance(t, str) for t in texts)
    groups = page.eval_on_selector_all(
        "section#samples details.samplegroup", "nodes => nodes.map(n => [n.dataset.source, n.dataset.reason])"
    )
    assert ["cc", "warc_request"] in groups and ["github", "exact_duplicate"] in groups
    assert page.locator("section#samples pre.sample-text *").count() == 0, "sample text is text, never markup"
    assert opened.problems == []


HOSTILE = [
    '<script>window.__pwned = 1; document.title = "pwned";</script> The river report continues below.',
    "<img src=x onerror=\"window.__pwned = 2; document.title = 'pwned'\"> Pictures of the mills were taken.",
    "</textarea><textarea> and </script><script>window.__pwned = 3</script> closing tags in the text.",
    '<svg onload="window.__pwned = 4"></svg><a href="javascript:window.__pwned=5">click</a> end of the list.',
]


def hostile_warc(path: Path) -> Path:
    """Pages whose text is markup: a long one that is kept, a short one that Gopher drops."""
    builder = WarcBuilder()
    long_page = html_page("Hostile <kept>", [html.escape(p) for p in [*ARTICLE, *HOSTILE, *ARTICLE]])
    builder.response('https://evil.example.test/kept?q="><script>window.__pwned=6</script>', long_page.encode())
    short_page = html_page("Hostile <dropped>", [html.escape(HOSTILE[0])])
    builder.response("https://evil.example.test/dropped", short_page.encode())
    return builder.save(path)


def test_hostile_pages_cannot_run_code_in_the_report(tmp_path: Path, open_report: Any) -> None:
    warc = hostile_warc(tmp_path / "hostile.warc.gz")
    stages = [{"extract": {"timeout_s": 10}}, {"gopher_quality": {"min_words": 40}}]
    manifest = write_manifest(tmp_path / "m.yaml", tmp_path / "out", [str(warc)], stages)
    run(manifest)
    report = tmp_path / "out" / "report.html"
    raw = report.read_text(encoding="utf-8")
    assert "window.__pwned" in raw and "<script>window.__pwned" not in raw and "onerror=" not in raw

    opened = open_report(report)
    page = opened.page
    page.click("section#samples button")  # open every sample group
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title().startswith("curate report")
    assert page.locator("script").count() == 2  # the data block and the report's own script
    assert page.locator("main img, main svg[onload], main [onerror], main a[href^=javascript]").count() == 0
    texts = "\n".join(page.eval_on_selector_all("pre.sample-text", "nodes => nodes.map(n => n.textContent)"))
    assert HOSTILE[0] in texts, "the kept page shows the markup literally"
    dropped = page.locator('details.samplegroup[data-reason="gopher_too_few_words"] pre.sample-text')
    assert dropped.count() == 1 and HOSTILE[0] in dropped.text_content(), "the dropped page too, literally"
    url = page.locator('details.samplegroup[data-reason="kept"] .sample .head').first.text_content()
    assert '"><script>window.__pwned=6</script>' in url
    assert page.locator("textarea").count() == 1  # only the mixture snippet: '</textarea>' broke nothing
    assert opened.problems == []


@pytest.fixture(scope="module")
def exported_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-browser-export")
    run(sample_manifest(folder / "m.yaml", folder / "out", extra=DEDUP_AND_EXPORT))
    return folder / "out"


def test_dedup_and_export_panels_show_the_runs_files(exported_run: Path, open_report: Any) -> None:
    audit = json.loads((exported_run / "dedup" / "audit.json").read_text())
    export = json.loads((exported_run / "export" / "export.json").read_text())
    opened = open_report(exported_run / "report.html")
    page = opened.page
    for alarm in audit["alarms"]:
        assert alarm["message"] in page.locator(f"section#dedup [data-alarm={alarm['kind']}]").first.inner_text()
    for source, row in audit["removed_by_source"].items():
        cells = page.locator(f'section#dedup tr[data-source="{source}"]').last.inner_text().split("\t")[1:3]
        assert [_number(c) for c in cells] == [row["in"], row["removed"]], source
    assert export["tokenizer"]["name"] in page.locator("section#mixture").inner_text()
    # The editor starts from the export's own plan: the tokens it asked of every source.
    state = _mixture_state(page)
    for entry in export["mixture"]:
        assert state[entry["source"]]["tokens"] == pytest.approx(entry["requested_epochs"] * entry["tokens_available"])
    assert opened.problems == []


def test_compare_page_shows_stage_deltas(sample_run: Path, tmp_path: Path, open_report: Any) -> None:
    run(sample_manifest(tmp_path / "m.yaml", tmp_path / "b", min_words=120))
    opened = open_report(build_compare(sample_run, tmp_path / "b", tmp_path / "compare.html"))
    a = json.loads((sample_run / "stats.json").read_text())["sources"]["cc"]["stages"]
    b = json.loads((tmp_path / "b" / "stats.json").read_text())["sources"]["cc"]["stages"]
    delta = next(s["kept"] for s in b if s["stage"] == "gopher_quality") - next(
        s["kept"] for s in a if s["stage"] == "gopher_quality"
    )
    cell = opened.page.locator('td[data-source="cc"][data-stage="gopher_quality"][data-field="delta_kept"]')
    assert _number(cell.inner_text().lstrip("+")) == delta < 0
    assert "gopher_quality.min_words" in opened.page.locator("section#compare").inner_text()
    assert opened.problems == []
