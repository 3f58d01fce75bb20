"""The built site in a real browser: every page, light and dark, wide and narrow.

Debian's chromium (or CHROMIUM_PATH) driven by Playwright against the built
site served on 127.0.0.1. Screenshots land in test-results/screenshots/.
"""

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from test_site import built_path, nav_sources

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-results" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SCHEMES = {"light": "default", "dark": "slate"}
VIEWPORTS = {"wide": {"width": 1280, "height": 900}, "narrow": {"width": 390, "height": 844}}


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/google-chrome"):
        if candidate and shutil.which(candidate):
            return candidate
    pytest.fail("No Chromium found: run `make setup-browser` or set CHROMIUM_PATH", pytrace=False)


@pytest.fixture(scope="module")
def server(built_site):
    handler = functools.partial(QuietHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """One browser context that records console errors and requests to other hosts."""

    def __init__(self, browser, base, scheme, viewport):
        self.base = base
        self.context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
        self.errors, self.foreign = [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base) or url.startswith("data:"):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def open(self, source):
        rel = built_path(Path("."), source).parent.as_posix().strip(".")
        self.page.goto(f"{self.base}/{rel + '/' if rel else ''}", wait_until="load")
        self.wait_for_math()

    def wait_for_math(self):
        self.page.wait_for_function("document.body.dataset.mathTypeset === 'true'", timeout=15000)

    def close(self):
        self.context.close()


MATH_PROBLEMS = """() => {
  const article = document.querySelector('article') || document.body;
  const untypeset = [...article.querySelectorAll('.arithmatex')].filter(e => !e.querySelector('.katex'));
  const errors = [...article.querySelectorAll('.katex-error')].map(e => e.textContent);
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('pre, code, script, style, .katex, .clipboard-copy-txt')) continue;
    if (/\\\\\\(|\\\\\\[|\\$\\$|\\$[^$\\s][^$]*\\$/.test(n.textContent)) raw.push(n.textContent.trim().slice(0, 80));
  }
  return {untypeset: untypeset.length, errors, raw, katex: article.querySelectorAll('.katex').length};
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_renders_cleanly(browser, server, scheme, viewport):
    SHOTS.mkdir(parents=True, exist_ok=True)
    visit = Visit(browser, server, scheme, viewport)
    try:
        for source in nav_sources():
            visit.open(source)
            name = Path(source).with_suffix("").as_posix().replace("/", "_")
            assert visit.page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
            problems = visit.page.evaluate(MATH_PROBLEMS)
            assert problems["untypeset"] == 0 and not problems["errors"] and not problems["raw"], (source, problems)
            overflow = visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{source}: the page scrolls sideways by {overflow}px at {viewport}"
            visit.page.screenshot(path=str(SHOTS / f"{name}-{scheme}-{viewport}.png"), full_page=False)
        assert not visit.errors, visit.errors
        assert not visit.foreign, f"requests to other hosts: {visit.foreign}"
    finally:
        visit.close()


def test_math_is_typeset_after_instant_navigation(browser, server):
    visit = Visit(browser, server, "light", "wide")
    try:
        visit.open("index.md")
        visit.page.evaluate("document.body.dataset.mathTypeset = 'false'")
        visit.page.click("a[href$='xor-44/']")
        visit.page.wait_for_url("**/xor-44/")
        visit.wait_for_math()
        assert visit.page.evaluate("typeof document$") == "object"  # instant navigation is on
        problems = visit.page.evaluate(MATH_PROBLEMS)
        assert problems["katex"] > 10 and problems["untypeset"] == 0 and not problems["raw"], problems
        visit.page.click("a[href$='xor-44-training/']")
        visit.page.wait_for_url("**/xor-44-training/")
        visit.page.wait_for_function("document.querySelectorAll('.jp-MarkdownOutput .katex').length > 0")
        assert not visit.errors and not visit.foreign
    finally:
        visit.close()


def test_code_blocks_have_copy_buttons_that_copy_the_snippet(browser, server):
    visit = Visit(browser, server, "light", "wide")
    visit.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    try:
        visit.open("xor-44.md")
        blocks = visit.page.locator("article .highlight pre")
        buttons = visit.page.locator("article .highlight button.md-code__button[data-md-type='copy']")
        assert buttons.count() == blocks.count() > 5
        buttons.first.click()
        copied = visit.page.evaluate("navigator.clipboard.readText()")
        snippet = (ROOT / "snippets" / "xor44" / "original.py").read_text()
        assert copied.strip() and copied.strip() in snippet
    finally:
        visit.close()


def test_dark_mode_toggle_switches_the_scheme(browser, server):
    visit = Visit(browser, server, "light", "wide")
    try:
        visit.open("xor-44-training.ipynb")
        visit.page.click("label.md-header__button[for='__palette_1']")
        visit.page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
        background = visit.page.evaluate(
            "getComputedStyle(document.querySelector('.jupyter-wrapper .highlight-ipynb')).backgroundColor")
        assert background != "rgb(245, 245, 245)" and background != "rgba(0, 0, 0, 0)", background
    finally:
        visit.close()


def test_unknown_address_gets_the_useful_404(browser, server, built_site):
    visit = Visit(browser, server, "light", "wide")
    try:
        visit.page.goto(f"{server}/404.html")
        assert "Page not found" in visit.page.inner_text("article")
        assert visit.page.locator("article a").count() >= len(nav_sources())
    finally:
        visit.close()
