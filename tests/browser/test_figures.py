"""Figures open enlarged on a click or a tap (mkdocs-glightbox), notebook figures too:
the enlarged image is the figure's own file, labelled by the figure's alt text."""

import pytest

from support import SHOTS, Visit

pytestmark = pytest.mark.browser

OPENED = """() => {
  const img = document.querySelector('.glightbox-container .gslide.current img');
  const label = img && document.getElementById(img.getAttribute('aria-labelledby'));
  return img && {src: img.src, loaded: img.complete && img.naturalWidth > 0, label: label && label.textContent.trim()};
}"""


@pytest.mark.parametrize("source", ["loss.md", "xor-44-training.ipynb"])  # a Markdown page; a notebook
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_figure_opens_enlarged_with_its_alt_text_and_closes_with_escape(browser, server, source, scheme):
    visit = Visit(browser, server, scheme, "narrow")
    try:
        visit.open(source)
        figure = visit.page.locator("article a.glightbox").first
        alt = figure.locator("img").get_attribute("alt")
        href = visit.page.evaluate("a => a.href", figure.element_handle())
        figure.click()
        visit.page.wait_for_function(f"({OPENED})()?.loaded")
        assert visit.page.evaluate(OPENED) == {"src": href, "loaded": True, "label": alt.strip()}
        # the screenshot shows the opened box, not its fade-in
        visit.page.evaluate("Promise.all(document.getAnimations().map(a => a.finished)).then(() => null)")
        SHOTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(SHOTS / f"figure-{source.split('.')[0]}-{scheme}-narrow.png"))
        visit.page.keyboard.press("Escape")
        visit.page.wait_for_function("!document.querySelector('.glightbox-container')")
        assert not visit.errors and not visit.foreign, (visit.errors, visit.foreign)
    finally:
        visit.close()
