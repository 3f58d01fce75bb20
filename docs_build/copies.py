"""What each copy button copies: a program that runs as pasted (house style rule 13).

A ```python block that includes a section of a snippet copies the snippet from its
first line to the end of that section: the program the page has built up to this
block, with its imports and everything the section uses, in the order it runs (a
section alone would often lack both). It prints what the page shows under this
block and the blocks of the same file above it. A ```pycon block copies its code
without the prompts and the printed results, for pasting into `python`.

Both go through public options only: superfences puts the attribute list of a fence
on its block (`{ .python data-copy="..." }`, with attr_list), and Material's copy
button copies an ancestor's `data-copy` instead of the visible text. Each included
block is preceded by a link to its complete snippet file, which the site serves
under snippets/ (add_files) for download.
"""

import html
import posixpath
import re

from mkdocs.structure.files import File

from docs_build.includes import INCLUDE, SNIPPETS

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<lang>python|pycon)[ \t]*\n"
                   r"(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$", re.M | re.S)
MARKER = re.compile(r"^[ \t]*# --8<-- \[(?:start|end):[\w-]+\][ \t]*$")
PROMPT = re.compile(r"^(>>>|\.\.\.)(?: |$)")


def program_up_to(snippet, section=None):
    """The snippet's code from its first line to the end of section (all of it if
    None), without the section markers."""
    lines = (SNIPPETS / snippet).read_text(encoding="utf-8").splitlines()
    if section:
        lines = lines[:lines.index(next(line for line in lines if line.strip() == f"# --8<-- [end:{section}]"))]
    return "\n".join(line for line in lines if not MARKER.match(line)).strip("\n") + "\n"


def pycon_code(body):
    """The code of a pycon session: its prompted lines, without the prompts."""
    return "\n".join(PROMPT.sub("", line) for line in body.splitlines() if PROMPT.match(line)).strip("\n") + "\n"


def _attribute(text):
    """text as an attribute value inside a fence's {...}, on one line; the braces as
    entities, so neither attr_list nor Jinja (mkdocs-macros) reads them."""
    return html.escape(text, quote=True).replace("\n", "&#10;").replace("{", "&#123;").replace("}", "&#125;")


def annotate(markdown, page):
    """Give each python and pycon block of the page what its copy button copies, and
    each included block a link to its snippet file."""

    def rewrite(match):
        indent, fence, lang, body = match["indent"], match["fence"], match["lang"], match["body"]
        includes = list(INCLUDE.finditer(body))
        if lang == "pycon":
            copy, link = pycon_code(body), ""
        elif includes:
            (snippet,) = {m["file"] for m in includes}  # a block shows one snippet file
            copy = program_up_to(snippet, includes[-1]["section"])
            href = posixpath.relpath(f"snippets/{snippet}", posixpath.dirname(page.file.src_uri) or ".")
            link = (f'{indent}[`snippets/{snippet}`]({href}){{ .snippet-source download '
                    f'title="The whole file, to download" }}\n\n')
        else:
            return match[0]
        return f'{link}{indent}{fence}{{ .{lang} data-copy="{_attribute(copy)}" }}\n{body}{indent}{fence}'

    return FENCE.sub(rewrite, markdown)


def add_files(files, config):
    """Serve every snippet under snippets/, for the links above each included block."""
    for path in sorted(SNIPPETS.rglob("*.py")):
        files.append(File.generated(config, f"snippets/{path.relative_to(SNIPPETS).as_posix()}",
                                    abs_src_path=str(path)))
