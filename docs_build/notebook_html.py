"""The HTML of notebook pages: mkdocs-jupyter renders them through nbconvert, with the
site's nbconvert configuration and template in docs_build/nbconvert/.

    jupyter_nbconvert_config.py                 which template; Material's code blocks
    notebook_page/conf.json                     the template's preprocessors (Markdown cells
                                                with marked math, each code cell's copied program,
                                                merged prints, no inlined CSS)
    notebook_page/mkdocs_html/notebook.html.j2  the page: Markdown cells, code cells, outputs

(The folder is not called "site": .gitignore leaves out every site/, the build's output.)

use_site_config() points nbconvert at that folder; nothing of mkdocs-jupyter or nbconvert
is patched.
"""

import os
from pathlib import Path

from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.preprocessors import Preprocessor

from docs_build import claims, notebooks

CONFIG_DIR = Path(__file__).resolve().parent / "nbconvert"
# The "¶" nbconvert adds to each heading (the table of contents links to the heading's id)
# stays out of the search index, as Material's own permalinks do.
ANCHOR_LINK = '<span data-search-exclude="">¶</span>'


def use_site_config():
    """Let the NbConvertApp that mkdocs-jupyter creates for each page load
    CONFIG_DIR/jupyter_nbconvert_config.py (a user's own ~/.jupyter config still applies)."""
    paths = [p for p in os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    if str(CONFIG_DIR) not in paths:
        os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(CONFIG_DIR), *paths])


class NoInlinedCss(Preprocessor):
    """mkdocs-jupyter appends resources["inlining"]["css"] to every notebook page in a
    <style> element. nbconvert's lab template fills it with Pygments CSS for its own
    markup; this site's template uses Material's code blocks, which Material styles,
    so it fills it with nothing."""

    def preprocess(self, nb, resources):
        resources["inlining"] = {"css": ""}
        return nb, resources


class _ArithmatexMath(IPythonRenderer):
    """nbconvert's Markdown renderer, but a formula keeps the markup pymdownx.arithmatex
    gives one on a Markdown page, so docs_build/katex.py finds both alike."""

    def inline_math(self, body):
        return f'<span class="arithmatex">\\({self.escape_html(body)}\\)</span>'

    def block_math(self, body):  # mistune keeps it inside its paragraph, so a span, not a div
        return f'<span class="arithmatex">\\[{self.escape_html(body)}\\]</span>'


class MarkdownCells(Preprocessor):
    """Render each Markdown cell into cell.metadata.html, which the template shows: what
    nbconvert's markdown2html makes (same parser, same heading anchors), with marked math
    and marked claims (docs_build/claims.py)."""

    def preprocess(self, nb, resources):
        key, run = f"{resources['metadata']['name']}.ipynb", claims.results()
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                renderer = _ArithmatexMath(escape=False, anchor_link_text=ANCHOR_LINK)
                source = claims.marked(cell.source, key, run)  # claims marked as on Markdown pages
                cell.metadata["html"] = MarkdownWithMath(renderer=renderer).render(source)
        return nb, resources


class CopiedPrograms(Preprocessor):
    """A code cell's copy button copies the cells up to and including it, each as
    docs_build/copies.py writes it (notebook_cells). Where that differs from the cell
    as shown, the cell's metadata.copied holds it for the template (data-cell), and
    docs/assets/javascripts/notebook-copy.js puts the program together on a click."""

    def preprocess(self, nb, resources):
        cells = [cell for cell in nb.cells if cell.cell_type == "code"]
        for cell, copied in zip(cells, notebooks.copied_cells(nb)):
            if copied != cell.source.rstrip():
                cell.metadata["copied"] = copied
        return nb, resources
