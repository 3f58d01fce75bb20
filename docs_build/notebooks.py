"""Execute notebooks for the build, cached by everything their outputs depend on.

The cache key of a notebook covers its code cells (not its Markdown cells), the
kernel, every snippet module it imports from snippets/, this file and the pinned
dependency set. So:

- editing only prose re-executes nothing: the cached outputs are put back into
  the notebook as it is now, Markdown and all;
- editing a snippet a notebook imports re-executes exactly the notebooks that
  import it;
- a cell that raises fails the build with the notebook's path and the cell.
"""

import ast
import hashlib
import os
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from docs_build import reproducible

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
CACHE = ROOT / ".cache" / "notebooks"
KERNEL = "python3"
_SNIPPET_DIR = re.compile(r"snippets/([\w/]+)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class NotebookError(Exception):
    """A notebook cell raised while the build executed it."""


def _rel(path):
    path = Path(path).resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def _code(nb):
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def _imported_modules(sources):
    names = set()
    for source in sources:
        # IPython magics and shell escapes are not Python; they import nothing.
        text = "\n".join(l for l in source.splitlines() if not l.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def dependencies(nb):
    """The snippet files a notebook imports: modules named in its imports that
    live in a snippets/ folder its code refers to."""
    sources = _code(nb)
    folders = {m.strip("/") for s in sources for m in _SNIPPET_DIR.findall(s)}
    modules = _imported_modules(sources)
    found = []
    for folder in sorted(folders):
        for name in sorted(modules):
            path = SNIPPETS / folder / f"{name}.py"
            if path.is_file():
                found.append(path)
    return found


def cache_key(nb):
    digest = hashlib.sha256()
    parts = [KERNEL, *_code(nb)]
    for path in [*dependencies(nb), Path(__file__), ROOT / "requirements.txt"]:
        parts += [_rel(path), path.read_text(encoding="utf-8")]
    for part in parts:
        digest.update(hashlib.sha256(part.encode()).digest())
    return digest.hexdigest()[:24]


def _cached_path(nb):
    return CACHE / f"{cache_key(nb)}.ipynb"


def execute(path):
    """Execute the notebook at path unless its outputs are cached; return True if it ran."""
    nb = nbformat.read(path, as_version=4)
    cached = _cached_path(nb)
    if cached.exists():
        return False
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=600,
        allow_errors=False,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    try:
        # The kernel draws inline; an MPLBACKEND such as Agg in the caller's
        # environment would silently drop every figure from the page.
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
        client.execute(env={**env, **reproducible.ENV})  # the same digits as the snippets
    except CellExecutionError as error:
        index = next(
            (i for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(
                o.get("output_type") == "error" for o in c.get("outputs", []))),
            None,
        )
        message = _ANSI.sub("", str(error))  # the kernel colours its traceback
        raise NotebookError(f"{_rel(path)}: cell {index} raised while executing:\n{message}") from None
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    nbformat.write(nb, partial)
    partial.replace(cached)
    return True


def with_outputs(path):
    """The notebook as it is now, with the outputs of its cached execution, written
    beside the cache; returns that file's path. Executes it first if nothing is cached."""
    nb = nbformat.read(path, as_version=4)
    cached = _cached_path(nb)
    if not cached.exists():
        execute(path)
    executed = nbformat.read(cached, as_version=4)
    runs = [c for c in executed.cells if c.cell_type == "code"]
    for cell, run in zip((c for c in nb.cells if c.cell_type == "code"), runs):
        cell.outputs, cell.execution_count = run.outputs, run.execution_count
    if "widgets" in executed.metadata:
        nb.metadata["widgets"] = executed.metadata["widgets"]
    merged = CACHE / "rendered" / _rel(path).replace("/", "__")
    merged.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, merged)
    return merged


def portable(path, site_url=None):
    """The notebook as readers download it: it carries the snippet files it
    imports, written beside it by %%writefile cells before its first code cell,
    so it runs on its own (in Jupyter, or uploaded to Colab) with no clone of
    the repository. Made at build time from snippets/: never committed."""
    nb = nbformat.read(path, as_version=4)
    if site_url:  # links relative to the notebook's page would break in a download
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = re.sub(r"\]\(\.\./", f"]({site_url.rstrip('/')}/", cell.source)
    files = dependencies(nb)
    if not files:
        return nb
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    names = ", ".join(f"`{p.name}`" for p in files)
    cells = [nbformat.v4.new_markdown_cell(
        "**Running this notebook on its own.** It imports code from the site's "
        f"snippet files ({names}). The next cell{'s write them' if len(files) > 1 else ' writes it'} "
        "beside the notebook, so it runs in Jupyter or in Colab (File, Upload notebook) "
        "with torch, numpy and matplotlib installed.")]
    for file in files:
        cells.append(nbformat.v4.new_code_cell(
            f"%%writefile {file.name}\n{file.read_text(encoding='utf-8')}"))
    nb.cells[first_code:first_code] = cells
    for index, cell in enumerate(nb.cells):  # nbformat's ids are random: keep downloads reproducible
        cell["id"] = f"cell-{index}"
    return nb


def main():
    """Print each notebook's dependencies and whether its outputs are cached."""
    for path in sorted((ROOT / "docs").rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        deps = ", ".join(_rel(p) for p in dependencies(nb)) or "none"
        print(f"{_rel(path)}: {'cached' if _cached_path(nb).exists() else 'not cached'}; imports {deps}")


if __name__ == "__main__":
    main()


# ---------------------------------------------------------------------------
# The notebook hooks (docs_build/hooks.py calls these)
# ---------------------------------------------------------------------------

_NOTEBOOK_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)
_NOTEBOOK_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)


def sources(config):
    """The notebooks the build executes (none when mkdocs-jupyter is told not to)."""
    plugin = config.plugins.get("mkdocs-jupyter")
    if not (plugin and plugin.config["execute"]):
        return []
    return sorted(Path(config["docs_dir"]).rglob("*.ipynb"))


def use_notebook_cache():
    """mkdocs-jupyter renders through convert.nb2html; hand it notebooks whose
    outputs come from this module instead of letting it execute them."""
    from mkdocs_jupyter import convert

    if getattr(convert.nb2html, "uses_notebook_cache", False):
        return
    render = convert.nb2html

    def nb2html(nb_path, execute=False, **options):
        if execute:
            nb_path = str(with_outputs(nb_path))
        return render(nb_path, execute=False, **options)

    nb2html.uses_notebook_cache = True
    convert.nb2html = nb2html


def page_content(html, page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    from docs_build import notebook_pages

    html = _NOTEBOOK_MATHJAX.sub("", html)
    html = _NOTEBOOK_STYLE.sub("", html)
    return notebook_pages.lean(html, page, config, files)


def write_downloads(config):
    """Replace each notebook mkdocs-jupyter copied into the site (the page's
    download button) with a copy that carries the snippets it imports."""
    site = Path(config["site_dir"])
    for source in sorted(Path(config["docs_dir"]).rglob("*.ipynb")):
        for copied in site.rglob(source.name):
            nbformat.write(portable(source, config.get("site_url")), copied)
