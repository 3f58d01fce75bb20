"""Build-time math (docs_build/katex.py): what it typesets, what it leaves alone, and
the build error a formula KaTeX rejects produces."""

import re

import nbformat
import pytest
from mkdocs_jupyter.nbconvert2 import nb2html

from docs_build import katex, notebook_html, notebooks


def test_markdown_math_is_typeset_inline_and_display():
    html = ('<p>A neuron computes <span class="arithmatex">\\(z = w^\\top x + b\\)</span>.</p>\n'
            '<div class="arithmatex">\\[\n\\sigma(z) = \\frac{1}{1 + e^{-z}} &lt; 1\n\\]</div>')
    out = katex.typeset(html, "docs/neuron.md")
    assert out.count('<span class="katex">') == 2 and out.count('class="katex-display"') == 1
    assert '<span class="arithmatex"><span class="katex">' in out  # inline stays inline
    assert '<div class="arithmatex"><span class="katex-display">' in out
    assert "\\(" not in out and "\\[" not in out
    assert "<mo>&lt;</mo>" in out  # the escaped < reached KaTeX as <
    assert katex.typeset("<p>A Markdown page's $3$</p>", "docs/loss.md") == "<p>A Markdown page's $3$</p>"


NOTEBOOK = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# With $\\eta = 0.02$ it costs \\$5 and $10, and
#
# $$L = \\frac{1}{4}$$
#
# Code keeps its dollars: `echo $HOME$`

# %%
price = "$1$"
print("$2$")
"""


def test_notebook_math_is_typeset_outside_code_and_outputs_only(tmp_path, monkeypatch):
    """A notebook page as mkdocs-jupyter renders it with the site's nbconvert template
    (docs_build/notebook_html.py), then typeset."""
    path = tmp_path / "notebook.py"
    path.write_text(NOTEBOOK, encoding="utf-8")
    nb = notebooks.read(path)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="$2$\n")]
    nbformat.write(nb, tmp_path / "notebook.ipynb")
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "")  # restored after the test
    notebook_html.use_site_config()
    out = katex.typeset(nb2html(str(tmp_path / "notebook.ipynb")), "docs/notebook.py")
    assert out.count('<span class="katex">') == 2 and out.count('class="katex-display"') == 1
    assert "$5 and $10" in out  # an escaped dollar and an amount are not math
    assert "<code>echo $HOME$</code>" in out  # inline code
    assert '<span class="s2">"$1$"</span>' in out  # a code cell
    assert re.search(r'<pre class="stdout"[^>]*>\$2\$\n</pre>', out)  # what a cell printed


def test_a_formula_katex_rejects_fails_naming_the_page_and_the_formula():
    html = '<p>Broken: <span class="arithmatex">\\(\\frac{1}{\\)</span></p>'
    with pytest.raises(katex.MathError, match=r"docs/neuron\.md: KaTeX cannot render the inline formula '\\\\frac\{1\}\{'"):
        katex.typeset(html, "docs/neuron.md")
