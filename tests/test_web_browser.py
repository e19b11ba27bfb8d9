"""cchc serve in a real browser: Playwright driving Debian's chromium (never a browser of
Playwright's own) against `cchc serve --review` started on 127.0.0.1 and a free port.

Skipped when /usr/bin/chromium (or the playwright package) is missing, except under CI
(``CI`` set), where they must run: `bash scripts/install-system-deps.sh` installs chromium.
Set ``CCHC_SCREENSHOTS=DIR`` to keep a screenshot of each page visited.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive_fixtures import ROOT
from web_fixtures import HOSTILE_NAME, build_archive

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _require_browser():
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing (bash scripts/install-system-deps.sh installs chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (python3 -m pip install '.[test]')"
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`cchc serve --review` on a fresh archive; its base URL and the archive's path."""
    _require_browser()
    archive = build_archive(tmp_path_factory.mktemp("browser"))
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "extractor", "serve", "--archive", str(archive), "--review",
         "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read() if process.poll() is not None else ""
                    pytest.fail(f"cchc serve did not start: {output}")
                time.sleep(0.2)
        yield base, archive
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watched:
    """A page with what it did: dialogs opened, console errors, page errors, and requests
    to anywhere but the server."""

    def __init__(self, browser, base: str):
        self.base = base
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: r.url.startswith(base) or self.foreign.append(r.url))

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def goto(self, path: str):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, path
        self.shoot(path)
        return response

    def shoot(self, name: str):
        folder = os.environ.get("CCHC_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            safe = "".join(c if c.isalnum() else "_" for c in name).strip("_") or "home"
            self.page.screenshot(path=str(Path(folder) / f"{safe[:80]}.png"))

    def close(self):
        self.page.close()
        assert not self.dialogs, self.dialogs
        assert not self.errors, self.errors
        assert not self.foreign, self.foreign


@pytest.fixture
def page(browser, server):
    watched = Watched(browser, server[0])
    yield watched
    watched.close()


def test_search_then_open_a_document_with_its_highlights(page):
    page.goto("/")
    page.page.fill("input[name=q]", "ke hoach tuyen truyen")
    page.page.press("input[name=q]", "Enter")
    page.page.wait_for_url("**/search?q=ke+hoach+tuyen+truyen*")
    page.shoot("search results")
    hits = page.page.locator("li.hit")
    assert hits.count() >= 1
    assert page.page.locator("li.hit p.snippet mark").count() >= 1
    first = hits.first.locator("a.doc-link")
    assert "56/KH-SNV" in first.inner_text()
    first.click()
    page.page.wait_for_url("**/documents/*")
    page.shoot("document")
    facts = page.page.locator(".doctext mark.fact")
    assert facts.count() > 10
    percent = page.page.locator(".doctext mark.k-percent").first
    assert percent.get_attribute("title").startswith("percent: value=")
    # The highlights are coloured (the stylesheet loaded under the CSP).
    colour = percent.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    # The outline jumps into the text.
    link = page.page.locator("nav.outline a").first
    target = link.get_attribute("href")
    link.click()
    assert page.page.evaluate("location.hash") == target
    # The language switch keeps the page.
    page.page.click("a.lang")
    assert "lang=en" in page.page.url and "Full text" in page.page.content()


def test_confirm_a_finding_and_see_it_after_reload(page, server):
    import sqlite3

    page.goto("/findings?severity=gross")
    card = page.page.locator("article.finding").first
    key = card.get_attribute("id").removeprefix("finding-")
    card.locator("input[name=who]").fill("Nguyễn Văn An")
    card.locator("input[name=note]").fill("đã đối chiếu bản ký")
    card.locator("button.confirm").click()
    page.page.wait_for_url(f"**/findings?severity=gross#finding-{key}")
    page.page.reload()
    page.shoot("findings after review")
    card = page.page.locator(f"#finding-{key}")
    assert card.locator(".decided-confirm").count() == 1
    assert "Nguyễn Văn An" in card.locator("details.history").inner_text()
    assert "đã đối chiếu bản ký" in card.inner_text()
    rows = sqlite3.connect(server[1]).execute(
        "SELECT decision, note, who FROM judgements WHERE finding_key = ?", (key,)).fetchall()
    assert rows == [("confirm", "đã đối chiếu bản ký", "Nguyễn Văn An")]


def test_hostile_document_runs_no_script(page, server):
    import sqlite3

    (doc_id,) = sqlite3.connect(server[1]).execute(
        "SELECT id FROM documents WHERE path LIKE ?", ("%" + HOSTILE_NAME,)).fetchone()
    for path in [f"/documents/{doc_id}", "/search?q=alert", "/findings", "/overview",
                 "/search?q=%3Cscript%3Ealert(1)%3C/script%3E"]:
        page.goto(path)
        page.page.wait_for_timeout(300)
        assert page.page.evaluate("document.scripts.length") == 0, path
        assert page.page.locator("main img, main iframe, main script").count() == 0, path
    page.goto(f"/documents/{doc_id}")
    text = page.page.locator(".doctext").inner_text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    # Hovering and clicking what the document holds does nothing either.
    page.page.locator(".doctext").click()
    page.page.locator(".doctext mark").first.hover()
    page.page.wait_for_timeout(300)
    assert page.page.url.startswith(server[0])
