"""The whole course on one page (mkdocs-print-site-plugin), printed to PDF by Chromium
as a reader's "Print, Save as PDF" does: every page's title is in it, every formula
is typeset (no raw TeX), and every figure is drawn."""

import re

import pytest
from pypdf import PdfReader

from support import Visit, built_path, nav_sources

pytestmark = pytest.mark.browser
# TeX that was never typeset keeps its delimiters: arithmatex writes every formula as
# \( \) or \[ \] (docs_build/katex.py). A bare \sqrt{ may be code: a figure's label.
RAW_TEX = re.compile(r"\\[()\[\]]|\$\$")


def titles(built_site):
    """The <h1> of every page of the nav, as its own page shows it."""
    found = []
    for source in nav_sources():
        (h1,) = re.findall(r"<h1[^>]*>(.*?)</h1>", built_path(built_site, source).read_text(encoding="utf-8"), re.S)
        found.append(" ".join(re.sub(r"<[^>]+>", "", h1).split()).removesuffix("¶").rstrip())  # not the permalink
    return found


def raster_images(reader):
    """How many raster images the PDF's pages draw (image XObjects, inside forms too),
    counted without decoding them (pypdf's page.images decodes each: 10 s here)."""
    def count(resources, seen):
        found = 0
        for ref in (resources or {}).get("/XObject", {}).values():
            xobject = ref.get_object()
            if xobject["/Subtype"] == "/Image":
                found += 1
            elif xobject["/Subtype"] == "/Form" and ref.idnum not in seen:
                seen.add(ref.idnum)
                found += count(xobject.get("/Resources"), seen)
        return found

    return sum(count(page.get("/Resources"), set()) for page in reader.pages)


@pytest.fixture(scope="module")
def printed(browser, server, built_site, tmp_path_factory):
    """(the PDF's pages' text, its raster image count, the print page's PNG figures,
    figures that did not load, tables of contents, console errors, other hosts asked)."""
    visit = Visit(browser, server, "light", "wide")
    try:
        visit.page.goto(f"{server}/print_page/", wait_until="load")
        pdf = tmp_path_factory.mktemp("print") / "course.pdf"
        visit.page.pdf(path=str(pdf), format="A4", print_background=True)
        broken = visit.page.evaluate("[...document.querySelectorAll('article img')]"
                                     ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
        pngs = visit.page.evaluate("document.querySelectorAll('article img[src$=\".png\"]').length")
        tocs = visit.page.evaluate("document.querySelectorAll('.print-page-toc-nav').length")
        reader = PdfReader(pdf)
        return ([page.extract_text() for page in reader.pages], raster_images(reader),
                pngs, broken, tocs, list(visit.errors), list(visit.foreign))
    finally:
        visit.close()


def test_the_nav_offers_the_print_page(built_site):
    assert 'href="print_page/"' in (built_site / "index.html").read_text(encoding="utf-8")


def test_the_pdf_holds_every_page_title_typeset_math_and_every_figure(built_site, printed, record_property):
    pages, images, pngs, broken, tocs, errors, foreign = printed
    assert tocs == 1, f"the print page has {tocs} tables of contents (docs_build/print_page.py, unwrap)"
    record_property("pdf_pages", len(pages))  # in the JUnit report; the closing note states it
    text = " ".join(" ".join(pages).split())
    missing = [title for title in titles(built_site) if title not in text]
    assert not missing, f"the printed course ({len(pages)} pages) lacks the titles {missing}"
    raw = [(number, m.group(0)) for number, page in enumerate(pages, 1) for m in RAW_TEX.finditer(page)]
    assert not raw, f"raw TeX in the printed course: {raw[:5]}"
    # Every figure loaded; SVG figures print as drawings, so the PDF's raster images are at
    # least the PNG figures (page backgrounds may add more).
    assert not broken and images >= pngs > 0, (broken, images, pngs)
    assert not errors and not foreign, (errors, foreign)
