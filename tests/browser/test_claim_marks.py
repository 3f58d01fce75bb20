"""The claim marks and each page's provenance, as a reader meets them: a mark is a link
that keyboard and screen-reader users reach, named after its test, with a tooltip on
focus; the provenance closes every page; neither is indexed by search as content.

The site the tests build may carry an older record of claims, or none (this run's claim
tests finish while it builds), so these tests check what the marks and the provenance
are, not that they say "verified": tests/pipeline/test_deploy.py builds with a record."""

import json

import pytest

from docs_build.claims import claims_in
from support import DOCS, Visit, nav_sources

pytestmark = pytest.mark.browser

PAGE = "gradient-descent.md"

MARKS = """() => [...document.querySelectorAll('article .claim')].map(claim => {
  const mark = claim.querySelector('a.claim__mark');
  return {id: claim.dataset.claim, label: mark.getAttribute('aria-label'), tabbable: mark.tabIndex >= 0,
          target: mark.getAttribute('href'), glyph: getComputedStyle(mark, '::after').content};
})"""


def test_each_claim_has_a_mark_named_after_its_test_that_the_keyboard_reaches(browser, server):
    visit = Visit(browser, server, "light", "wide")
    try:
        visit.open(PAGE)
        marks = visit.page.evaluate(MARKS)
        assert [m["id"] for m in marks] == list(claims_in((DOCS / PAGE).read_text(encoding="utf-8")))
        for mark in marks:
            assert mark["tabbable"] and mark["target"].endswith("#verified-claims"), mark
            assert mark["label"].startswith(("Verified by tests/", "Not verified")), mark
            assert mark["glyph"] in ('"✓"', '"?"'), mark
        visit.page.bring_to_front()  # the focused page of its browser: focus moves only there
        visit.page.locator("article a.claim__mark").first.focus()
        tooltip = visit.page.locator(".md-tooltip--active, .md-tooltip2--active")
        tooltip.first.wait_for(state="visible", timeout=5000)
        assert tooltip.first.inner_text().strip() == marks[0]["label"]
        visit.page.keyboard.press("Enter")
        visit.page.wait_for_url("**#verified-claims")
        # Enter followed the link to the provenance, which can take the focus (tabindex -1), so a
        # browser moves the focus there. Whether it has done so yet is the browser's timing, not
        # the page's: headless Chromium with a page per worker sometimes moves it later, and
        # on a loaded machine :target too can follow the URL a moment late, so wait for it (5 s).
        visit.page.wait_for_function("document.querySelector(':target')?.id === 'verified-claims'", timeout=5000)
        assert visit.page.locator("#verified-claims").get_attribute("tabindex") == "-1"
        assert not visit.errors and not visit.foreign
    finally:
        visit.close()


def test_every_page_ends_with_its_provenance_and_search_does_not_index_it(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    indexed = " ".join(doc["text"] for doc in index["docs"])
    for phrase in ("claims verified", "not verified", "Verified by", "The tests ran", "No test run has checked"):
        assert phrase not in indexed, f"search indexes the provenance: {phrase!r}"
    for source in nav_sources():
        stem = source.rsplit(".", 1)[0]
        built = built_site / ("index.html" if stem == "index" else f"{stem}/index.html")
        html = built.read_text(encoding="utf-8")
        assert html.count('id="verified-claims"') == 1, f"{source} has no provenance"
