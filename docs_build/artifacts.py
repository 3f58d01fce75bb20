"""Figures and tables made by snippets at build time, cached by content.

- snippets/<topic>/fig_<name>.py draws one matplotlib figure and calls plt.show();
  the site gets figures/<topic>/fig_<name>.svg.
- snippets/<topic>/table_<name>.py prints a CSV; the site gets
  tables/<topic>/table_<name>.csv, and a page line `<!-- table: <topic>/table_<name> -->`
  becomes that table in Markdown, with a download link.

Each runs as a reader would (docs_build/runner.py). The cache key is the snippet's
own text (snippets import no siblings), the runner and the lock.
"""

import csv
import hashlib
import html
import io
import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from docs_build import runner

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
CACHE = ROOT / ".cache" / "artifacts"
_TABLE_MARKER = re.compile(r"^<!-- table: ([\w/]+) -->$", re.M)


def snippets():
    return sorted(p for p in SNIPPETS.rglob("*.py") if p.name.startswith(("fig_", "table_")))


def site_path(snippet):
    topic = snippet.parent.relative_to(SNIPPETS).as_posix()
    if snippet.name.startswith("fig_"):
        return f"figures/{topic}/{snippet.stem}.svg"
    return f"tables/{topic}/{snippet.stem}.csv"


def _cache_key(snippet):
    digest = hashlib.sha256()
    for path in (snippet, Path(runner.__file__), ROOT / "requirements.txt"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def make(snippet):
    """Run the snippet unless its output is cached; return (site path, cached file)."""
    target = site_path(snippet)
    cached = CACHE / f"{_cache_key(snippet)}{Path(target).suffix}"
    if not cached.exists():
        figure = snippet.name.startswith("fig_")
        result = runner.run(snippet, mode="figure" if figure else "stdout")
        if result.returncode != 0:
            raise PluginError(f"{snippet.relative_to(ROOT)}: failed while making {target}:\n{result.stderr[-3000:]}")
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        partial.write_bytes(result.figure if figure else result.stdout.encode("utf-8"))
        partial.replace(cached)
    return target, cached


def add(made, files, config):
    """Add the made (site path, cached file) pairs to the site's files."""
    for target, cached in made:
        files.append(File.generated(config, target, abs_src_path=str(cached)))


def insert_tables(markdown, page, files):
    """Replace each `<!-- table: <topic>/table_<name> -->` line by the table and a download link."""

    def replace(match):
        target = f"tables/{match.group(1)}.csv"
        file = files.get_file_from_path(target)
        if file is None:
            line = markdown.count("\n", 0, match.start()) + 1
            raise PluginError(f"docs/{page.file.src_uri}:{line}: no table snippet makes {target} "
                              f"(expected snippets/{match.group(1)}.py)")
        table = markdown_table(Path(file.abs_src_path).read_text(encoding="utf-8"))
        link = posixpath.relpath(target, posixpath.dirname(page.file.src_uri) or ".")
        name = posixpath.basename(target)
        return f'{table}\n\n[:material-download: Download `{name}`]({link}){{ download="{name}" }}'

    return _TABLE_MARKER.sub(replace, markdown)


def _numeric(cell):
    try:
        float(cell)
    except ValueError:
        return False
    return True


def markdown_table(csv_text):
    """A CSV as a Markdown table; a column whose cells are all numbers is right-aligned."""
    header, *body = csv.reader(io.StringIO(csv_text))
    align = ["--:" if body and all(_numeric(r[i]) for r in body if i < len(r)) else ":--" for i in range(len(header))]
    # Cells are data, not Markdown: K7-C4*O7*N7 must not turn into italics.
    rows = [[re.sub(r"([\\`*_\[\]|])", r"\\\1", html.escape(cell, quote=False)) for cell in row] for row in [header, *body]]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in [rows[0], align, *rows[1:]])
