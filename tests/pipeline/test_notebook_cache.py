"""The build's notebook cache keys on what outputs depend on, and nothing else."""

from pathlib import Path

import nbformat
import pytest

from docs_build import notebooks

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "docs").glob("*.ipynb"))


def read(path):
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_depends_on_the_snippets_it_imports(path):
    deps = notebooks.dependencies(read(path))
    assert deps, f"{path.name} imports no snippet module"
    for dep in deps:
        assert dep.is_file() and dep.is_relative_to(ROOT / "snippets")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_editing_prose_keeps_the_key(path):
    nb = read(path)
    before = notebooks.cache_key(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source += "\n\nOne more sentence of prose."
    assert notebooks.cache_key(nb) == before


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_editing_code_changes_the_key(path):
    nb = read(path)
    before = notebooks.cache_key(nb)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source += "\nx = 1"
    assert notebooks.cache_key(nb) != before


def test_editing_an_imported_snippet_changes_only_its_notebooks(monkeypatch):
    by_notebook = {p: notebooks.dependencies(read(p)) for p in NOTEBOOKS}
    edited = by_notebook[NOTEBOOKS[0]][0]
    keys = {p: notebooks.cache_key(read(p)) for p in NOTEBOOKS}
    original = Path.read_text

    def read_text(self, *args, **kwargs):
        text = original(self, *args, **kwargs)
        return text + "\n# edited\n" if self == edited else text

    monkeypatch.setattr(Path, "read_text", read_text)
    for path in NOTEBOOKS:
        changed = notebooks.cache_key(read(path)) != keys[path]
        assert changed == (edited in by_notebook[path]), path.name


def test_figures_survive_an_mplbackend_in_the_environment(tmp_path, monkeypatch):
    """With MPLBACKEND=Agg inherited, an inline kernel would draw nothing."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setattr(notebooks, "CACHE", tmp_path / "cache")
    path = tmp_path / "plot.ipynb"
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([0, 1])\nplt.show()")]
    nbformat.write(nb, path)
    assert notebooks.execute(path)
    executed = nbformat.read(notebooks.with_outputs(path), as_version=4)
    assert any("image/png" in o.get("data", {}) for o in executed.cells[0].outputs)
