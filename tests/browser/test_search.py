"""Search: every curriculum page is found by its key term, in the browser, and the
index holds what readers search for (prose and code), not notebook outputs."""

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from docs_build import notebooks
from docs_build.claims import plain
from support import Visit, built_path, nav_sources, source_file

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
pytestmark = pytest.mark.xdist_group("browser")

# What a reader would type to find each page: the term the page is about.
KEY_TERMS = {
    "neuron.md": "weighted sum",
    "activation-functions.md": "activation function",
    "loss.md": "cross-entropy",
    "gradient-descent.md": "learning rate",
    "optimizers.md": "Nesterov",
    "weight-initialization.md": "Xavier",
    "weight-initialization-deep-stacks.ipynb": "deep stack",
    "backpropagation.md": "chain rule",
    "gradient-checking.md": "gradient check",
    "gradient-accumulation.md": "micro-batch",
    "xor-44.md": "44 parameters",
    "xor-44-training.ipynb": "moving average",
    "network-by-hand.md": "spreadsheet",
    "digits.ipynb": "handwritten digits",
    "glossary.md": "glossary",
    "notation.md": "notation",
}
TOP = 3  # the page must be among the first pages the results list


def test_every_curriculum_page_has_a_key_term():
    assert sorted(KEY_TERMS) == sorted(s for s in nav_sources() if s != "index.md")


@pytest.mark.browser
def test_search_finds_every_curriculum_page_by_its_key_term(browser, server):
    visit = Visit(browser, server, "light", "wide")
    missed = []
    try:
        visit.open("index.md")
        query = visit.page.locator("input.md-search__input")
        for source, term in KEY_TERMS.items():
            expected = urlsplit(visit.url(source)).path
            query.fill(term)
            query.press("End")  # Material searches on key events, not on fill()
            # The results are this term's once the first one highlights a word of it.
            visit.page.wait_for_function(
                """term => {
                     const mark = document.querySelector('.md-search-result__item mark');
                     return mark && term.toLowerCase().includes(mark.textContent.toLowerCase().slice(0, 3));
                   }""", arg=term, timeout=15000)
            links = visit.page.evaluate(
                """() => [...document.querySelectorAll('.md-search-result__item > a.md-search-result__link')]
                   .map(a => new URL(a.href).pathname)""")
            pages = list(dict.fromkeys(links))  # a page's sections follow its own entry
            if expected not in pages[:TOP]:
                missed.append(f"{source}: searching {term!r} lists {pages[:TOP]}")
        assert not visit.errors and not visit.foreign
    finally:
        visit.close()
    assert not missed, "\n".join(missed)


# ---------------------------------------------------------------------------
# The index itself: notebook pages add their prose and code, not their outputs
# ---------------------------------------------------------------------------


class Outputs(HTMLParser):
    """The text of a built notebook page's cell outputs (docs_build/nbconvert/notebook_page
    writes each as a <div class="notebook-output">)."""

    def __init__(self, html):
        super().__init__()
        self.depth, self.text = 0, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "div" and (self.depth or "notebook-output" in (dict(attrs).get("class") or "").split()):
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "div" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def test_notebook_pages_index_prose_and_code_but_not_outputs(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages = [s for s in nav_sources() if s.endswith(".ipynb")]
    assert pages
    for source in pages:
        url = built_path(Path("."), source).parent.as_posix() + "/"
        entries = [e for e in index["docs"] if e["location"].split("#")[0] == url]
        text = html.unescape("\n".join(e["title"] + "\n" + e["text"] for e in entries))
        assert "¶" not in text, f"{source}: the search index holds the heading anchors' ¶"
        outputs = Outputs(built_path(built_site, source).read_text(encoding="utf-8")).text
        lines = {line.strip() for chunk in outputs for line in chunk.splitlines() if len(line.strip()) >= 12}
        assert lines, f"{source}: no printed output found on the page to check against"
        leaked = sorted(line for line in lines if line in text)
        assert not leaked, f"{source}: cell output in the search index: {leaked[:3]}"
        # What readers do search for stays: each markdown cell's first words and each code cell's first line.
        words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text))
        for cell in notebooks.read(source_file(source)).cells:
            lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
            if cell.cell_type == "code":
                assert lines[0] in text, f"{source}: code {lines[0]!r} is not searchable"
            else:
                # the cell's first words, as the page shows them (no Markdown marks, no list
                # bullet or number, no math; a claim as its text)
                first = re.sub(r"^#+\s*|^(?:[-*+]|\d+\.)\s+|\*\*?|_|`|\[|\]\([^)]*\)", "", plain(lines[0])).split("$")[0]
                first = " ".join(first.split()[:6])
                assert first in words, f"{source}: prose {first!r} is not searchable"
