"""Every exercise has a worked solution, collapsed by default, whose code is a snippet
the tests run (snippets/<topic>/solution_<n>.py, included in full), and every solution
snippet belongs to an exercise of its page."""

import re

import pytest

from support import DOCS, SNIPPETS

EXERCISES = re.compile(r"^## Exercises[ \t]*\n(?P<body>.*?)(?=^## |\Z)", re.M | re.S)
ITEM = re.compile(r"^(?P<number>\d+)\. ", re.M)
PAGES = sorted(path.name for path in DOCS.glob("*.md") if EXERCISES.search(path.read_text(encoding="utf-8")))


def exercises(page):
    """{number: the exercise's Markdown, its solution included} for the page's exercise list."""
    body = EXERCISES.search((DOCS / page).read_text(encoding="utf-8"))["body"]
    starts = list(ITEM.finditer(body))
    return {int(m["number"]): body[m.start():end.start() if end else len(body)]
            for m, end in zip(starts, [*starts[1:], None])}


def topic(page):
    return page.removesuffix(".md").replace("-", "_")


def test_the_pages_have_exercises():
    assert len(PAGES) >= 10, PAGES


@pytest.mark.parametrize("page", PAGES)
def test_every_exercise_has_a_collapsed_solution_with_its_snippet(page):
    found = exercises(page)
    assert list(found) == list(range(1, len(found) + 1)), f"docs/{page}: exercises numbered {list(found)}"
    for number, text in found.items():
        where = f"docs/{page}, exercise {number}"
        assert re.search(r'^ {4}\?\?\? success "Solution"[ \t]*$', text, re.M), (
            f'{where}: no collapsed solution (a line `    ??? success "Solution"` under the exercise)')
        include = f'--8<-- "{topic(page)}/solution_{number}.py"'
        assert include in text, f"{where}: its solution does not include snippets/{topic(page)}/solution_{number}.py whole ({include})"


@pytest.mark.parametrize("page", PAGES)
def test_every_solution_snippet_answers_an_exercise(page):
    numbers = set(exercises(page))
    for path in sorted((SNIPPETS / topic(page)).glob("solution_*.py")):
        number = int(path.stem.removeprefix("solution_"))
        assert number in numbers, f"snippets/{topic(page)}/{path.name}: docs/{page} has no exercise {number}"
