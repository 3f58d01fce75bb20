"""Every snippet runs alone, in a fresh interpreter, and prints what its #> lines show."""

import pytest

from docs_build import notebooks, outputs

SNIPPET_FILES = outputs.snippet_files()


@pytest.mark.parametrize("path", SNIPPET_FILES, ids=[outputs.rel(p) for p in SNIPPET_FILES])
def test_snippet_output_matches(path):
    outputs.check(path)


def test_there_are_snippets():
    assert len(SNIPPET_FILES) >= 4


@pytest.mark.parametrize("path", SNIPPET_FILES, ids=[outputs.rel(p) for p in SNIPPET_FILES])
def test_snippet_is_self_contained(path):
    """A reader copies one file: it may import the standard library and installed
    packages, never a sibling snippet (snippets with a leading underscore are
    helper modules and are exempt from being run, not from this rule)."""
    siblings = {p.stem for p in path.parent.glob("*.py")}
    imported = notebooks.imported_modules([path.read_text(encoding="utf-8")])
    assert not imported & siblings, f"{outputs.rel(path)} imports sibling snippet(s) {imported & siblings}"


def test_check_names_file_and_line_of_a_wrong_output(tmp_path, monkeypatch):
    """A changed #> line fails with the snippet's path and the line that differs."""
    snippet = tmp_path / "wrong.py"
    snippet.write_text('x = 6 * 7\nprint(x)\n#> 41\n', encoding="utf-8")
    monkeypatch.setattr(outputs, "rel", lambda p: p.name)
    with pytest.raises(outputs.SnippetError, match=r"wrong\.py:3: the #> output shown differs"):
        outputs.check(snippet)


def test_update_writes_outputs_after_the_printing_statement(tmp_path):
    snippet = tmp_path / "loop.py"
    snippet.write_text(
        "for i in range(2):\n    print(i)\n\nif __name__ == '__main__':\n    print('main')\n",
        encoding="utf-8",
    )
    outputs.update(snippet)
    assert snippet.read_text(encoding="utf-8") == (
        "for i in range(2):\n    print(i)\n#> 0\n#> 1\n\n"
        "if __name__ == '__main__':\n    print('main')\n    #> main\n"
    )
