"""Committed notebooks carry no outputs and run on the project's kernel.

Their execution is tested by the strict build: docs_build/notebooks.py executes every
notebook (a raising cell fails the build, naming the cell), caching outputs by the
code cells and the snippets they import; see tests/test_site.py and tests/test_faults.py.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from docs_build import notebooks

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "docs").rglob("*.ipynb"))
SITE_URL = "http://127.0.0.1:8000/"  # what tests build with (conftest.build_site)


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.relative_to(ROOT)}: cell {index} has outputs"
            assert cell.execution_count is None, f"{path.relative_to(ROOT)}: cell {index} has a count"
    assert nb.metadata["kernelspec"]["name"] == "python3"


def downloaded(built_site, path):
    """The notebook behind a page's download button."""
    return nbformat.read(built_site / path.stem / path.name, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_download_carries_the_snippets_it_imports(built_site, path):
    source, download = nbformat.read(path, as_version=4), downloaded(built_site, path)
    written = {c.source.split("\n", 1)[0].split()[1]: c.source.split("\n", 1)[1]
               for c in download.cells if c.cell_type == "code" and c.source.startswith("%%writefile")}
    imported = notebooks.dependencies(source)
    assert imported and sorted(written) == sorted(p.name for p in imported)
    for snippet in imported:
        assert written[snippet.name] == snippet.read_text(encoding="utf-8"), snippet
    rest = [c for c in download.cells if not c.source.startswith(("%%writefile", "**Running this notebook"))]
    assert [c.source.replace(SITE_URL, "../") for c in rest] == [c.source for c in source.cells]
    assert not any(c.get("outputs") for c in download.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_download_imports_its_code_in_an_empty_folder(built_site, path, tmp_path):
    """Run the download, up to its first cell of its own, where no repository is."""
    nb = downloaded(built_site, path)
    first_own = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                     and not c.source.startswith("%%writefile"))
    nb.cells = nb.cells[:first_own + 1]
    NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=False,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in notebooks.dependencies(nbformat.read(path, as_version=4)))
