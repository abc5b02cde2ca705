"""The page still works under its Content-Security-Policy (browser; fake models, ~30 s).

Gradio's page runs inline scripts, loads its bundle, styles nodes inline, renders
Markdown and images, uploads files and hands out downloads: each could be blocked by a
policy that is too tight. Chromium reports every blocked load or script on the console
("Refused to ..."), so any such message fails here, while the page is used as a visitor
would: chat, quick replies, an upload, History and a report download; and another site
must not be able to frame it. With a login, the login form must still work.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.web.live import live_app

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update"]  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def watched(browser):
    """A page and the list its console's CSP complaints and script errors go to."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if _csp(m.text) else None)
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    return page, problems


def _csp(text: str) -> bool:
    return "Content Security Policy" in text or text.startswith("Refused to")


def test_the_app_works_under_its_policy(browser, tmp_path):
    from playwright.sync_api import expect

    with live_app(tmp_path / "data") as app:
        page, problems = watched(browser)
        page.goto(app.url)
        box = page.locator("#chat-input textarea")
        box.fill("hello")
        box.press("Enter")
        page.get_by_text("What will the model do").wait_for(timeout=30_000)
        page.get_by_role("button", name="Document Q&A").click()
        page.get_by_text("What does the model get wrong").wait_for(timeout=30_000)

        page.get_by_role("tab", name="Trials").click()
        doc = ROOT / "examples" / "sample_docs"
        first = sorted(doc.iterdir())[0]
        page.locator("#trial-docs input[type=file]").set_input_files([str(first)])
        page.locator("#upload-status").get_by_text("chunks").wait_for(timeout=60_000)

        page.get_by_role("tab", name="History").click()
        expect(page.locator("#runs")).to_be_visible()
        page.get_by_role("tab", name="Report").click()
        page.locator("#make-report").click()
        link = page.locator("#report-files a").first
        link.wait_for(timeout=60_000)
        with page.expect_download() as download:
            link.click()
        assert Path(download.value.path()).stat().st_size > 0
        assert not problems, problems

        framer, _ = watched(browser)  # another site framing the app gets an empty frame
        framer.set_content(f'<iframe id="f" src="{app.url}" width="900" height="600"></iframe>')
        framer.wait_for_timeout(4000)  # framed (checked with the headers off), it shows by now
        assert framer.frame_locator("#f").locator("#chat-input").count() == 0


def test_the_login_form_works_under_the_policy(browser, tmp_path):
    with live_app(tmp_path / "data", auth=("ops", "pw-123456")) as app:
        page, problems = watched(browser)
        page.goto(app.url)
        page.get_by_label("username").fill("ops")
        page.get_by_label("password").fill("pw-123456")
        page.get_by_role("button", name="Login").click()
        page.locator("#chat-input textarea").wait_for(timeout=30_000)
        assert not problems, problems
