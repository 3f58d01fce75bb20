"""Typeset every formula at build time with the site's KaTeX (node, docs_build/katex_render.cjs),
and serve KaTeX's CSS and fonts from the site itself.

Readers get finished math in the HTML: no script has to run, nothing shifts when it
does, and a formula KaTeX rejects fails the build with the page and the expression.

Every formula reaches the HTML in the markup of pymdownx.arithmatex (generic): `\\( ... \\)`
or `\\[ ... \\]` in `<span class="arithmatex">`, display math of Markdown pages in
`<div class="arithmatex">`. Notebook pages get the same markup from the site's nbconvert
preprocessor (docs_build/notebook_html.py), so one pattern finds every formula, and a `$`
in code, in an output or in a Markdown page's prose is never math.
"""

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
RENDERER = ROOT / "docs_build" / "katex_render.cjs"
DIST = ROOT / "node_modules" / "katex" / "dist"
# Math is typeset at build time: pages need KaTeX's CSS and fonts only.
ASSETS = ["katex.min.css", "fonts"]

_ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
_DELIMITED = re.compile(r"^\s*\\([(\[])(.*)\\[)\]]\s*$", re.S)


class MathError(Exception):
    """KaTeX rejected a formula; the message names the page and the expression."""


def render(formulas):
    """[(tex, display)] -> [{"html": ...} or {"error": ...}], in order, from one node process."""
    if not formulas:
        return []
    node = shutil.which("node")
    if not node:
        raise MathError("node is not installed: the build renders math with KaTeX in node")
    request = [{"tex": tex, "display": display} for tex, display in formulas]
    proc = subprocess.run([node, str(RENDERER)], input=json.dumps(request), capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT)
    if proc.returncode != 0:
        raise MathError(f"the KaTeX renderer ({RENDERER.name}) failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def _formula(match):
    """(tex, display) of one arithmatex element."""
    tex = html.unescape(match.group(2))
    delimited = _DELIMITED.match(tex)
    display = delimited.group(1) == "[" if delimited else match.group(1) == "div"
    return (delimited.group(2) if delimited else tex).strip(), display


def _rendered(pages):
    """{(tex, display): KaTeX's result} for every formula of the pages' HTML."""
    formulas = sorted({_formula(match) for page in pages for match in _ARITHMATEX.finditer(page)})
    return dict(zip(formulas, render(formulas)))


def typeset(content, where, rendered=None):
    """The page HTML with every formula as KaTeX rendered it (rendered: from _rendered, else
    made now); the first formula KaTeX rejects raises MathError naming where."""
    rendered = _rendered([content]) if rendered is None else rendered

    def replace(match):
        tex, display = _formula(match)
        result = rendered[(tex, display)]
        if "error" in result:
            kind = "display" if display else "inline"
            raise MathError(f"{where}: KaTeX cannot render the {kind} formula {tex!r}: {result['error']}")
        return f'<{match.group(1)} class="arithmatex">{result["html"]}</{match.group(1)}>'

    return _ARITHMATEX.sub(replace, content)


def check_installed():
    missing = [name for name in ASSETS if not (DIST / name).exists()]
    if missing:
        raise PluginError(f"KaTeX is not installed ({DIST / missing[0]} is missing). "
                          "Run `make setup` (it runs `npm ci`) before building.")


def _source_of(page, site, docs):
    """docs/<source> of a built page, to name the file to fix."""
    rel = page.relative_to(site).parent.as_posix()
    stem = "index" if rel == "." else rel
    found = sorted(p for p in docs.glob(f"{stem}.*") if p.suffix in (".md", ".py"))
    return f"docs/{found[0].relative_to(docs).as_posix()}" if found else page.relative_to(site).as_posix()


def typeset_site(site_dir, docs_dir):
    """Typeset the math of every built page in place, with one node process for all of
    them. Runs after the search plugin has indexed the pages, so the index keeps the TeX."""
    site, docs = Path(site_dir), Path(docs_dir)
    pages = {page: page.read_text(encoding="utf-8") for page in sorted(site.rglob("*.html"))}
    rendered = _rendered(pages.values())
    try:
        for page, content in pages.items():
            typeset_content = typeset(content, _source_of(page, site, docs), rendered)
            if typeset_content != content:
                page.write_text(typeset_content, encoding="utf-8")
    except MathError as error:
        raise PluginError(str(error)) from None


def copy_assets(site_dir):
    target = Path(site_dir) / "assets" / "vendor" / "katex"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(DIST / "katex.min.css", target)
    shutil.copytree(DIST / "fonts", target / "fonts", dirs_exist_ok=True)
