"""The browser tests' fixtures: the built site served on 127.0.0.1, and Chromium, each
started once per worker (about a second per browser module saved; every test opens its
own browser context). While Playwright's sync API runs, asyncio.run() refuses to start
in that worker; no test calls it (nbclient's own loop handling works)."""

import functools
import http.server
import threading

import pytest

from support import CHROMIUM_ARGS, chromium_path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(built_site):
    handler = functools.partial(QuietHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        pytest.fail("No Chromium found: run `make setup-browser` or set CHROMIUM_PATH", pytrace=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
