"""The browser tests' fixtures: the built site served on 127.0.0.1 under the subpath of
support.SITE_URL (as GitHub Pages serves a project site), and Chromium, each
started once per worker (about a second per browser module saved; every test opens its
own browser context). While Playwright's sync API runs, asyncio.run() refuses to start
in that worker; no test calls it (nbclient's own loop handling works)."""

import functools
import http.server
import sys
import threading
from urllib.parse import urlsplit

import pytest

from support import CHROMIUM_ARGS, SITE_URL, chromium_path

PREFIX = urlsplit(SITE_URL).path.rstrip("/")  # /nn-proven


class SubpathHandler(http.server.SimpleHTTPRequestHandler):
    """The site under PREFIX; any other path is not found, so a request that leaves
    the subpath fails the page (support.Visit counts it as another host's)."""

    def translate_path(self, path):
        inside = path == PREFIX or path.startswith(PREFIX + "/")
        return super().translate_path(path[len(PREFIX):] if inside else "/no-such-file")

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser context closed while a file was on its way drops the connection:
        expected, not an error of the site. Anything else is reported as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def server(built_site):
    handler = functools.partial(SubpathHandler, directory=str(built_site))
    httpd = Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
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
