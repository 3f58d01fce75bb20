"""House style rule 11: a sentence that states what code computes is bound to that code.
A pytest plugin (tests/conftest.py loads it) with the `claim` fixture:

    def test_thirty_steps_at_a_small_rate(claim):
        w = ...                                   # the computation
        claim("gradient-descent", "w30-lr0.1", w)  # the page's {{ claim("w30-lr0.1", "0.21") }}

A number must equal the page's first number rounded to the digits the page shows
(0.2146 matches "0.21"); a string must equal the page's text. A mismatch fails the
test, naming the page and line. The run's record of each claim (which test, passed or
not, on which text) goes to .cache/claims.json for the build (docs_build/claims.py),
with the commit, Python, torch and the time. A whole run fails if a claim on a page
has no test."""

import datetime
import importlib.metadata
import json
import os
import platform
import re
import subprocess

import pytest

from docs_build.claims import RESULTS, claims_in, source, source_path
from support import DOCS, ROOT

SHOWN_NUMBER = re.compile(r"[-−]?\d+(?:\.(\d+))?(?:[eE]([-−+]?\d+))?")


def source_name(page):
    """docs/<page>.md, or a notebook page's text source docs/<page>.py."""
    return f"docs/{source_path(page).name}"


def page_claims(page):
    """{id: (text, line)} for the page named page (docs_build.claims.source)."""
    try:
        return claims_in(source(page)[1])
    except ValueError as error:
        raise AssertionError(f"{source_name(page)} {error}") from None


def matches(shown, expected):
    """Whether the page's text says what the computation gives: equal text, or the
    page's first number equal to the value rounded to the digits the page shows."""
    if isinstance(expected, str):
        return " ".join(shown.split()) == " ".join(expected.split())
    number = SHOWN_NUMBER.search(shown)
    if not number:
        return False
    decimals, exponent = len(number[1] or ""), int((number[2] or "0").replace("−", "-"))
    half_unit = 0.5 * 10.0 ** (exponent - decimals)
    return abs(float(number[0].replace("−", "-")) - float(expected)) <= half_unit * (1 + 1e-9)


@pytest.fixture
def claim(request):
    def check(page, claim_id, expected):
        claims, where = page_claims(page), source_name(page)
        assert claim_id in claims, f"{where} has no claim {claim_id!r} (it has: {', '.join(claims) or 'none'})"
        text, line = claims[claim_id]
        request.node.user_properties.append(("claim", {"page": source(page)[0], "id": claim_id, "text": text}))
        assert matches(text, expected), (f"{where}:{line}: the claim {claim_id!r} says {text!r}, "
                                         f"but the computation gives {expected!r}")
    return check


def pytest_configure(config):
    config.pluginmanager.register(Recorder(config), "claims-recorder")


def _commit():
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} + uncommitted changes" if dirty else head


def unchecked_claims(records):
    """The claims on the pages that no test of this run checked: 'docs/page.md:line: id'."""
    pages = sorted({path.stem for path in DOCS.glob("*.md")} | {path.stem for path in DOCS.glob("*.py")})
    unchecked = []
    for page in pages:
        key, text = source(page)  # one read per page
        unchecked += [f"{source_name(page)}:{line}: {claim_id}" for claim_id, (_, line) in claims_in(text).items()
                      if (key, claim_id) not in records]
    return unchecked


def _whole_run(config):
    return not config.args_source == pytest.Config.ArgsSource.ARGS and not config.option.keyword \
        and not config.option.markexpr


class Recorder:
    """What this run verified. On the controlling process reports from every worker
    arrive; a claim is verified when every test that checked it passed."""

    def __init__(self, config):
        self.config, self.records = config, {}

    def pytest_runtest_logreport(self, report):
        for name, record in report.user_properties:
            if name == "claim" and report.when == "call":
                earlier = self.records.get((record["page"], record["id"]))
                passed = report.passed and (earlier is None or earlier["passed"])
                self.records[record["page"], record["id"]] = {**record, "test": report.nodeid, "passed": passed}

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        if hasattr(self.config, "workerinput"):
            return
        if self.records:
            write_results(self.records)
        unchecked = unchecked_claims(self.records) if _whole_run(self.config) else []
        if unchecked:
            reporter = self.config.pluginmanager.get_plugin("terminalreporter")
            reporter.write_line("claims that no test checks (tests/claims.py):", red=True)
            for line in unchecked:
                reporter.write_line(f"  {line}", red=True)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def write_results(records):
    run = {
        "commit": _commit(),
        "python": platform.python_version(),
        "torch": importlib.metadata.version("torch"),
        "finished": datetime.datetime.now(datetime.timezone.utc).strftime("%-d %B %Y, %H:%M UTC"),
        "claims": {},
    }
    for (page, claim_id), record in sorted(records.items()):
        run["claims"].setdefault(page, {})[claim_id] = {k: record[k] for k in ("text", "test", "passed")}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    aside = RESULTS.with_suffix(f".{os.getpid()}.tmp")
    aside.write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    aside.replace(RESULTS)  # whole, or not at all: a build never reads half a file
