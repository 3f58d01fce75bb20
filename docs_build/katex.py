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


class Katex:
    """One long-lived node process that renders batches of formulas."""

    def __init__(self):
        node = shutil.which("node")
        if not node:
            raise MathError("node is not installed: the build renders math with KaTeX in node")
        self.proc = subprocess.Popen(
            [node, str(RENDERER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
        )
        self.cache = {}

    def render(self, items):
        """[(tex, display)] -> [html or MathError message], in order."""
        todo = sorted({item for item in items if item not in self.cache})
        if todo:
            request = {"items": [{"tex": tex, "display": display} for tex, display in todo]}
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
            if not line:
                raise MathError(f"the KaTeX renderer ({RENDERER.name}) stopped")
            for item, result in zip(todo, json.loads(line)["results"]):
                self.cache[item] = result
        return [self.cache[item] for item in items]

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)


def _render(katex, items, where):
    results = katex.render(items)
    for (tex, display), result in zip(items, results):
        if "error" in result:
            kind = "display" if display else "inline"
            raise MathError(f"{where}: KaTeX cannot render the {kind} formula {tex!r}: {result['error']}")
    return [result["html"] for result in results]


def _arithmatex(content, katex, where):
    matches = list(_ARITHMATEX.finditer(content))
    items = []
    for match in matches:
        tex = html.unescape(match.group(2))
        delimited = _DELIMITED.match(tex)
        if delimited:
            display, tex = delimited.group(1) == "[", delimited.group(2)
        else:
            display = match.group(1) == "div"
        items.append((tex.strip(), display))
    if not items:
        return content
    rendered = iter(_render(katex, items, where))
    return _ARITHMATEX.sub(lambda m: f'<{m.group(1)} class="arithmatex">{next(rendered)}</{m.group(1)}>', content)


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


def _split_math(notebook_html, found):
    """Split a notebook into text and places of formulas ($ math outside code and
    outputs), appending each formula to found and holding its place by its index."""
    chunks, inside = [], []
    for part in _TAG.split(notebook_html):
        if part.startswith("<"):
            name = re.match(r"<(/?)\s*([a-zA-Z0-9]+)", part)
            if name and name.group(2).lower() in _NO_MATH_INSIDE:
                if name.group(1):
                    if inside:
                        inside.pop()
                elif not part.endswith("/>"):
                    inside.append(name.group(2).lower())
            chunks.append(part)
        elif inside:
            chunks.append(part)
        else:
            last = 0
            for match in _DOLLARS.finditer(part):
                chunks.append(part[last:match.start()])
                display = match.group(1) is not None
                tex = html.unescape(match.group(1) if display else match.group(2)).strip()
                chunks.append(len(found))
                found.append((tex, display))
                last = match.end()
            chunks.append(part[last:])
    return chunks


def _notebook(content, katex, where):
    items, cells = [], []
    for start, end in _notebooks(content):
        cells.append((start, end, _split_math(content[start:end], items)))
    if not items:
        return content
    rendered = _render(katex, items, where)
    pieces, last = [], 0
    for start, end, chunks in cells:
        pieces.append(content[last:start])
        for chunk in chunks:
            # The wrapper marks it as math for the CSS and the tests, as on Markdown pages.
            pieces.append(f'<span class="arithmatex">{rendered[chunk]}</span>' if isinstance(chunk, int) else chunk)
        last = end
    pieces.append(content[last:])
    return "".join(pieces)


def typeset(content, katex, where):
    """Return the page HTML with every formula rendered; where names the page in errors."""
    return _notebook(_arithmatex(content, katex, where), katex, where)


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
    """Typeset the math of every built page in place, with one node process. Runs
    after the search plugin has indexed the pages, so the index keeps the TeX source."""
    site, docs = Path(site_dir), Path(docs_dir)
    katex = Katex()
    try:
        for page in sorted(site.rglob("*.html")):
            before = page.read_text(encoding="utf-8")
            after = typeset(before, katex, _source_of(page, site, docs))
            if after != before:
                page.write_text(after, encoding="utf-8")
    except MathError as error:
        raise PluginError(str(error)) from None
    finally:
        katex.close()


def copy_assets(site_dir):
    target = Path(site_dir) / "assets" / "vendor" / "katex"
    for name in ASSETS:
        source, dest = DIST / name, target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest)
