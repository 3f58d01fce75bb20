"""Run the doctest-style examples (```pycon blocks) of every page under docs/."""

import doctest
import os

from docs_build import reproducible

# Before any test imports torch: the same digits as the runner's (docs_build/reproducible.py).
os.environ.update(reproducible.ENV)

from sybil import Region, Sybil
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer


def run_session(example):
    """Run one ```pycon block as one doctest session; return the report if it fails.

    A block is one test, so its lines always run together and in order (also when
    pytest-xdist spreads tests over workers)."""
    test = doctest.DocTestParser().get_doctest(
        example.parsed, example.namespace, str(example.path), str(example.path), example.line - 1
    )
    report = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test, out=report.append, clear_globs=False)
    return "".join(report) or None


class PyconParser:
    """Each ```pycon block is a doctest session: >>> lines and what they print."""

    def __init__(self):
        self.lexer = FencedCodeBlockLexer(language="pycon")

    def __call__(self, document):
        for lexed in self.lexer(document):
            yield Region(lexed.start, lexed.end, lexed.lexemes["source"], run_session)


pytest_collect_file = Sybil(parsers=[PyconParser()], patterns=["*.md"], path="docs").pytest()

