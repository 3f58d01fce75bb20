"""The print page (mkdocs-print-site-plugin) with one table of contents and in-page
links that arrive.

glightbox hands on each page's content as a whole document, <html><head></head><body>
... </body></html> (its HTML parser's output). A page's own template nests it harmlessly,
but the print page puts its script before every </head>: 16 scripts, 16 tables of
contents. unwrap() gives the print page each page's body alone.

The plugin puts every page in a <section id="<page>"> and prefixes each in-page link
with the page: href="#batch" on the glossary becomes href="#glossary-batch". It renames
the ids to match only where its pattern finds them, headings mostly, so a page's own h1,
a footnote reference and a glossary entry's <span id> keep their old ids. Here each such
id is renamed within its page's section, which is what the plugin means to do. A claim
mark links to its page's "Verified claims" box, which the print page does not hold, so
there it is a mark without a link. A link that still arrives nowhere fails the build.
"""

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

_SECTION = re.compile(r"<section class=['\"]print-page[^'\"]*['\"] id=['\"]([^'\"]+)['\"]")
_ID = re.compile(r"\sid=[\"']([^\"']+)[\"']")
_CLAIM_MARK = re.compile(r'<a [^>]*class="claim__mark"[^>]*>')
_WRAPPER = ("<html><head></head><body>", "</body></html>")


def unwrap(page):
    """The content print-site keeps of page (page.html, on_page_content), without the wrapper."""
    html = getattr(page, "html", None)
    if html and html.startswith(_WRAPPER[0]) and html.endswith(_WRAPPER[1]):
        page.html = html[len(_WRAPPER[0]):-len(_WRAPPER[1])]


def mend(site_dir):
    path = Path(site_dir) / "print_page" / "index.html"
    if not path.exists():
        return
    text = _CLAIM_MARK.sub(lambda m: re.sub(r' href="#[^"]*"', "", m.group(0)), path.read_text(encoding="utf-8"))
    ids = set(_ID.findall(text))
    unarrived = set(re.findall(r'href="#([^"]+)"', text)) - ids
    # The page from each section's start to the next section's start, renamed in turn.
    cuts = [m.start() for m in _SECTION.finditer(text)]
    parts = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
    for number, part in enumerate(parts):
        page = _SECTION.match(part)
        prefix = page.group(1) + "-" if page else None
        for target in sorted(t for t in unarrived if prefix and t.startswith(prefix)):
            old = f' id="{target.removeprefix(prefix)}"'
            if old in part:
                part = part.replace(old, f' id="{target}"', 1)
                ids.add(target)
        parts[number] = part
    missing = sorted(unarrived - ids)
    if missing:
        raise PluginError(f"print_page/index.html: in-page links that arrive nowhere: {missing[:10]}")
    path.write_text("".join(parts), encoding="utf-8")
