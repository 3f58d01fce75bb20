"""The build's notebook cache keys on what outputs depend on, and nothing else."""

from pathlib import Path

import nbformat
import pytest

from docs_build import notebooks
from support import DOCS, ROOT

NOTEBOOKS = sorted(DOCS.glob("*.py"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_depends_on_the_snippets_it_imports(path):
    deps = notebooks.dependencies(notebooks.read(path))
    assert deps, f"{path.name} imports no snippet module"
    for dep in deps:
        assert dep.is_file() and dep.is_relative_to(ROOT / "snippets")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_editing_prose_keeps_the_key(path):
    nb = notebooks.read(path)
    before = notebooks.cache_key(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source += "\n\nOne more sentence of prose."
    assert notebooks.cache_key(nb) == before


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_editing_code_changes_the_key(path):
    nb = notebooks.read(path)
    before = notebooks.cache_key(nb)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source += "\nx = 1"
    assert notebooks.cache_key(nb) != before


def test_editing_an_imported_snippet_changes_only_its_notebooks(monkeypatch):
    by_notebook = {p: notebooks.dependencies(notebooks.read(p)) for p in NOTEBOOKS}
    edited = by_notebook[NOTEBOOKS[0]][0]
    keys = {p: notebooks.cache_key(notebooks.read(p)) for p in NOTEBOOKS}
    original = Path.read_text

    def read_text(self, *args, **kwargs):
        text = original(self, *args, **kwargs)
        return text + "\n# edited\n" if self == edited else text

    monkeypatch.setattr(Path, "read_text", read_text)
    for path in NOTEBOOKS:
        changed = notebooks.cache_key(notebooks.read(path)) != keys[path]
        assert changed == (edited in by_notebook[path]), path.name


# ---------------------------------------------------------------------------
# One small notebook, executed once in a cache of its own
# ---------------------------------------------------------------------------

PLOT = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# A line.

# %% alt="A rising line"
import matplotlib.pyplot as plt
plt.plot([0, 1])
plt.show()
"""


@pytest.fixture(scope="module")
def plotted(tmp_path_factory):
    """A notebook with one figure, executed with MPLBACKEND=Agg inherited: an inline
    kernel that took it would draw nothing."""
    folder = tmp_path_factory.mktemp("notebook")
    path = folder / "plot.py"
    path.write_text(PLOT, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MPLBACKEND", "Agg")
        patch.setattr(notebooks, "CACHE", folder / "cache")
        assert notebooks.execute(path)
        yield path


@pytest.fixture
def cache(plotted, monkeypatch):
    monkeypatch.setattr(notebooks, "CACHE", plotted.parent / "cache")


def test_figures_survive_an_mplbackend_in_the_environment(plotted, cache):
    plotted.write_text(PLOT, encoding="utf-8")
    (output,) = notebooks.executed(plotted).cells[1].outputs
    figure = output.metadata["figure"]
    assert "image/png" in output.data and (notebooks.rendered(plotted).parent / figure["src"]).is_file()


def test_a_prose_edit_renders_the_new_prose_with_the_cached_outputs(plotted, cache):
    plotted.write_text(PLOT.replace("# A line.", "# A rising line, drawn once."), encoding="utf-8")
    assert not notebooks.execute(plotted)  # nothing runs again
    rendered = nbformat.read(notebooks.rendered(plotted), as_version=4)
    assert rendered.cells[0].source == "A rising line, drawn once."
    assert "image/png" in rendered.cells[1].outputs[0].data


def test_a_figure_without_alt_text_fails_naming_the_file_and_cell(plotted, cache):
    plotted.write_text(PLOT.replace(' alt="A rising line"', ""), encoding="utf-8")
    assert not notebooks.execute(plotted)  # the alt text is not part of the key
    with pytest.raises(notebooks.NotebookError, match=r"plot\.py: cell 1 draws a figure but has no alt text"):
        notebooks.rendered(plotted)


HEADER = PLOT[:PLOT.index("# %% [markdown]")]
CARRIES = HEADER + """# %%
import sys
from pathlib import Path

# In the repository the helper lives in snippets/helpers/.
sys.path.insert(0, str(Path("../snippets/helpers").resolve()))

from helper import double

# %%
import os

print(double(2), os.listdir("."))
"""


def test_a_notebook_runs_as_its_copy_buttons_copy_it_in_an_empty_folder(tmp_path, monkeypatch):
    (tmp_path / "snippets" / "helpers").mkdir(parents=True)
    (tmp_path / "snippets" / "helpers" / "helper.py").write_text(
        '"""A helper."""\n\n\ndef double(x):\n    return 2 * x\n\n\nif __name__ == "__main__":\n    print(double(1))\n')
    (tmp_path / "docs").mkdir()
    path = tmp_path / "docs" / "carries.py"
    path.write_text(CARRIES, encoding="utf-8")
    monkeypatch.setattr(notebooks, "SNIPPETS", tmp_path / "snippets")
    monkeypatch.setattr(notebooks, "CACHE", tmp_path / "cache")
    assert notebooks.execute(path)
    (ran,) = (tmp_path / "cache").glob("*/carries.ipynb")
    cells = notebooks.copied_cells(notebooks.read(path))
    assert [c.source for c in nbformat.read(ran, as_version=4).cells if c.cell_type == "code"] == cells
    assert cells[0] == ("# from helper import double\n# (snippets/helpers/helper.py, written out so that "
                        "this runs alone):\ndef double(x):\n    return 2 * x")  # no sys.path, docstring or __main__
    (output,) = notebooks.executed(path).cells[-1].outputs
    assert output.text == "4 []\n"  # the folder it ran in was empty


def test_a_cell_that_shows_a_value_without_printing_it_fails(tmp_path, monkeypatch):
    path = tmp_path / "value.py"
    path.write_text(HEADER + "# %%\n1 + 1\n", encoding="utf-8")
    monkeypatch.setattr(notebooks, "CACHE", tmp_path / "cache")
    notebooks.execute(path)
    with pytest.raises(notebooks.NotebookError, match=r"value\.py: cell 0 shows the value of its last line; print it"):
        notebooks.rendered(path)
