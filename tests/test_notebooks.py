"""Committed notebooks carry no outputs and run on the project's kernel.

Their execution is tested by the strict build (mkdocs-jupyter executes every
notebook with allow_errors: false); see tests/test_site.py and tests/test_faults.py.
"""

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "docs").rglob("*.ipynb"))


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
