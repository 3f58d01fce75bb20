"""Build-time math (docs_build/katex.py): what it typesets, what it leaves alone, and
the build error a formula KaTeX rejects produces."""

import pytest

from docs_build import katex


def test_markdown_math_is_typeset_inline_and_display():
    html = ('<p>A neuron computes <span class="arithmatex">\\(z = w^\\top x + b\\)</span>.</p>\n'
            '<div class="arithmatex">\\[\n\\sigma(z) = \\frac{1}{1 + e^{-z}} &lt; 1\n\\]</div>')
    out = katex.typeset(html, "docs/neuron.md")
    assert out.count('<span class="katex">') == 2 and out.count('class="katex-display"') == 1
    assert '<span class="arithmatex"><span class="katex">' in out  # inline stays inline
    assert '<div class="arithmatex"><span class="katex-display">' in out
    assert "\\(" not in out and "\\[" not in out
    assert "<mo>&lt;</mo>" in out  # the escaped < reached KaTeX as <


def test_notebook_math_is_typeset_outside_code_and_outputs_only():
    """The markup of docs_build/nbconvert/notebook_page: Markdown cells, code cells and outputs
    side by side in one <div class="notebook">."""
    html = ('<div class="notebook">\n'
            '<p>With $\\eta = 0.02$ it costs \\$5 and $10, and</p>\n<p>$$L = \\frac{1}{4}$$</p>\n'
            '<p>Code keeps its dollars: <code>echo $HOME$</code></p>\n'
            '<div class="highlight hl-python"><pre><span></span><code>price = "$1$"</code></pre></div>\n'
            '<div class="notebook-output" data-search-exclude=""><pre class="stdout">$2$</pre></div>\n'
            '</div>\n<p>Outside the notebook: $3$</p>')
    out = katex.typeset(html, "docs/notebook.py")
    assert out.count('<span class="katex">') == 2 and out.count('class="katex-display"') == 1
    assert "\\$5 and $10" in out  # an escaped dollar and an amount are not math
    assert "<code>echo $HOME$</code>" in out and 'price = "$1$"' in out  # code
    assert '<pre class="stdout">$2$</pre>' in out  # what a cell printed
    assert "Outside the notebook: $3$" in out  # a Markdown page's $ is a dollar


def test_a_formula_katex_rejects_fails_naming_the_page_and_the_formula():
    html = '<p>Broken: <span class="arithmatex">\\(\\frac{1}{\\)</span></p>'
    with pytest.raises(katex.MathError, match=r"docs/neuron\.md: KaTeX cannot render the inline formula '\\\\frac\{1\}\{'"):
        katex.typeset(html, "docs/neuron.md")
