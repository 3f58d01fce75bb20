"""A broken page never builds: each fault fails the build with a message naming the file.

Every fault is applied to a temporary copy of the project, one at a time.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import outputs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path):
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("docs", "snippets", "tools", "overrides"):
        shutil.copytree(ROOT / name, copy / name)
    for name in ("mkdocs.yml", "requirements.txt"):
        shutil.copy2(ROOT / name, copy / name)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    (copy / ".cache").mkdir()
    (ROOT / ".cache" / "products").mkdir(parents=True, exist_ok=True)
    # figures and tables are keyed by content: sharing them is safe and saves time
    (copy / ".cache" / "products").symlink_to(ROOT / ".cache" / "products")
    return copy


def build(project, execute=False):
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "site")],
        cwd=project, capture_output=True, text=True, timeout=900,
        env={**os.environ, "NB_EXECUTE": "true" if execute else "false", "NO_MKDOCS_2_WARNING": "1"},
    )
    return proc.returncode, proc.stdout + proc.stderr


def test_the_unbroken_copy_builds(project):
    code, log = build(project)
    assert code == 0, log


def test_a_missing_snippet_section_names_the_page_line_and_snippet(project):
    page = project / "docs" / "xor-44.md"
    page.write_text(page.read_text().replace('original.py:train"', 'original.py:trian"'))
    code, log = build(project)
    assert code != 0
    assert "docs/xor-44.md:" in log and "snippets/xor44/original.py has no section 'trian'" in log


def test_a_missing_snippet_file_names_the_page_and_the_file(project):
    (project / "snippets" / "xor44" / "shared_layer.py").unlink()
    code, log = build(project)
    assert code != 0
    assert "docs/xor-44.md:" in log and "snippets/xor44/shared_layer.py, which does not exist" in log


def test_a_failing_notebook_cell_names_the_notebook(project):
    # Every notebook becomes a one-cell stand-in so the build stays quick; one raises.
    notebooks = sorted((project / "docs").glob("*.ipynb"))
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        nb.cells = [nbformat.v4.new_markdown_cell("# Stand-in"), nbformat.v4.new_code_cell("x = 1")]
        nbformat.write(nb, path)
    broken = notebooks[0]
    nb = nbformat.read(broken, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('a deliberately failing cell')"))
    nbformat.write(nb, broken)
    code, log = build(project, execute=True)
    assert code != 0
    assert broken.name in log and "a deliberately failing cell" in log


def test_a_wrong_expected_output_names_the_snippet_and_line(tmp_path, monkeypatch):
    snippet = tmp_path / "snippets" / "xor44" / "enumerate_44.py"
    snippet.parent.mkdir(parents=True)
    text = (ROOT / "snippets" / "xor44" / "enumerate_44.py").read_text()
    snippet.write_text(text.replace("#>     2-5-4-1", "#>     2-4-5-1"))
    monkeypatch.setattr(outputs, "ROOT", tmp_path)
    with pytest.raises(outputs.SnippetError) as error:
        outputs.check(snippet)
    line = text.splitlines().index("#>     2-5-4-1") + 1
    assert f"snippets/xor44/enumerate_44.py:{line}:" in str(error.value)
