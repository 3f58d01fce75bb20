"""Run the doctest-style examples (```pycon blocks) of every page under docs/."""

import doctest
import os

from docs_build import reproducible

# Before any test imports torch: the same digits as the runner's (docs_build/reproducible.py).
os.environ.update(reproducible.ENV)

from sybil import Sybil
from sybil.parsers.markdown import CodeBlockParser


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


pytest_collect_file = Sybil(parsers=[CodeBlockParser("pycon", run_session)], patterns=["*.md"], path="docs").pytest()
