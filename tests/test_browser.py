"""Drive the real app in headless Chromium, as a stakeholder would (slow, needs chromium).

Interview → upload documents → generated pairs (not all cloze, every file covered) →
the team's Q/A file uploaded after them, which the run is then scored on → prompt + RAG
trials → the Advisor panel changes without a new message → PDF report for that run,
checked with pypdf; and a behaviour trial on real examples. Screenshots land in
tests/screenshots/ for people to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.fakes.server import free_port, wait_for_page

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "tests" / "screenshots"
QA = ROOT / "examples" / "sample_qa.csv"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
INTERVIEW = [  # natural phrasings, as a stakeholder types them
    "it keeps making up facts about our products",
    "pretty much every week",
    "roughly 2M tokens of manuals",
    "we haven't",
    "not yet",
    "nope",
    "medium",
    "we don't have a GPU",
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    port = free_port()
    data = tmp_path_factory.mktemp("browser-data")
    env = {**os.environ, "ADVISOR_DATA_DIR": str(data)}
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_page(url, proc)
        yield url, data
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def say(page, text: str) -> None:
    """Type a message and wait until the reply is complete: the message is in the chat,
    then the input unlocks again. (Waiting a fixed 300 ms for the lock let a slow server
    take the next message before the last one: a flaky interview under load.)"""
    box = page.locator("#chat-input textarea")
    sent = page.locator("#chat").get_by_text(text, exact=True)
    before = sent.count()
    box.fill(text)
    box.press("Enter")
    expect(sent).to_have_count(before + 1, timeout=60_000)
    expect(box).to_be_enabled(timeout=120_000)


def stored_runs(data: Path) -> list[dict]:
    """The runs the app recorded, read from its DuckDB file as `app.py runs` would."""
    from eval.store import Store

    with Store(data / "advisor.duckdb") as store:
        return store.list_runs()


def test_interview_trial_and_pdf_report(app_url, browser, tmp_path):
    from pypdf import PdfReader

    app_url, data = app_url
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page.goto(app_url)
    say(page, "hello")
    page.get_by_text("What will the model do").wait_for(timeout=60_000)
    page.get_by_role("button", name="Document Q&A").click()
    page.get_by_text("What does the model get wrong").wait_for(timeout=60_000)
    expect(page.locator("#chat-input textarea")).to_be_enabled(timeout=60_000)
    for reply in INTERVIEW:
        say(page, reply)
    page.get_by_text("Preliminary recommendation").first.wait_for(timeout=60_000)
    page.screenshot(path=str(SHOTS / "1-interview.png"), full_page=True)

    panel = page.locator("#recommendation")
    before = panel.inner_text()
    assert "measured comparison" not in before

    page.get_by_role("tab", name="Trials").click()
    docs = sorted(str(p) for p in (ROOT / "examples" / "sample_docs").iterdir())
    page.locator("#trial-docs input[type=file]").set_input_files(docs)
    page.locator("#upload-status").get_by_text("chunks").wait_for(timeout=120_000)
    page.get_by_text("Review generated Q/A pairs").click()
    page.locator("#generate").click()
    coverage = page.locator("#pairs-status")
    coverage.get_by_text("per file:").wait_for(timeout=600_000)
    counts = re.search(r"(\d+) pairs \((\d+) questions, (\d+) fill-in", coverage.inner_text())
    assert counts and int(counts.group(2)) > 0, coverage.inner_text()  # not all cloze
    assert "(none found)" not in coverage.inner_text()  # every file yielded pairs
    evaluate_on = page.locator("#evaluate-on")
    expect(evaluate_on.get_by_label("The reviewed generated pairs")).to_be_checked()
    # Then the team's own Q/A file arrives: touched last, it is what the run is scored on.
    page.locator("#trial-qa input[type=file]").set_input_files(str(QA))
    upload = page.locator("#upload-status")
    upload.get_by_text("question/answer pairs").wait_for(timeout=120_000)
    expect(upload).not_to_contain_text("did not arrive")  # the documents stay as they were
    held = re.search(r"With (\d+) held-out items", upload.inner_text()).group(1)
    expect(evaluate_on.get_by_label(re.compile(r"Your uploaded Q/A file"))).to_be_checked()
    page.locator("#run-trials").click()
    # While it runs, the top of the tab says so and Run is locked: a second click (or a
    # double click) cannot start a second run; the stored run count is checked below.
    expect(page.locator("#run-trials")).to_be_disabled(timeout=10_000)
    expect(page.locator("#run-banner")).to_contain_text("A trial is running", timeout=10_000)
    page.locator("#run-trials").click(force=True)  # a click on the locked button: nothing
    status = page.locator("#trial-status")
    run_line = status.get_by_text(re.compile(r"Run \S+: \w+ — \d+ train / \d+ held-out questions"))
    run_line.wait_for(timeout=600_000)
    assert f"/ {held} held-out questions" in run_line.inner_text(), run_line.inner_text()
    evaluated = status.get_by_text(re.compile(r"Evaluated on your file sample_qa\.csv: \d+ pairs"))
    expect(evaluated).to_contain_text(f"/ {held} held-out")
    run_id = re.search(r"Run (\S+):", run_line.inner_text()).group(1)
    results = page.locator("#results")
    for trial in ("prompt", "rag"):  # one shown row each (Gradio keeps hidden cell copies)
        expect(results.get_by_text(trial, exact=True).filter(visible=True)).to_have_count(1)
    runs = [r for r in stored_runs(data) if r["kind"] == "knowledge"]
    assert [r["run_id"] for r in runs] == [run_id]  # the double click started one run only
    assert [t["trial"] for t in runs[0]["trials"]] == ["prompt", "rag"]  # a row each
    page.screenshot(path=str(SHOTS / "2-trials.png"), full_page=True)
    # Without a new chat message, the chat says what the run changed and the panel moved on.
    expect(page.locator("#chat")).to_contain_text(f"trial run {run_id} as evidence")
    expect(panel).not_to_have_text(before)
    expect(panel).to_contain_text(re.compile(rf"from run {run_id}|trial comparison"))

    page.get_by_role("tab", name="Report").click()
    page.locator("#make-report").click()
    note = page.get_by_text(re.compile(r"Report ready \((.+?);"))
    note.wait_for(timeout=120_000)
    approach = re.search(r"Report ready \((.+?);", note.inner_text()).group(1)
    assert f"run {run_id}" in note.inner_text()  # the picker chose the run just made
    link = page.locator("#report-files a[download$='.pdf']").first
    with page.expect_download() as download:
        link.click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert approach.lower() in text.lower() and run_id in text
    page.screenshot(path=str(SHOTS / "3-report.png"), full_page=True)

    narrow = browser.new_page(viewport={"width": 420, "height": 900})
    narrow.goto(app_url)
    narrow.get_by_text("Adaptation Advisor").first.wait_for()
    narrow.screenshot(path=str(SHOTS / "4-narrow.png"), full_page=True)


def test_behaviour_trial_on_examples(app_url, browser, tmp_path):
    app_url, _ = app_url
    """Mode choice → examples preview → four approaches, the LoRA's budget too short for its
    steps (the plan says so) → a partial run whose finished arms still give verdicts →
    a PDF report that shows them and names the LoRA unfinished."""
    # 90 rows: enough training steps that a 20 s LoRA budget stops early even on a machine
    # twice as fast as ours (about 23 planned steps at ~2 s each here).
    rows = (ROOT / "examples" / "debian_sections.jsonl").read_text().splitlines()[:90]
    examples = tmp_path / "sections.jsonl"
    examples.write_text("\n".join(rows) + "\n")
    page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page.goto(app_url)
    page.get_by_role("tab", name="Trials").click()
    page.get_by_text("How the model answers").click()
    page.locator("#trial-examples input[type=file]").set_input_files(str(examples))
    preview = page.locator("#examples-status")
    preview.get_by_text("90 usable examples").wait_for(timeout=60_000)
    expect(preview).to_contain_text("classification")
    plan = page.locator("#behaviour-plan")
    expect(plan).to_contain_text("Expected about", timeout=60_000)
    page.locator("#behaviour-choice").get_by_label("LoRA fine-tuning").check()
    expect(plan).to_contain_text("LoRA", timeout=60_000)
    budget = page.locator("#behaviour-budget input[type=number]")
    budget.fill("20")
    budget.press("Enter")  # a typed number replans too
    expect(plan).to_contain_text("the run would be partial", timeout=60_000)
    page.locator("#run-behaviour").click()
    status = page.locator("#trial-status")
    status.get_by_text("held-out examples").wait_for(timeout=900_000)
    expect(status).to_contain_text(re.compile(r"Run \S+: partial — "))
    expect(status).to_contain_text(re.compile(r"(few-shot vs prompt|prompt vs few-shot)"))
    expect(status).to_contain_text("LoRA time budget (s)")  # what would finish it, web words
    assert "--lora-budget" not in status.inner_text()
    results = page.locator("#results")
    assert results.get_by_text("few-shot", exact=True).count() >= 1
    assert results.get_by_text("Acc", exact=True).count() >= 1
    page.screenshot(path=str(SHOTS / "5-behaviour.png"), full_page=True)
    run_id = re.search(r"Run (\S+):", status.inner_text()).group(1)

    from pypdf import PdfReader

    page.get_by_role("tab", name="Report").click()
    page.locator("#make-report").click()
    note = page.get_by_text(re.compile(r"Report ready \((.+?);"))
    note.wait_for(timeout=120_000)
    assert f"run {run_id}" in note.inner_text()
    with page.expect_download() as download:
        page.locator("#report-files a[download$='.pdf']").first.click()
    pdf = tmp_path / "behaviour.pdf"
    download.value.save_as(pdf)
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert run_id in text and "few-shot" in text and "accuracy" in text.lower()
    flat = " ".join(text.split())
    assert "unfinished" in flat and "No trial run on your data is included" not in flat
    assert "Which differences the data supports" in flat  # finished arms' verdicts count
