"""Execute the notebooks for the build, cached by everything their outputs depend on,
and hand them to mkdocs-jupyter to render.

A notebook's one source is a jupytext percent file, docs/<name>.py: Markdown cells are
`# %% [markdown]` comments, code cells run top to bottom with `cd docs && python <name>.py`,
and a figure cell carries its alt text in its header (`# %% alt="..."`).

A notebook is executed as its copy buttons copy it (docs_build/copies.py): with the
snippet modules it imports written into its code, in an empty folder. So the outputs
its page shows are what each copied program prints.

The cache key of a notebook covers its code cells (not its Markdown cells), the
kernel, every snippet module it imports from snippets/, this file, copies.py and the
pinned dependency set. So:

- editing only prose re-executes nothing: the cached outputs are put back into
  the notebook as it is now, Markdown and all;
- editing a snippet a notebook imports re-executes exactly the notebooks that
  import it;
- a cell that raises fails the build with the notebook's path and the cell.

The executed notebook is .cache/notebooks/<key>/<name>.ipynb, its figures PNG files beside
it. on_files puts that notebook in the place of the source, so mkdocs-jupyter renders a
notebook that already carries its outputs (it executes nothing) and offers it for download
as <name>.ipynb; on_post_build replaces that download with one that runs on its own.
"""

import ast
import base64
import hashlib
import os
import posixpath
import re
import struct
import tempfile
from pathlib import Path

import jupytext
import nbformat
from mkdocs.structure.files import File
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from docs_build import claims, copies, reproducible

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
CACHE = ROOT / ".cache" / "notebooks"
KERNEL = "python3"
# What docs_build/nbconvert/notebook_page renders: anything else would vanish from the page.
RENDERED = {"stream", "text/plain", "image/png"}
_SNIPPET_DIR = re.compile(r"snippets/([\w/]+)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class NotebookError(Exception):
    """A notebook cannot be executed or rendered; the message names the file and the cell."""


def _rel(path):
    path = Path(path).resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def read(path):
    """The notebook of a text source, with cell ids that do not change between reads."""
    nb = jupytext.read(path)
    nb.metadata.pop("jupytext", None)  # how the text was written, not part of the notebook
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"
    return nb


def _code(nb):
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def imported_modules(sources):
    """The top-level modules the Python sources import (absolute imports only)."""
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
    folders = sorted({m.strip("/") for s in sources for m in _SNIPPET_DIR.findall(s)})
    paths = (SNIPPETS / folder / f"{name}.py" for folder in folders for name in sorted(imported_modules(sources)))
    return [path for path in paths if path.is_file()]


def copied_cells(nb):
    """The notebook's code cells as their copy buttons hold them (docs_build/copies.py)."""
    return copies.notebook_cells(_code(nb), {path.stem: path for path in dependencies(nb)})


def cache_key(nb):
    digest = hashlib.sha256()
    parts = [KERNEL, *_code(nb)]
    for path in [*dependencies(nb), Path(__file__), Path(copies.__file__), ROOT / "requirements.txt"]:
        parts += [_rel(path), path.read_text(encoding="utf-8")]
    for part in parts:
        digest.update(hashlib.sha256(part.encode()).digest())
    return digest.hexdigest()[:24]


def _cached(path, nb):
    return CACHE / cache_key(nb) / f"{Path(path).stem}.ipynb"


def _write(nb, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    nbformat.write(nb, partial)
    partial.replace(target)


def execute(path):
    """Execute the notebook of the source at path unless its outputs are cached;
    return True if it ran."""
    nb = read(path)
    cached = _cached(path, nb)
    if cached.exists():
        return False
    # It runs as its copy buttons copy it, in an empty folder: each cell's output on
    # the page is then what that cell's copy prints (executed() puts back the cells).
    try:
        copied = copied_cells(nb)
    except ImportError as error:
        raise NotebookError(f"{_rel(path)}: {error}") from None
    for cell, code in zip((c for c in nb.cells if c.cell_type == "code"), copied):
        cell.source = code
    try:
        with tempfile.TemporaryDirectory() as folder:
            client = NotebookClient(nb, kernel_name=KERNEL, timeout=600, allow_errors=False,
                                    resources={"metadata": {"path": folder}})
            # The kernel draws inline; an MPLBACKEND such as Agg in the caller's
            # environment would silently drop every figure from the page.
            env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
            client.execute(env={**env, **reproducible.ENV})  # the same digits as the snippets
    except CellExecutionError as error:
        index = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(
            o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        message = _ANSI.sub("", str(error))  # the kernel colours its traceback
        raise NotebookError(f"{_rel(path)}: cell {index} raised while executing (as its copy button "
                            f"copies it, docs_build/copies.py):\n{message}") from None
    _save_figures(nb, cached.parent)
    _write(nb, cached)
    return True


def _save_figures(nb, folder):
    """Write each PNG a cell drew beside the executed notebook, named by its content,
    and record the name and size in the output's metadata for the page's <img>."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                data = base64.b64decode(output.data["image/png"])
                name = f"figure-{hashlib.sha256(data).hexdigest()[:12]}.png"
                folder.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(data)
                width, height = struct.unpack(">II", data[16:24])  # the PNG's IHDR chunk
                output.metadata["figure"] = {"src": name, "width": width, "height": height}


def executed(path):
    """The notebook of the source at path with the outputs of its cached execution,
    as the build last rendered it (execute(path) must have run)."""
    nb = read(path)
    cached = _cached(path, nb)
    if not cached.exists():
        raise NotebookError(f"{_rel(path)} has not been executed with its current code (build the site)")
    run = nbformat.read(cached, as_version=4)
    nb.metadata = run.metadata  # with the language_info the kernel reported
    for cell, ran in zip((c for c in nb.cells if c.cell_type == "code"),
                         (c for c in run.cells if c.cell_type == "code")):
        cell.outputs, cell.execution_count = ran.outputs, ran.execution_count
    return nb


def _check_outputs(path, nb):
    """Every output is one the page can show, and every figure has its alt text."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "execute_result":
                raise NotebookError(f"{_rel(path)}: cell {index} shows the value of its last line; print it, "
                                    "so that the cell's copy, run by python as a script, prints it too")
            kinds = {"stream"} if output.output_type == "stream" else set(output.get("data", {}))
            if kinds - RENDERED:
                raise NotebookError(f"{_rel(path)}: cell {index} outputs {sorted(kinds - RENDERED)}, "
                                    "which docs_build/nbconvert/notebook_page does not render")
            if "image/png" in kinds and not cell.metadata.get("alt", "").strip():
                raise NotebookError(f'{_rel(path)}: cell {index} draws a figure but has no alt text; '
                                    'write what it shows in its header: # %% alt="..."')


def rendered(path, execute=True):
    """The .ipynb mkdocs-jupyter renders for the source at path: the notebook as it is
    now with its cached outputs (execute=True), or without outputs (a quick preview)."""
    if not execute:
        target = CACHE / "preview" / f"{Path(path).stem}.ipynb"
        _write(read(path), target)
        return target
    nb = executed(path)
    _check_outputs(path, nb)
    target = _cached(path, nb)
    if nbformat.read(target, as_version=4) != nb:  # the prose changed since it ran
        _write(nb, target)
    return target


def sources(config):
    """The notebooks of the site: each .py file in docs/ is one."""
    return sorted(Path(config["docs_dir"]).glob("*.py"))


def add(paths, files, config, execute=True):
    """Put each notebook to render, <name>.ipynb, and its figures in the place of its
    text source, docs/<name>.py (the nav names the page <name>.ipynb)."""
    for path in paths:
        notebook = rendered(path, execute)
        files.remove(files.get_file_from_path(path.name))
        # A file of the cache's folder, as if it were in docs/: mkdocs-jupyter's wrapper
        # reads a notebook through its folder and name, not a generated file's path.
        files.append(File(notebook.name, src_dir=str(notebook.parent), dest_dir=config["site_dir"],
                          use_directory_urls=config["use_directory_urls"]))
        # Figures sit beside the page, where its <img src="figure-....png"> finds them.
        folder = path.stem if config["use_directory_urls"] else ""
        for figure in sorted(notebook.parent.glob("figure-*.png")):  # the cache folder holds this notebook alone
            files.append(File.generated(config, posixpath.join(folder, figure.name), abs_src_path=str(figure)))


def portable(nb, site_url=None):
    """The notebook as readers download it: it carries the snippet files it
    imports, written beside it by %%writefile cells before its first code cell,
    so it runs on its own (in Jupyter, or uploaded to Colab) with no clone of
    the repository. Made at build time from the text source: never committed."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = claims.plain(cell.source)  # the text of claims, without the macro calls
            if site_url:  # links relative to the notebook's page would break in a download
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
    cells += [nbformat.v4.new_code_cell(f"%%writefile {file.name}\n{file.read_text(encoding='utf-8')}") for file in files]
    nb.cells[first_code:first_code] = cells
    for index, cell in enumerate(nb.cells):  # nbformat's ids are random: keep downloads reproducible
        cell["id"] = f"cell-{index}"
    return nb


def write_downloads(config):
    """Replace the notebook mkdocs-jupyter copied beside each notebook page (its
    download button) with one that carries the snippets it imports."""
    site = Path(config["site_dir"])
    for path in sources(config):
        folder = site / path.stem if config["use_directory_urls"] else site
        nbformat.write(portable(read(path), config.get("site_url")), folder / f"{path.stem}.ipynb")
