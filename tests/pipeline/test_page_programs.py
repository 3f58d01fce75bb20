"""The home page's promise: the Python blocks of a page, copied in order into one
fresh session, run and print exactly the `#>` lines the page shows."""

import html
import re
from pathlib import Path

import pytest

from docs_build import runner
from support import built_path, nav_sources

BLOCK = re.compile(r'<div class="language-python highlight"[^>]*><pre>.*?<code>(.*?)</code></pre>', re.S)
DOCS = Path(__file__).resolve().parents[2] / "docs"
# Pages with Python blocks; the others (home, glossary, notation) have nothing to run.
PAGES = [s for s in nav_sources() if s.endswith(".md") and "```python" in (DOCS / s).read_text(encoding="utf-8")]


def python_blocks(page_html):
    """The text of each Python block, as the page shows it."""
    return [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in BLOCK.findall(page_html)]


def shown_output(blocks):
    """What the blocks say they print: their `#>` lines, in page order."""
    return [line.strip()[2:].removeprefix(" ").rstrip()
            for block in blocks for line in block.splitlines() if line.strip().startswith("#>")]


@pytest.mark.parametrize("source", PAGES)
def test_the_page_run_top_to_bottom_prints_what_it_shows(built_site, source, tmp_path):
    blocks = python_blocks(built_path(built_site, source).read_text(encoding="utf-8"))
    assert blocks, f"docs/{source}: its Python blocks did not reach the built page"
    program = tmp_path / "page.py"
    program.write_text("\n\n".join(blocks), encoding="utf-8")
    proc = runner.run(program)  # a fresh `python page.py` in an empty folder, without re-importing torch
    assert proc.returncode == 0, (
        f"docs/{source}: its Python blocks, run in page order in one fresh session, fail:\n{proc.stderr[-3000:]}")
    printed = [line.rstrip() for line in proc.stdout.splitlines()]
    shown = shown_output(blocks)
    assert printed == shown, (
        f"docs/{source}: the page run top to bottom prints other lines than its #> lines show\n"
        f"shown:   {shown}\nprinted: {printed}")
