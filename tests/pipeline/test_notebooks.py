"""Notebook pages: one text source each, rendered by mkdocs-jupyter through the site's
nbconvert template (docs_build/nbconvert), with a download that runs on its own.

Executing them is tested by the strict build: docs_build/notebooks.py executes every
notebook (a raising cell fails the build, naming the cell), caching outputs by the code
cells and the snippets they import; see test_notebook_cache.py and tests/pipeline/faults.py.
"""

import html
import re
import sys
from html.parser import HTMLParser

import pytest
from nbclient import NotebookClient

from docs_build import claims, notebooks
from support import DOCS, ROOT, SITE_URL, built_path, nav_sources, text_length

NOTEBOOKS = sorted(DOCS.glob("*.py"))
PAGES = [p.with_suffix(".ipynb").name for p in NOTEBOOKS]  # how the nav names them
WEIGHT_LIMIT = 1.5  # a notebook page's HTML / the Markdown page of the closest text length


def test_there_are_notebooks_and_the_nav_names_each():
    assert NOTEBOOKS
    assert sorted(s for s in nav_sources() if s.endswith(".ipynb")) == sorted(PAGES)


def test_no_generated_notebook_sits_beside_the_sources():
    """A notebook is its text source alone; an .ipynb (jupytext's paired copy, an
    export) would go stale beside it, and the build never reads it."""
    found = sorted(p.relative_to(ROOT).as_posix() for folder in (DOCS, ROOT / "snippets")
                   for p in folder.rglob("*.ipynb"))
    assert not found, f"generated notebooks beside their sources, delete them: {found}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_the_project_kernel(path):
    assert notebooks.read(path).metadata["kernelspec"]["name"] == notebooks.KERNEL


# ---------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------


class Figures(HTMLParser):
    """The <img> elements of a page: (src, alt, width, height)."""

    def __init__(self, text):
        super().__init__()
        self.found = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            attrs = dict(attrs)
            self.found.append((attrs.get("src"), attrs.get("alt"), attrs.get("width"), attrs.get("height")))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_is_a_file_with_the_alt_text_of_its_cell(built_site, path):
    page = built_path(built_site, path.with_suffix(".ipynb").name)
    article = page.read_text(encoding="utf-8").split('<div class="notebook">', 1)[1]
    shown = Figures(article).found
    drawn = [(cell.metadata.get("alt"), output.metadata["figure"])
             for cell in notebooks.executed(path).cells if cell.cell_type == "code"
             for output in cell.outputs if "image/png" in output.get("data", {})]
    assert drawn and len(shown) == len(drawn)
    for (src, alt, width, height), (cell_alt, figure) in zip(shown, drawn):
        assert alt == cell_alt and alt.strip(), src
        assert src == figure["src"] and (page.parent / src).is_file()  # beside the page, not base64
        assert (int(width), int(height)) == (figure["width"], figure["height"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_page_carries_no_stylesheet_script_or_prompt(built_site, path):
    page = built_path(built_site, path.with_suffix(".ipynb").name).read_text(encoding="utf-8")
    article = page[page.index("<article"):page.index("</article>")]
    # mkdocs-jupyter writes a <style> element after the content; the site's template leaves it empty
    assert all(not css.strip() for css in re.findall(r"<style[^>]*>(.*?)</style>", article, re.S))
    assert "<script" not in article and "base64" not in article
    assert not re.search(r"\b(In|Out)\s*\[\s*\d*\s*\]:", html.unescape(re.sub(r"<[^>]+>", "", article)))
    assert '<pre class="stderr"' not in article  # no warning reached the page
    code_cells = [c for c in notebooks.read(path).cells if c.cell_type == "code"]
    assert article.count("<pre><span></span><code>") == len(code_cells)  # Material's code blocks


def test_consecutive_prints_of_a_cell_are_one_block(built_site):
    merged = 0
    for path in NOTEBOOKS:
        page = built_path(built_site, path.with_suffix(".ipynb").name).read_text(encoding="utf-8")
        outputs = re.findall(r'<div class="notebook-output"[^>]*>(.*?)</div>', page, re.S)
        assert all(output.count('<pre class="stdout"') <= 1 for output in outputs), path.name
        for cell in notebooks.executed(path).cells:
            streams = [o.text for o in cell.get("outputs", []) if o.output_type == "stream"]
            if len(streams) > 1:  # the kernel sent several pieces; the page shows one text
                assert any(html.unescape(re.sub(r"<[^>]+>", "", o)).strip() == "".join(streams).strip()
                           for o in outputs), (path.name, streams)
                merged += 1
    assert merged  # some cell prints in pieces (a loop of prints), or this proves nothing


def test_notebook_pages_weigh_at_most_one_and_a_half_plain_pages(built_site):
    """Each notebook page's HTML against the Markdown page whose text is closest in length
    (benchmarks/bench_pages.py prints the same comparison for mkdocs-jupyter's own pages)."""
    sources = nav_sources()
    lengths = {s: text_length(built_path(built_site, s).read_text(encoding="utf-8")) for s in sources}
    plains = [s for s in sources if s.endswith(".md")]
    for page in PAGES:
        plain = min(plains, key=lambda s: abs(lengths[s] - lengths[page]))
        ours, theirs = (built_path(built_site, s).stat().st_size for s in (page, plain))
        assert ours <= WEIGHT_LIMIT * theirs, (
            f"{page} ({lengths[page]} characters of text) is {ours} bytes, {ours / theirs:.2f}x "
            f"{plain} ({lengths[plain]} characters, {theirs} bytes)")


# ---------------------------------------------------------------------------
# The download
# ---------------------------------------------------------------------------


def downloaded(built_site, path):
    """The notebook behind a page's download button."""
    import nbformat

    return nbformat.read(built_site / path.stem / f"{path.stem}.ipynb", as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_download_carries_the_snippets_it_imports(built_site, path):
    source, download = notebooks.read(path), downloaded(built_site, path)
    written = {c.source.split("\n", 1)[0].split()[1]: c.source.split("\n", 1)[1]
               for c in download.cells if c.cell_type == "code" and c.source.startswith("%%writefile")}
    imported = notebooks.dependencies(source)
    assert imported and sorted(written) == sorted(p.name for p in imported)
    for snippet in imported:
        assert written[snippet.name] == snippet.read_text(encoding="utf-8"), snippet
    rest = [c for c in download.cells if not c.source.startswith(("%%writefile", "**Running this notebook"))]
    # Markdown as written, but each claim and n() as its plain text (a reader's Jupyter has no macros)
    assert [c.source.replace(SITE_URL, "../") for c in rest] == [
        claims.plain(c.source) if c.cell_type == "markdown" else c.source for c in source.cells]
    assert not any("{{" in c.source or "{%" in c.source for c in rest if c.cell_type == "markdown")
    assert not any(c.get("outputs") for c in download.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_download_imports_its_code_in_an_empty_folder(built_site, path, tmp_path):
    """Run the download, up to its first cell of its own, where no repository is."""
    nb = downloaded(built_site, path)
    first_own = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                     and not c.source.startswith("%%writefile"))
    nb.cells = nb.cells[:first_own + 1]
    NotebookClient(nb, kernel_name=notebooks.KERNEL, timeout=120, allow_errors=False,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in notebooks.dependencies(notebooks.read(path)))


# What the notebooks may import beyond the standard library: packages Google Colab has
# preinstalled (its runtime ships torch, numpy, matplotlib and scikit-learn), so "Open in
# Colab" runs the notebook with no pip install.
COLAB_PACKAGES = {"torch", "numpy", "matplotlib", "sklearn"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_download_needs_only_what_colab_has(built_site, path):
    """Each import of the standalone notebook, its written snippet files included, is the
    standard library, a package Colab has, or a snippet file the notebook writes first."""
    nb = downloaded(built_site, path)
    written = {c.source.split()[1].removesuffix(".py") for c in nb.cells
               if c.cell_type == "code" and c.source.startswith("%%writefile")}
    code = [c.source.split("\n", 1)[1] if c.source.startswith("%%writefile") else c.source
            for c in nb.cells if c.cell_type == "code"]
    imported = notebooks.imported_modules(code)
    assert written and written <= imported, (written, imported)
    assert imported - written - COLAB_PACKAGES <= set(sys.stdlib_module_names), imported - written - COLAB_PACKAGES
