"""Each page's "last updated" date: the date of the last commit that changed its source
file (a notebook page's is its text source, docs/<name>.py). Material shows it under
the page (page.meta.revision_date).

The date comes from git, not from the plugin mkdocs-git-revision-date-localized: that
plugin dates the file MkDocs renders, and a notebook page renders an executed .ipynb in
.cache/, which git does not track; it gave those pages the build's own time. A file git
does not know (a new page not yet committed, or a copy of the project that is not a
clone) gets no date rather than a wrong one. GitHub's workflow checks out the whole
history (fetch-depth: 0); a shallow clone would date every page by its one commit."""

import datetime
import subprocess
from pathlib import Path


def last_commit(path):
    """The date of the last commit that changed path, or None."""
    proc = subprocess.run(["git", "log", "-1", "--format=%cs", "--", Path(path).name], cwd=Path(path).parent,
                          capture_output=True, text=True)
    return datetime.date.fromisoformat(proc.stdout.strip()) if proc.returncode == 0 and proc.stdout.strip() else None


def source(page, config):
    """The file under docs/ the page is written in."""
    path = Path(config["docs_dir"]) / page.file.src_uri
    return path.with_suffix(".py") if path.suffix == ".ipynb" else path


def add_date(page, config):
    date = last_commit(source(page, config))
    if date:
        page.meta["revision_date"] = f'<time datetime="{date.isoformat()}">{date.day} {date:%B %Y}</time>'
