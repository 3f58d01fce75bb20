"""The built site in a real browser: every page, light and dark, wide and narrow.

Debian's chromium (or CHROMIUM_PATH) driven by Playwright against the built
site served on 127.0.0.1. Screenshots land in test-results/screenshots/.

Math is typeset at build time (docs_build/katex.py), so "typeset" here means: every
formula on the page is KaTeX markup, none is an error, and no TeX is left as text.
"""

import re
from pathlib import Path

import pytest

from docs_build import notebooks
from support import DOCS, NOT_FOUND, ROOT, SCHEMES, SHOTS, VIEWPORTS, Visit, nav_sources, source_file

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.browser
AXE_FAILING_IMPACTS = ("serious", "critical")


MATH_PROBLEMS = """() => {
  const article = document.querySelector('article') || document.body;
  const untypeset = [...article.querySelectorAll('.arithmatex')].filter(e => !e.querySelector('.katex'));
  const errors = [...article.querySelectorAll('.katex-error')].map(e => e.textContent);
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('pre, code, script, style, .katex')) continue;
    if (/\\\\\\(|\\\\\\[|\\$\\$|\\$[^$\\s][^$]*\\$/.test(n.textContent)) raw.push(n.textContent.trim().slice(0, 80));
  }
  return {untypeset: untypeset.length, errors, raw, katex: article.querySelectorAll('.katex').length};
}"""


def has_math(source):
    """Whether the page's source holds a formula (outside code)."""
    if source == NOT_FOUND:
        return False
    if source.endswith(".ipynb"):  # a notebook page: its Markdown cells, from its text source
        cells = notebooks.read(source_file(source)).cells
        return any("$" in c.source for c in cells if c.cell_type == "markdown")
    text = (DOCS / source).read_text(encoding="utf-8")
    prose = re.sub(r"^(`{3,}|~{3,}).*?^\1", "", text, flags=re.S | re.M)
    return bool(re.search(r"\\\(|\\\[", prose))


# The colour scheme changes colours only, never the DOM: in dark mode only the rules
# that look at colour can find something new.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def axe_violations(page, source, rules=None):
    """Serious and critical violations that axe-core (node_modules) finds on the open page
    (all its default rules, or only rules), one line each: page, rule, what it checks and
    the offending selectors."""
    if not page.evaluate("typeof axe === 'object'"):  # once per page load
        page.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [
        f"{source}: {v['id']} ({v['impact']}: {v['help']}) at "
        + ", ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                    for node in v["nodes"][:8])
        + (f" and {len(v['nodes']) - 8} more" if len(v["nodes"]) > 8 else "")
        for v in result["violations"]
        if v["impact"] in AXE_FAILING_IMPACTS
    ]


# One round trip per page: the scheme, the math and the sideways overflow.
PAGE_STATE = f"""() => ({{
  scheme: document.body.getAttribute('data-md-color-scheme'),
  math: ({MATH_PROBLEMS})(),
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  widgets: [...document.querySelectorAll('.nn-playground')].map(e => e.getBoundingClientRect().width),
}})"""
# After a resize: two frames, so Material's and the playground's resize handlers have run,
# then the CSS transitions the resize started (Material's search box eases to its width).
RELAID_OUT = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))
  .then(() => Promise.all(document.getAnimations().filter(a => a instanceof CSSTransition).map(a => a.finished.catch(() => null))))
  .then(() => null)"""


PAGES = [*nav_sources(), NOT_FOUND]


# Material's own switch: the header toggle is a label for the next palette's radio input,
# and the input's change event applies and stores that palette. The input is clicked from
# script, so that no pointer hovers the header in the screenshots.
TO_DARK = """() => {
  document.querySelector("input[data-md-color-scheme='slate']").click();
  return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""


def switch_to_dark(page):
    """Turn the open light page dark as a reader does (the toggle), with the browser
    preferring dark too: then the page equals one loaded in dark (test_the_toggle_...)."""
    page.emulate_media(color_scheme="dark")
    page.evaluate(TO_DARK)
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'"
                           " && !document.body.hasAttribute('data-md-color-switching')")


def visit_page(browser, server, source):
    """One page, loaded once, in light and wide. Then narrowed, switched to dark
    (switch_to_dark) and widened again. At each of the four: its state and a screenshot;
    wide, axe-core: every default rule in light, the colour rules in dark. The narrow
    layout is the same DOM laid out again (CSS media queries; Material and the
    playground follow resizes: the boxes equal a narrow load's). What it records, the
    tests assert; console errors are told apart by the scheme shown when they came.
    (What the copy buttons copy: tests/browser/test_copy_buttons.py.)"""
    SHOTS.mkdir(parents=True, exist_ok=True)
    visit = Visit(browser, server, "light", "wide")
    name = Path(source).with_suffix("").as_posix().replace("/", "_")
    seen = {"states": {scheme: {} for scheme in SCHEMES}, "violations": {}, "errors": {}}

    def look(scheme, viewport):
        if visit.page.viewport_size != VIEWPORTS[viewport]:
            visit.page.set_viewport_size(VIEWPORTS[viewport])
            visit.page.evaluate(RELAID_OUT)
        seen["states"][scheme][viewport] = visit.page.evaluate(PAGE_STATE)
        visit.page.screenshot(path=str(SHOTS / f"{name}-{scheme}-{viewport}.png"), full_page=False)
        if viewport == "wide":
            seen["violations"][scheme] = axe_violations(visit.page, source, None if scheme == "light" else COLOUR_RULES)

    try:
        visit.open(source)
        look("light", "wide")
        look("light", "narrow")
        seen["errors"]["light"] = list(visit.errors)
        switch_to_dark(visit.page)
        look("dark", "narrow")
        look("dark", "wide")
        seen["errors"]["dark"] = visit.errors[len(seen["errors"]["light"]):]
        return {**seen, "foreign": list(visit.foreign)}
    finally:
        visit.close()


@pytest.fixture
def seen(browser, server, once):
    """seen(source): visit_page's record of the page (both schemes), made once per run."""
    def get(source):
        key = f"page-{Path(source).with_suffix('').as_posix().replace('/', '_')}"
        return once(key, lambda: visit_page(browser, server, source))
    return get


@pytest.mark.parametrize("source", PAGES)
def test_every_page_renders_cleanly(seen, source):
    """Each page and the 404 page, light and dark, wide and narrow (visit_page): the
    colour scheme applies, all math is typeset, the body never scrolls sideways, no
    console error, no request to another host, and no serious or critical axe-core
    violation: every default rule in light, the colour rules again in dark."""
    page = seen(source)
    for scheme in SCHEMES:
        assert sorted(page["states"][scheme]) == sorted(VIEWPORTS), scheme
        for viewport, state in page["states"][scheme].items():
            where = f"{source} ({scheme}, {viewport})"
            assert state["scheme"] == SCHEMES[scheme], (where, state["scheme"])
            problems = state["math"]
            assert problems["untypeset"] == 0 and not problems["errors"] and not problems["raw"], (where, problems)
            assert (problems["katex"] > 0) == has_math(source), (where, problems)
            assert state["overflow"] <= 0, f"{where}: the page scrolls sideways by {state['overflow']}px"
            assert all(width <= VIEWPORTS[viewport]["width"] for width in state["widgets"]), (where, state["widgets"])
        assert not page["violations"][scheme], (f"axe-core finds serious or critical violations in {scheme}:\n"
                                                + "\n".join(page["violations"][scheme]))
        assert not page["errors"][scheme], (scheme, page["errors"][scheme])
    assert not page["foreign"], f"requests to other hosts: {page['foreign']}"


# What a colour scheme decides, per element: compared between a page turned dark by
# switch_to_dark and the same page loaded in dark.
COLOURS = """() => [...document.querySelectorAll('*')].map(e => {
  const s = getComputedStyle(e);
  return [e.tagName, s.color, s.backgroundColor, s.borderTopColor, s.borderBottomColor, s.outlineColor,
          s.textDecorationColor, s.fill, s.stroke, s.colorScheme, s.boxShadow, s.filter, s.opacity].join(' | ');
})"""


@pytest.mark.parametrize("source", ["xor-44.md", "xor-44-training.ipynb"])  # a playground; a notebook
def test_the_toggle_turns_a_light_page_into_the_dark_load(browser, server, source):
    """What lets visit_page check dark on the light load: after switch_to_dark every
    element has the colours it has on the page loaded in dark, and the two screenshots
    are the same image."""
    shots = {}
    for scheme in SCHEMES:
        visit = Visit(browser, server, scheme, "wide")
        try:
            visit.open(source)
            if scheme == "light":
                switch_to_dark(visit.page)
            # The worked solutions open too: Chromium leaves the styles inside a closed <details>
            # as they were before the switch until it opens, so only open ones compare.
            visit.page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            visit.page.evaluate("document.fonts.ready")
            # Transitions a load or the switch starts end in their final frame, on both sides. The
            # notebook's download icon is masked: its colours are compared above, but its SVG
            # comes out 2 px apart in antialiasing after the switch (seen on a fresh clone).
            shot = visit.page.screenshot(full_page=False, animations="disabled",
                                         mask=[visit.page.locator("a.md-content__button[download]")])
            shots[scheme] = (visit.page.evaluate(COLOURS), shot)
            assert not visit.errors, visit.errors
            if source.endswith(".ipynb"):  # the notebook's cells follow the scheme too
                background = visit.page.evaluate(
                    "getComputedStyle(document.querySelector('.notebook .highlight pre > code')).backgroundColor")
                assert background not in ("rgb(245, 245, 245)", "rgba(0, 0, 0, 0)"), background
        finally:
            visit.close()
    (switched, switched_shot), (loaded, loaded_shot) = shots["light"], shots["dark"]
    assert len(switched) == len(loaded) > 100
    differ = [(a, b) for a, b in zip(switched, loaded) if a != b]
    assert not differ, f"{source}: {len(differ)} elements differ from a dark load, e.g. {differ[:3]}"
    assert switched_shot == loaded_shot, f"{source}: the switched page looks other than the dark load"


def test_math_is_typeset_after_instant_navigation(browser, server):
    visit = Visit(browser, server, "light", "wide")
    try:
        visit.open("index.md")
        visit.page.click("a[href$='xor-44/']")
        visit.page.wait_for_url("**/xor-44/")
        visit.page.wait_for_function("document.querySelector('article h1')?.textContent.includes('44-parameter')")
        visit.wait_for_math()
        assert visit.page.evaluate("typeof document$") == "object"  # instant navigation is on
        problems = visit.page.evaluate(MATH_PROBLEMS)
        assert problems["katex"] > 10 and problems["untypeset"] == 0 and not problems["raw"], problems
        visit.page.click("a[href$='xor-44-training/']")
        visit.page.wait_for_url("**/xor-44-training/")
        visit.page.wait_for_function("document.querySelectorAll('.notebook .katex').length > 0")
        problems = visit.page.evaluate(MATH_PROBLEMS)
        assert problems["untypeset"] == 0 and not problems["errors"] and not problems["raw"], problems
        assert not visit.errors and not visit.foreign
    finally:
        visit.close()


def test_unknown_address_gets_the_useful_404(browser, server, built_site):
    visit = Visit(browser, server, "light", "wide")
    try:
        visit.page.goto(f"{server}/{NOT_FOUND}")
        assert "Page not found" in visit.page.inner_text("article")
        assert visit.page.locator("article a").count() >= len(nav_sources())
    finally:
        visit.close()
