"""Every copy button on every page copies a program that runs as pasted and prints what
the page shows (docs_build/copies.py says what each block copies, and why).

In Chromium each button is pressed and the clipboard read.

- A ```python block's clipboard must be its snippet file from the first line to the
  end of the block: a program that compiles, imports only the standard library and
  installed packages (so it runs from an empty folder), and ends with the block as
  the page shows it. Its run is the whole file's: tests/pipeline/test_outputs.py runs
  every snippet whole, `python file.py` in an empty folder, and checks that each
  print prints the `#>` lines under it. Python runs a file from the top, so the first
  statements of a file that runs print exactly the `#>` lines they hold; running each
  of the 100-odd prefixes again would only repeat that run (about 150 s here).
- A ```pycon block's clipboard must have no prompts; pasted into an interactive
  `python` started in an empty folder, it must print the results the block shows.

On a notebook page each code cell's button must copy the notebook's code from its
first cell to this one, with the snippet modules it imports written in, and nothing
that is not Python. The build executes each notebook as exactly those cells, one after
another in one fresh kernel in an empty folder (docs_build/notebooks.py), so the
outputs under each cell are what its copy prints; the page may show a value only by
printing it, as a script would (tests/pipeline/test_notebook_cache.py)."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from docs_build import copies, notebooks, outputs
from docs_build.copies import FENCE, INCLUDE, program_up_to
from support import DOCS, SNIPPETS, Visit, nav_sources, source_file

pytestmark = pytest.mark.browser

PAGES = [s for s in nav_sources() if s.endswith(".md")]
BLOCKS = """() => [...document.querySelectorAll('article div.highlight')].map(block => ({
  lang: (block.className.match(/language-(\\w+)/) || [])[1] || '',
  link: block.previousElementSibling?.querySelector('a.snippet-source')?.getAttribute('href') || null,
  shown: block.querySelector('pre > code').textContent,
}))"""


# The copy buttons of a page's code blocks, and of a notebook page's cells.
PAGE_BUTTONS = "article div.highlight button.md-code__button[data-md-type='copy']"
CELL_BUTTONS = ".notebook pre button.md-code__button[data-md-type='copy']"
PRESS_ALL = """async selector => {
  const texts = [];
  for (const button of document.querySelectorAll(selector)) {
    await navigator.clipboard.writeText('');
    button.click();
    for (let i = 0; i < 500 && !(await navigator.clipboard.readText()); i++) await new Promise(r => setTimeout(r, 10));
    texts.push(await navigator.clipboard.readText());
  }
  return texts;
}"""


def copied_texts(browser, server, source):
    """[(block, clipboard)] for every code block of the open page, in page order."""
    visit = Visit(browser, server, "light", "wide")
    visit.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=visit.origin)
    try:
        visit.open(source)
        blocks = visit.page.evaluate(BLOCKS)
        buttons = visit.page.locator(PAGE_BUTTONS)
        assert buttons.count() == len(blocks), f"{source}: {len(blocks)} code blocks, {buttons.count()} copy buttons"
        # One round trip presses them all: each click as the page's own script sees it.
        texts = visit.page.evaluate(PRESS_ALL, PAGE_BUTTONS)
        copied = list(zip(blocks, texts))
        assert not visit.errors, visit.errors
        return copied
    finally:
        visit.close()


def shown_results(code):
    """What a pycon block shows as printed: every line that is not a prompt."""
    return [line for line in code.splitlines() if not re.match(r"(>>>|\.\.\.)( |$)", line)]


def run_interactively(code, folder):
    """code pasted into `python` (interactive, quiet) started in folder: its stdout."""
    return subprocess.run([sys.executable, "-i", "-q"], input=code + "\n", cwd=folder, capture_output=True,
                          text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0"})


@pytest.mark.parametrize("source", PAGES)
def test_every_copy_button_copies_a_program_that_runs_and_prints_what_the_page_shows(browser, server, source,
                                                                                     tmp_path):
    fences = [m for m in FENCE.finditer((DOCS / source).read_text(encoding="utf-8"))]
    copied = copied_texts(browser, server, source)
    assert [b["lang"] for b, _ in copied if b["lang"] in ("python", "pycon")] == [m["lang"] for m in fences], \
        f"{source}: the page's python and pycon blocks are not the source's"
    for (block, text), fence in zip([c for c in copied if c[0]["lang"] in ("python", "pycon")], fences):
        where = f"{source}, the block at docs/{source}:{fences[0].string.count(chr(10), 0, fence.start()) + 1}"
        if block["lang"] == "pycon":
            folder = tmp_path / f"block-{fence.start()}"  # empty
            folder.mkdir()
            assert not re.search(r"^(>>>|\.\.\.)( |$)", text, re.M), f"{where}: the copy keeps the prompts"
            proc = run_interactively(text, folder)
            assert proc.returncode == 0 and "Traceback" not in proc.stderr, f"{where}:\n{text}\n{proc.stderr[-2000:]}"
            assert proc.stdout.splitlines() == shown_results(block["shown"]), (where, proc.stdout)
            continue
        include = INCLUDE.search(fence["body"])
        assert block["link"] and block["link"].rstrip("/").endswith(f"snippets/{include['file']}"), \
            f"{where}: no link to snippets/{include['file']} above the block"
        shown_lines = [line.strip() for line in block["shown"].splitlines() if line.strip()]
        copied_lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert copied_lines[-len(shown_lines):] == shown_lines, f"{where}: the copy does not end with the block shown"
        whole = program_up_to(include["file"])
        assert whole.startswith(text.rstrip("\n") + "\n"), f"{where}: the copy is not the first lines of its snippet"
        assert SNIPPETS / include["file"] in outputs.snippet_files(), f"{where}: no test runs {include['file']} whole"
        compile(text, f"copied from {where}", "exec")  # a SyntaxError names the block
        for module in notebooks.imported_modules([text]):
            assert installed_outside_the_repository(module), f"{where}: the copy imports {module}, not installed"


def installed_outside_the_repository(module):
    """Whether a fresh interpreter in an empty folder finds module: built in, or installed."""
    spec = importlib.util.find_spec(module)
    origin = spec and (spec.origin or next(iter(spec.submodule_search_locations or []), None))
    if origin in ("built-in", "frozen"):
        return True
    return bool(origin) and (Path(origin).is_relative_to(sys.prefix) or Path(origin).is_relative_to(sys.base_prefix))


def test_the_snippet_files_are_served_for_download(built_site):
    for path in sorted((Path(__file__).resolve().parents[2] / "snippets").rglob("*.py")):
        served = built_site / "snippets" / path.relative_to(path.parents[1])
        assert served.read_bytes() == path.read_bytes(), served


@pytest.mark.parametrize("source", [s for s in nav_sources() if s.endswith(".ipynb")])
def test_notebook_cells_copy_the_program_up_to_themselves(browser, server, source):
    nb = notebooks.read(source_file(source))
    programs = copies.programs(notebooks.copied_cells(nb))
    for module in notebooks.imported_modules([programs[-1]]):  # also: no IPython magic (it would not parse)
        assert installed_outside_the_repository(module), f"{source}: the copy imports {module}, not installed"
    visit = Visit(browser, server, "light", "wide")
    visit.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=visit.origin)
    try:
        visit.open(source)
        buttons = visit.page.locator(CELL_BUTTONS)
        assert buttons.count() == visit.page.locator(".notebook pre > code").count() == len(programs)
        assert visit.page.evaluate(PRESS_ALL, CELL_BUTTONS) == [p.rstrip() for p in programs]
    finally:
        visit.close()
