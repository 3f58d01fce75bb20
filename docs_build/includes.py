"""Name the page, line and snippet file when a `--8<--` include cannot be resolved
(pymdownx.snippets alone names neither the snippet file nor the line)."""

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

SNIPPETS = Path(__file__).resolve().parent.parent / "snippets"
# An include line: --8<-- "file" or "file:section" (anything after the first colon is the section).
INCLUDE = re.compile(r'^[ \t]*-{1,}8<-{1,}[ \t]+"(?P<file>[^":]+)(?::(?P<section>[^"]*))?"[ \t]*$', re.M)
_SECTION = re.compile(r"--8<-- \[start:([\w-]+)\]")


def check(markdown, page):
    for match in INCLUDE.finditer(markdown):
        where = f"docs/{page.file.src_uri}:{markdown.count(chr(10), 0, match.start()) + 1}"
        target, section = match["file"], match["section"]
        path = SNIPPETS / target
        if not path.is_file():
            raise PluginError(f"{where}: includes snippets/{target}, which does not exist")
        if not section:
            continue
        if not re.fullmatch(r"[\w-]+", section):
            raise PluginError(f"{where}: include snippets by section name, never by line numbers")
        sections = _SECTION.findall(path.read_text(encoding="utf-8"))
        if section not in sections:
            raise PluginError(f"{where}: snippets/{target} has no section '{section}' "
                              f"(its sections: {', '.join(sections) or 'none'})")
