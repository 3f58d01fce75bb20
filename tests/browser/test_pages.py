"""The built site in a real browser: every page, light and dark, wide and narrow.

Debian's chromium (or CHROMIUM_PATH) driven by Playwright against the built
site served on 127.0.0.1. Screenshots land in test-results/screenshots/.

Math is typeset at build time (docs_build/katex.py), so "typeset" here means: every
formula on the page is KaTeX markup, none is an error, and no TeX is left as text.
"""

import ast
import builtins
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from docs_build import notebooks, runner
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


def visit_page(browser, server, source, copy=False):
    """One page, loaded once, in light and wide. Then narrowed, switched to dark
    (switch_to_dark) and widened again. At each of the four: its state and a screenshot;
    wide, axe-core: every default rule in light, the colour rules in dark. The narrow
    layout is the same DOM laid out again (CSS media queries; Material and the
    playground follow resizes: the boxes equal a narrow load's).

    With copy, also copy the page's first Python block that runs_alone() with its copy
    button, last, so that no screenshot shows the "Copied" note. What it records, the
    tests assert; console errors are told apart by the scheme shown when they came."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    visit = Visit(browser, server, "light", "wide")
    if copy:
        visit.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
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
        if copy:
            seen["copy"] = copy_first_runnable_block(visit)
        seen["errors"]["dark"] = visit.errors[len(seen["errors"]["light"]):]
        return {**seen, "foreign": list(visit.foreign)}
    finally:
        visit.close()


@pytest.fixture
def seen(browser, server, once):
    """seen(scheme, source): visit_page's record of the page (both schemes; the copied
    block too, for test_the_copied_snippet_of_the_page_runs_as_is), made once per run."""
    def get(scheme, source):
        key = f"page-{Path(source).with_suffix('').as_posix().replace('/', '_')}"
        return once(key, lambda: visit_page(browser, server, source, copy=source != NOT_FOUND))
    return get


@pytest.mark.parametrize("source", PAGES)
def test_every_page_renders_cleanly(seen, source):
    """Each page and the 404 page, light and dark, wide and narrow (visit_page): the
    colour scheme applies, all math is typeset, the body never scrolls sideways, no
    console error, no request to another host, and no serious or critical axe-core
    violation: every default rule in light, the colour rules again in dark."""
    page = seen("light", source)
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
            shots[scheme] = (visit.page.evaluate(COLOURS), visit.page.screenshot(full_page=False))
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
        snippet = (ROOT / "snippets" / "xor_44" / "original.py").read_text()
        assert copied.strip() and copied.strip() in snippet
        # Notebook cells carry the same button, and it copies the cell as written.
        visit.open("xor-44-training.ipynb")
        cells = [c for c in notebooks.read(source_file("xor-44-training.ipynb")).cells if c.cell_type == "code"]
        blocks = visit.page.locator(".notebook pre > code")
        buttons = visit.page.locator(".notebook pre button.md-code__button[data-md-type='copy']")
        assert buttons.count() == blocks.count() == len(cells)
        buttons.nth(1).click()
        assert visit.page.evaluate("navigator.clipboard.readText()") == cells[1].source.rstrip()
    finally:
        visit.close()


# ---------------------------------------------------------------------------
# What the copy button hands a reader runs as it is
# ---------------------------------------------------------------------------


def _free_names(tree):
    """Names the code reads but neither binds, imports nor gets from builtins."""
    loaded, bound = set(), set(dir(builtins))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return loaded - bound


def _importable_outside_the_repository(module):
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return False
    origin = spec and (spec.origin or next(iter(spec.submodule_search_locations or []), None))
    if not origin or origin in ("built-in", "frozen"):
        return bool(origin)
    path = Path(origin)
    return path.is_relative_to(sys.prefix) or not path.is_relative_to(ROOT)  # the venv may sit in ROOT


def runs_alone(code):
    """The rule that picks the block to run: Python that parses, binds or imports every
    name it reads, and imports only modules a fresh interpreter finds from an empty
    folder (the standard library and installed packages, nothing from this repository)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return False
    modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    return bool(tree.body) and not _free_names(tree) and all(map(_importable_outside_the_repository, modules))


CODE_BLOCKS = """() => [...document.querySelectorAll('article pre > code')].map(code => {
  const kind = (code.closest('[class*="language-"], [class*="hl-"]')?.className || '').match(/(?:language|hl)-(\\w+)/);
  return {lang: kind ? kind[1] : "", text: code.textContent};
})"""


def copy_first_runnable_block(visit):
    """On the open page: the first Python block that runs_alone(), and what its copy
    button puts on the clipboard."""
    blocks = visit.page.evaluate(CODE_BLOCKS)
    python = [i for i, b in enumerate(blocks) if b["lang"] == "python"]
    chosen = next((i for i in python if runs_alone(blocks[i]["text"])), None)
    if chosen is None:
        return {"python": bool(python), "chosen": None}
    visit.page.locator("article pre:has(> code)").nth(chosen).locator(
        "button.md-code__button[data-md-type='copy']").click()
    return {"python": True, "chosen": blocks[chosen]["text"], "copied": visit.page.evaluate("navigator.clipboard.readText()")}


def shows_python(source):
    """Whether the page's source has Python code: a ```python block, or a notebook's code cells."""
    if source.endswith(".ipynb"):
        return any(c.cell_type == "code" for c in notebooks.read(source_file(source)).cells)
    return "```python" in (DOCS / source).read_text(encoding="utf-8")


@pytest.mark.parametrize("source", nav_sources())
def test_the_copied_snippet_of_the_page_runs_as_is(seen, source, tmp_path):
    """The page's first Python block that runs_alone(), copied with its copy button (in
    the light visit), runs as a fresh `python copied.py` in an empty folder
    (docs_build/runner.py). Notebook cells build on the cells above them (the build runs
    each notebook whole), so on a notebook page no cell qualifies; the test says so."""
    copy = seen("light", source)["copy"]
    assert copy["python"] == shows_python(source), f"{source}: the Python blocks on the page are not the source's"
    if source.endswith(".ipynb"):
        assert copy["chosen"] is None, f"{source}: a notebook cell runs alone: {copy['chosen'][:200]}"
        return
    if not copy["python"]:
        return  # nothing to copy (home, glossary, notation)
    assert copy["chosen"] is not None, f"{source}: no Python block runs alone"
    assert copy["copied"].strip() == copy["chosen"].strip(), f"{source}: the copy button copied other text"
    program = tmp_path / "copied.py"  # alone in its folder
    program.write_text(copy["copied"], encoding="utf-8")
    result = runner.run(program, timeout=300)
    assert result.returncode == 0, (f"{source}: the copied block exits {result.returncode}:\n{copy['copied']}\n"
                                    f"--- output:\n{(result.stdout + result.stderr)[-2000:]}")


def test_unknown_address_gets_the_useful_404(browser, server, built_site):
    visit = Visit(browser, server, "light", "wide")
    try:
        visit.page.goto(f"{server}/{NOT_FOUND}")
        assert "Page not found" in visit.page.inner_text("article")
        assert visit.page.locator("article a").count() >= len(nav_sources())
    finally:
        visit.close()
