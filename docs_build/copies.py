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

import ast
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
    return _unmarked(lines) + "\n"


def _unmarked(lines):
    """The lines as one text, without the section markers and the blank lines at its ends."""
    return "\n".join(line for line in lines if not MARKER.match(line)).strip("\n")


def notebook_cells(sources, modules):
    """Each code cell of a notebook (sources: their code) as the copied programs hold it.
    A cell's copy button copies the cells from the first to itself: the program the
    notebook has built up to it, as a Markdown page's block copies its snippet up to
    itself (a cell alone lacks what the cells above it defined). In the repository a
    notebook finds its snippet modules (modules: name -> path) through sys.path; a copy
    carries them instead. Each import of one becomes that file's code, up to its
    `if __name__ == "__main__":` part, and the sys.path line goes, with the comment
    above it and the imports only it used. The build executes the notebook as these
    cells (docs_build/notebooks.py), so the outputs a page shows are the copies' own."""
    cells = [_carry_modules(source, modules) for source in sources]
    unused = _unused_imports("\n\n".join(cells))
    return [_without(cell, unused) for cell in cells]


def programs(cells):
    """What each cell's copy button copies: the cells up to and including it."""
    return ["\n\n".join(cells[:k + 1]) for k in range(len(cells))]


def _module_code(path, imported):
    """A snippet module's code for a program that carries it: no docstring, no section
    markers, no import the program already made (imported: their texts), nothing from
    its `if __name__ == "__main__":` on."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    lines = text.splitlines()
    for node in reversed(tree.body):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "__name__ == '__main__'":
            del lines[node.lineno - 1:]
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and ast.unparse(node) in imported:
            del lines[node.lineno - 1:node.end_lineno]
    if ast.get_docstring(tree):
        del lines[:tree.body[0].end_lineno]
    return _unmarked(lines)


def _top_level_names(path):
    """The names a module binds at its top level (what `from module import name` finds)."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def _carry_modules(source, modules):
    """source with its imports of snippet modules replaced by their code, and its
    sys.path line for them (and the comment lines right above it) removed."""
    lines, body = source.splitlines(), ast.parse(source).body
    for index, node in reversed(list(enumerate(body))):
        first, last = node.lineno - 1, node.end_lineno
        if isinstance(node, ast.ImportFrom) and node.module in modules:
            path = modules[node.module]
            defined = _top_level_names(path)
            missing = [a.name for a in node.names if a.name not in defined]
            if missing:  # as python would say, before the cells that use the name
                raise ImportError(f"cannot import name {missing[0]!r} from snippets/{path.parent.name}/{path.name}")
            imported = {ast.unparse(n) for n in body[:index] if isinstance(n, (ast.Import, ast.ImportFrom))}
            lines[first:last] = [f"# {ast.unparse(node)}", f"# (snippets/{path.parent.name}/{path.name}, "
                                 "written out so that this runs alone):", *_module_code(path, imported).splitlines()]
        elif isinstance(node, ast.Expr) and ast.unparse(node).startswith("sys.path.insert(") \
                and "snippets/" in ast.unparse(node):
            while first > 0 and lines[first - 1].lstrip().startswith("#"):
                first -= 1
            lines[first:last] = []
    return "\n".join(lines).strip("\n")


def _unused_imports(program):
    """The top-level `import x` and `from m import x` statements (as text) whose names
    the program never uses: those the removed sys.path line needed."""
    tree = ast.parse(program)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return {ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
            and not any((alias.asname or alias.name).split(".")[0] in used for alias in node.names)}


def _without(source, statements):
    """source without the top-level statements whose text is in statements."""
    lines = source.splitlines()
    for node in reversed(ast.parse(source).body):
        if ast.unparse(node) in statements:
            lines[node.lineno - 1:node.end_lineno] = []
    return "\n".join(lines).strip("\n")


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
