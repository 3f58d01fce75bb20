"""Typeset every formula at build time with the site's KaTeX (node, docs_build/katex_render.cjs),
and serve KaTeX's CSS and fonts from the site itself.

Readers get finished math in the HTML: no script has to run, nothing shifts when it
does, and a formula KaTeX rejects fails the build with the page and the expression.

- Markdown pages: pymdownx.arithmatex (generic) leaves `\\( ... \\)` in
  `<span class="arithmatex">` and `\\[ ... \\]` in `<div class="arithmatex">`.
- Notebook pages: Jupyter's `$ ... $` and `$$ ... $$` in the text of Markdown cells,
  outside code and outputs, inside the `<div class="notebook">` of the site's notebook
  template (docs_build/nbconvert/notebook_page). nbconvert's Markdown renderer leaves
  that math as it was written, and no option of it marks the math, so it is found here.
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
_NOTEBOOK = re.compile(r'<div class="notebook">')
_DIV = re.compile(r"<(/?)div\b[^>]*>")
_TAG = re.compile(r"(<[^>]*>)")
# $$ ... $$ first, then $ ... $; a backslash-escaped \$ is a dollar sign.
_DOLLARS = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<![\\$])\$(?!\s)((?:\\.|[^$\\])+?)(?<![\s\\])\$(?!\d)", re.S)
_NO_MATH_INSIDE = {"code", "pre", "script", "style", "kbd", "samp"}


class MathError(Exception):
    """KaTeX rejected a formula; the message names the page and the expression."""


def render(formulas):
    """[(tex, display)] -> [{"html": ...} or {"error": ...}], in order, from one node process."""
    node = shutil.which("node")
    if not node:
        raise MathError("node is not installed: the build renders math with KaTeX in node")
    request = [{"tex": tex, "display": display} for tex, display in formulas]
    proc = subprocess.run([node, str(RENDERER)], input=json.dumps(request), capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT)
    if proc.returncode != 0:
        raise MathError(f"the KaTeX renderer ({RENDERER.name}) failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def _notebooks(content):
    """(start, end) of the inner HTML of every notebook on the page."""
    spans = []
    for match in _NOTEBOOK.finditer(content):
        depth, start = 1, match.end()
        for tag in _DIV.finditer(content, start):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                spans.append((start, tag.start()))
                break
    return spans


def _dollar_math(text, pieces, found):
    """Split HTML text into pieces and formula slots ($ math outside code)."""
    inside = []
    for part in _TAG.split(text):
        if part.startswith("<"):
            name = re.match(r"<(/?)\s*([a-zA-Z0-9]+)", part)
            if name and name.group(2).lower() in _NO_MATH_INSIDE:
                if name.group(1):
                    inside and inside.pop()
                elif not part.endswith("/>"):
                    inside.append(name.group(2).lower())
            pieces.append(part)
            continue
        last = 0
        for match in [] if inside else _DOLLARS.finditer(part):
            display = match.group(1) is not None
            pieces += [part[last:match.start()], len(found)]
            # The wrapper marks it as math for the CSS and the tests, as on Markdown pages.
            found.append((html.unescape(match.group(1) if display else match.group(2)).strip(), display, "span"))
            last = match.end()
        pieces.append(part[last:])


def split(content):
    """The page HTML as pieces (text, or the index of a formula) and its formulas
    [(tex, display, wrapping tag)]: arithmatex spans, and $ math in notebooks."""
    pieces, found, last = [], [], 0
    notebooks = _notebooks(content)
    for match in _ARITHMATEX.finditer(content):
        if any(start <= match.start() < end for start, end in notebooks):
            continue
        tex = html.unescape(match.group(2))
        delimited = _DELIMITED.match(tex)
        display = delimited.group(1) == "[" if delimited else match.group(1) == "div"
        pieces += [(last, match.start()), len(found)]
        found.append(((delimited.group(2) if delimited else tex).strip(), display, match.group(1)))
        last = match.end()
    pieces.append((last, len(content)))
    text = []  # the text pieces between arithmatex spans, with the notebooks' math split out
    for piece in pieces:
        if isinstance(piece, int):
            text.append(piece)
            continue
        at = piece[0]
        for start, end in (n for n in notebooks if piece[0] <= n[0] < piece[1]):
            text.append(content[at:start])
            _dollar_math(content[start:end], text, found)
            at = end
        text.append(content[at:piece[1]])
    return text, found


def fill(pieces, found, results, where):
    """Join the pieces, each formula slot as KaTeX rendered it; the first error names where."""
    for (tex, display, _), result in zip(found, results):
        if "error" in result:
            kind = "display" if display else "inline"
            raise MathError(f"{where}: KaTeX cannot render the {kind} formula {tex!r}: {result['error']}")
    return "".join(f'<{found[p][2]} class="arithmatex">{results[p]["html"]}</{found[p][2]}>'
                   if isinstance(p, int) else p for p in pieces)


def typeset(content, where):
    """Return the page HTML with every formula rendered; where names the page in errors."""
    pieces, found = split(content)
    return fill(pieces, found, render([(tex, display) for tex, display, _ in found]), where) if found else content


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
    pages = {page: split(page.read_text(encoding="utf-8")) for page in sorted(site.rglob("*.html"))}
    formulas = sorted({(tex, display) for _, found in pages.values() for tex, display, _ in found})
    rendered = dict(zip(formulas, render(formulas))) if formulas else {}
    try:
        for page, (pieces, found) in pages.items():
            if found:
                results = [rendered[(tex, display)] for tex, display, _ in found]
                page.write_text(fill(pieces, found, results, _source_of(page, site, docs)), encoding="utf-8")
    except MathError as error:
        raise PluginError(str(error)) from None


def copy_assets(site_dir):
    target = Path(site_dir) / "assets" / "vendor" / "katex"
    for name in ASSETS:
        source, dest = DIST / name, target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest)
