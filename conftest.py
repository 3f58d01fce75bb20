"""Run the doctest-style examples (```pycon blocks) of every page under docs/."""

from sybil import Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer


class PyconParser:
    """Each ```pycon block is a doctest session: >>> lines and what they print."""

    def __init__(self):
        self.lexer = FencedCodeBlockLexer(language="pycon")
        self.doctest = DocTestStringParser(DocTestEvaluator())

    def __call__(self, document):
        for lexed in self.lexer(document):
            source = lexed.lexemes["source"]
            for region in self.doctest(source, document.path):
                region.adjust(lexed, source)
                yield region


pytest_collect_file = Sybil(parsers=[PyconParser()], patterns=["*.md"], path="docs").pytest()
