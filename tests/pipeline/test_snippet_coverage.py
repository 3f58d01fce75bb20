"""The coverage check of snippets/ (tests/snippet_coverage.py) sees which lines ran,
in the test process and in the runner's children, and names the lines that did not."""

import os

import pytest

from docs_build import runner
from snippet_coverage import snippet_files, unrun_lines
from support import SNIPPETS


@pytest.fixture
def folder(tmp_path, monkeypatch):
    data = tmp_path / "coverage"
    data.mkdir()
    monkeypatch.setenv("SNIPPET_COVERAGE", str(data))
    return data


def test_a_line_the_run_never_reaches_is_named(tmp_path, folder):
    script = tmp_path / "snippet.py"
    script.write_text("x = 1\nif x > 1:\n    print('never')\nprint('always')\n", encoding="utf-8")
    assert runner.run(script).returncode == 0
    assert unrun_lines(folder, [script]) == {script: [3]}


def test_a_fully_run_file_is_not_named(tmp_path, folder):
    script = tmp_path / "snippet.py"
    script.write_text("x = 1\nprint(x)\n", encoding="utf-8")
    assert runner.run(script).returncode == 0
    assert unrun_lines(folder, [script]) == {}


def test_every_snippet_is_judged():
    assert snippet_files() and all(p.is_relative_to(SNIPPETS) for p in snippet_files())
    assert os.environ.get("SNIPPET_COVERAGE")  # the plugin measures this run
