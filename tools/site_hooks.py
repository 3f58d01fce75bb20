"""MkDocs hooks: self-hosted KaTeX, lean notebook pages, figures and tables made
by snippets at build time, and build errors that name the file at fault."""

import csv
import hashlib
import io
import logging
import os
import posixpath
import re
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools import katex_math, notebook_pages, notebooks, runner  # noqa: E402  (needs ROOT on sys.path)
SNIPPETS = ROOT / "snippets"
PRODUCT_CACHE = ROOT / ".cache" / "products"
RUN_PRODUCT = ROOT / "tools" / "run_product.py"
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
# Math is typeset at build time (tools/katex_math.py): pages need KaTeX's CSS and fonts only.
KATEX_FILES = ["katex.min.css", "fonts"]

log = logging.getLogger("mkdocs.hooks.site")

# What nbconvert puts in every notebook page that this site serves itself or not at all:
# ~600 KB of JupyterLab CSS (the site's notebook.css replaces it) and a MathJax
# loader pointing at a CDN (KaTeX renders notebook math instead).
_NOTEBOOK_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)
_NOTEBOOK_MATHJAX = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S
)
_TABLE_MARKER = re.compile(r"^<!-- table: ([\w/]+) -->$", re.M)
_INCLUDE = re.compile(r'^[ \t]*-{1,}8<-{1,}[ \t]+"([^"]+)"[ \t]*$', re.M)
_SECTION = re.compile(r"--8<-- \[start:([\w-]+)\]")

# site path ("figures/loss/fig_losses.svg") -> file holding it, filled by on_pre_build
_products = {}


def on_config(config):
    _use_notebook_cache()
    missing = [name for name in KATEX_FILES if not (KATEX_DIST / name).exists()]
    if missing:
        raise PluginError(
            f"KaTeX is not installed ({KATEX_DIST / missing[0]} is missing). "
            "Run `make setup` (it runs `npm ci`) before building."
        )
    return config


# ---------------------------------------------------------------------------
# Figures and tables: snippets/<topic>/fig_*.py and table_*.py, run at build time
# ---------------------------------------------------------------------------


def _product_snippets():
    return sorted(
        p for p in SNIPPETS.rglob("*.py") if p.name.startswith(("fig_", "table_"))
    )


def _site_path(snippet):
    topic = snippet.parent.relative_to(SNIPPETS).as_posix()
    if snippet.name.startswith("fig_"):
        return f"figures/{topic}/{snippet.stem}.svg"
    return f"tables/{topic}/{snippet.stem}.csv"


def _cache_key(snippet):
    """A product depends on its own file (snippets import no siblings), the
    runner and the pinned dependencies."""
    digest = hashlib.sha256()
    for path in (snippet, RUN_PRODUCT, ROOT / "requirements.txt"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _make_product(snippet):
    site_path = _site_path(snippet)
    cached = PRODUCT_CACHE / f"{_cache_key(snippet)}{Path(site_path).suffix}"
    if not cached.exists():
        PRODUCT_CACHE.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        # A fresh process forked from a server that has imported torch (tools/runner.py)
        proc = runner.run(
            [RUN_PRODUCT, snippet, partial], cwd=ROOT, env={**os.environ, **runner.ENV}
        )
        if proc.returncode != 0:
            rel = snippet.relative_to(ROOT)
            raise PluginError(f"{rel}: failed while making {site_path}:\n{proc.stderr[-3000:]}")
        partial.replace(cached)
    return site_path, cached


def on_pre_build(config):
    """Execute stale notebooks and make figures and tables, all side by side on
    the cores. Notebooks go first: the slowest one sets the build's length."""
    _products.clear()
    paths = sorted(Path(config["docs_dir"]).rglob("*.ipynb")) if _executes_notebooks(config) else []
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        executed = [pool.submit(notebooks.execute, path) for path in paths]
        made = [pool.submit(_make_product, snippet) for snippet in _product_snippets()]
        try:
            ran = sum(future.result() for future in executed)
        except notebooks.NotebookError as error:
            raise PluginError(str(error)) from None
        for future in made:
            site_path, cached = future.result()
            _products[site_path] = cached
    if paths:
        log.info("Executed %d of %d notebooks (the others were cached)", ran, len(paths))
    log.info("Made %d figures and tables from snippets", len(_products))


def on_files(files, config):
    for site_path, cached in _products.items():
        files.append(File.generated(config, site_path, abs_src_path=str(cached)))
    return files


def _markdown_table(csv_text):
    rows = list(csv.reader(io.StringIO(csv_text)))
    header, body = rows[0], rows[1:]

    def numeric(cell):
        try:
            float(cell)
        except ValueError:
            return False
        return True

    align = [
        "--:" if body and all(numeric(r[i]) for r in body if i < len(r)) else ":--"
        for i in range(len(header))
    ]

    def escape(cell):
        # Cells are data, not Markdown: K7-C4*O7*N7 must not turn into italics.
        cell = cell.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return re.sub(r"([\\`*_\[\]|])", r"\\\1", cell)

    def line(cells):
        return "| " + " | ".join(escape(c) for c in cells) + " |"

    return "\n".join([line(header), "| " + " | ".join(align) + " |", *map(line, body)])


def _check_includes(markdown, page):
    """Name the page, line and snippet file when an include cannot be resolved
    (pymdownx.snippets alone names neither the snippet file nor the line)."""
    for match in _INCLUDE.finditer(markdown):
        line = markdown.count("\n", 0, match.start()) + 1
        where = f"docs/{page.file.src_uri}:{line}"
        target, _, section = match.group(1).partition(":")
        path = SNIPPETS / target
        if not path.is_file():
            raise PluginError(f"{where}: includes snippets/{target}, which does not exist")
        if not section:
            continue
        if not re.fullmatch(r"[\w-]+", section):
            raise PluginError(f"{where}: include snippets by section name, never by line numbers")
        sections = _SECTION.findall(path.read_text(encoding="utf-8"))
        if section not in sections:
            raise PluginError(
                f"{where}: snippets/{target} has no section '{section}' "
                f"(its sections: {', '.join(sections) or 'none'})"
            )


def on_page_markdown(markdown, page, config, files):
    _check_includes(markdown, page)

    def replace(match):
        site_path = f"tables/{match.group(1)}.csv"
        if site_path not in _products:
            line = markdown.count("\n", 0, match.start()) + 1
            raise PluginError(
                f"docs/{page.file.src_uri}:{line}: no table snippet makes {site_path} "
                f"(expected snippets/{match.group(1)}.py)"
            )
        table = _markdown_table(_products[site_path].read_text(encoding="utf-8"))
        link = posixpath.relpath(site_path, posixpath.dirname(page.file.src_uri) or ".")
        name = posixpath.basename(site_path)
        return f'{table}\n\n[:material-download: Download `{name}`]({link}){{ download="{name}" }}'

    return _TABLE_MARKER.sub(replace, markdown)


# ---------------------------------------------------------------------------
# Notebook execution, cached by content (tools/notebooks.py)
# ---------------------------------------------------------------------------


def _use_notebook_cache():
    """mkdocs-jupyter renders through convert.nb2html; hand it notebooks whose
    outputs come from tools.notebooks instead of letting it execute them."""
    from mkdocs_jupyter import convert

    if getattr(convert.nb2html, "uses_notebook_cache", False):
        return
    render = convert.nb2html

    def nb2html(nb_path, execute=False, **options):
        if execute:
            nb_path = str(notebooks.with_outputs(nb_path))
        return render(nb_path, execute=False, **options)

    nb2html.uses_notebook_cache = True
    convert.nb2html = nb2html


def _executes_notebooks(config):
    plugin = config.plugins.get("mkdocs-jupyter")
    return bool(plugin and plugin.config["execute"])


def _portable_notebooks(config):
    """Replace each notebook mkdocs-jupyter copied into the site (the page's
    download button) with a copy that carries the snippets it imports."""
    site = Path(config["site_dir"])
    for source in sorted(Path(config["docs_dir"]).rglob("*.ipynb")):
        for copied in site.rglob(source.name):
            notebooks.nbformat.write(notebooks.portable(source, config.get("site_url")), copied)


# ---------------------------------------------------------------------------
# Notebook pages and KaTeX
# ---------------------------------------------------------------------------


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        html = _NOTEBOOK_MATHJAX.sub("", html)
        html = _NOTEBOOK_STYLE.sub("", html)
        html = notebook_pages.lean(html, page, config, files)
    return html


_katex = None


@event_priority(-100)
def on_page_context(context, page, config, nav):
    """Typeset the page's math with KaTeX in node. Runs after the search plugin
    (priority 0) has indexed the page, so the index keeps the TeX source instead
    of KaTeX's markup."""
    global _katex
    try:
        if _katex is None:
            _katex = katex_math.Katex()
        page.content = katex_math.typeset(page.content, _katex, f"docs/{page.file.src_uri}")
    except katex_math.MathError as error:
        raise PluginError(str(error)) from None
    return context


def _stop_katex():
    global _katex
    if _katex is not None:
        _katex.close()
        _katex = None


def on_build_error(error):
    _stop_katex()


def on_post_build(config):
    _stop_katex()
    _portable_notebooks(config)
    target = Path(config["site_dir"]) / "assets" / "vendor" / "katex"
    for name in KATEX_FILES:
        source, dest = KATEX_DIST / name, target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest)
    log.info("Copied KaTeX from node_modules into %s", target)
