"""The strict build passes, and the pages it writes hold together."""

import datetime
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from support import DOCS, GITHUB, ROOT, SITE_URL, built_path, nav_sources, source_file
pytestmark = pytest.mark.xdist_group("site")


class Page(HTMLParser):
    """Links, resources and ids of one built HTML page."""

    RESOURCE_ATTRS = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"),
                      ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src")}

    def __init__(self, text):
        super().__init__()
        self.links, self.resources, self.ids = [], [], set()
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for t, attr in self.RESOURCE_ATTRS:
            if tag == t and attrs.get(attr):
                if tag == "link" and attrs.get("rel") in ("canonical",):
                    continue
                self.resources.append(attrs[attr])


def html_pages(site):
    return sorted(site.rglob("*.html"))


def source_of(site, page):
    """'docs/neuron.md (neuron/index.html)' for a built page, to name the file to fix."""
    built = page.relative_to(site).as_posix()
    for source in nav_sources():
        if built_path(site, source) == page:
            return f"docs/{source} ({built})"
    return built


def test_every_page_in_docs_is_in_the_nav_and_built(built_site):
    sources = nav_sources()
    on_disk = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*") if p.suffix in (".md", ".py"))
    assert sorted(source_file(s).relative_to(DOCS).as_posix() for s in sources) == on_disk
    for source in sources:
        assert built_path(built_site, source).is_file(), source


def test_no_page_loads_anything_from_another_host(built_site):
    for page in html_pages(built_site):
        parsed = Page(page.read_text(encoding="utf-8"))
        remote = [r for r in parsed.resources if urlsplit(r).scheme in ("http", "https") or r.startswith("//")]
        local_site = [r for r in remote if r.startswith(SITE_URL)]
        assert remote == local_site, f"{source_of(built_site, page)} loads {remote}"
    for css in built_site.joinpath("assets").rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8", errors="replace"))
        assert not urls, f"{css.relative_to(built_site)} loads from another host"


def test_internal_links_and_anchors_resolve(built_site):
    ids = {}
    for page in html_pages(built_site):
        ids[page] = Page(page.read_text(encoding="utf-8")).ids
    for page in html_pages(built_site):
        if page.name == "404.html":
            continue  # its links are absolute to the site root, checked below
        for href in Page(page.read_text(encoding="utf-8")).links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("//", "mailto:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(built_site)} links to {href}"
            assert target.exists(), f"{where}: no such file"
            if parts.fragment and target.suffix == ".html":
                assert unquote(parts.fragment) in ids[target], f"{where}: no such anchor"


def test_404_page_links_to_every_nav_page(built_site):
    page = Page((built_site / "404.html").read_text(encoding="utf-8"))
    for source in nav_sources():
        stem = Path(source).with_suffix("").as_posix()
        expected = "/" if stem == "index" else f"/{stem}/"
        assert any(link.endswith(expected) for link in page.links), f"404 page lacks a link to {source}"


def test_math_is_typeset_by_the_site_katex_at_build_time(built_site):
    html = built_path(built_site, "xor-44.md").read_text(encoding="utf-8")
    assert html.count('class="arithmatex"') >= 10
    assert html.count('<span class="katex">') >= html.count('class="arithmatex"')
    assert "katex-error" not in html
    assert "assets/vendor/katex/katex.min.css" in html and "katex.min.js" not in html  # no math script
    assert any((built_site / "assets/vendor/katex/fonts").glob("*.woff2"))


def test_xor_page_shows_the_code_and_its_outputs(built_site):
    html = built_path(built_site, "xor-44.md").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    assert "def build_mlp" in text and "def train" in text
    assert "2-5-4-1" in text and "2-1-21-1" in text  # the enumeration's output
    assert "trainable parameters: 44" in text
    assert "--8&lt;--" not in html and "--8<--" not in text  # section markers never leak


def test_notebook_page_shows_executed_figures_and_no_traceback(built_site):
    html = built_path(built_site, "xor-44-training.ipynb").read_text(encoding="utf-8")
    figures = re.findall(r'<img [^>]*src="(figure-\w+\.png)"', html)  # written beside the page
    assert len(figures) >= 2 and all((built_site / "xor-44-training" / f).is_file() for f in figures)
    assert "rounds to XOR in" in html  # what the cells printed
    assert "Traceback" not in html
    assert (built_site / "xor-44-training" / "xor-44-training.ipynb").is_file()  # download
    # the rest of the page's markup: tests/pipeline/test_notebooks.py


# A section marker of snippets/ (# --8<-- [start:name]), not code that slices with [start:...].
MARKER = re.compile(r"--8(?:<|&lt;)--\s*\[(?:start|end):[\w-]+\]")


def test_snippet_markers_never_reach_a_page(built_site):
    for page in html_pages(built_site):
        marker = MARKER.search(page.read_text(encoding="utf-8"))
        assert not marker, f"{page}: {marker[0]}"


def test_the_marker_pattern_finds_markers_not_slices():
    assert MARKER.search("# --8&lt;-- [start:forward]") and MARKER.search("# --8<-- [end:by_hand]")
    assert not MARKER.search("four[start:start + 6]") and not MARKER.search("x[start:end]")


def test_every_glossary_term_links_to_the_page_that_explains_it(built_site):
    html = built_path(built_site, "glossary.md").read_text(encoding="utf-8")
    definitions = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    assert len(definitions) == html.count("<dt") >= 18  # every term, whatever its attributes
    for term, definition in definitions:
        links = [h for h in Page(definition).links if not h.startswith("#")]
        assert links, f"glossary term {term!r} links to no page"
    # the links themselves (pages and anchors) are checked by test_internal_links_and_anchors_resolve


def test_every_curriculum_page_is_reachable_from_the_landing_page(built_site):
    links = Page(built_path(built_site, "index.md").read_text(encoding="utf-8")).links
    for source in nav_sources():
        if source == "index.md" or source.endswith(".ipynb"):
            continue  # notebooks are reached from their pages
        stem = Path(source).with_suffix("").as_posix()
        assert any(urlsplit(link).path.rstrip("/").endswith(stem) for link in links), source


def test_every_published_csv_equals_the_table_on_its_page(built_site):
    import csv
    import html as html_lib

    csvs = sorted(built_site.glob("tables/**/*.csv"))
    assert csvs
    pages = {p: p.read_text(encoding="utf-8") for p in html_pages(built_site)}
    for path in csvs:
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
        name = path.name
        page = next((p for p, text in pages.items() if f'download="{name}"' in text), None)
        assert page, f"no page offers {name} for download"
        text = pages[page]
        link = text.index(f'download="{name}"')
        table = text[text.rfind("<table>", 0, link):text.rfind("</table>", 0, link)]
        cells = [
            [html_lib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
        ]
        assert cells == rows, f"{page.relative_to(built_site)}: the table differs from {name}"


def test_every_page_links_to_its_source_on_the_repository(built_site):
    """Built as GitHub's workflow builds (support.GITHUB), every page has an edit button
    and a view-source button for the file it is made from, which exists on that path; a
    notebook page's is its text source. The header links to the repository, and nothing
    asks api.github.com for its stars (overrides/partials/source.html)."""
    repository = f"{GITHUB['GITHUB_SERVER_URL']}/{GITHUB['GITHUB_REPOSITORY']}"
    branch = GITHUB["GITHUB_REF_NAME"]
    for source in nav_sources():
        path = source_file(source).relative_to(ROOT).as_posix()
        text = built_path(built_site, source).read_text(encoding="utf-8")
        where = f"docs/{source}"
        assert (ROOT / path).is_file(), where
        assert re.search(rf'<a href="{re.escape(f"{repository}/edit/{branch}/{path}")}"[^>]*rel="edit"', text), \
            f"{where}: no edit button for {path}"
        assert f'href="{repository}/raw/{branch}/{path}"' in text, f"{where}: no view-source button for {path}"
        assert f'<a href="{repository}" title' in text and 'data-md-component="source"' not in text, where


def test_a_local_build_has_no_repository_links(monkeypatch):
    """Without GitHub's variables, docs_build/repository.py leaves the repository unknown,
    so MkDocs gives no page an edit URL and Material shows no repository link."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page as MkDocsPage

    from docs_build import repository
    for name in repository.NAMES:
        monkeypatch.delenv(name, raising=False)
    config = load_config(str(ROOT / "mkdocs.yml"))
    repository.configure(config)
    assert config["repo_url"] is None and config["edit_uri"] is None
    page = MkDocsPage(None, File("neuron.md", str(DOCS), "/tmp/site", True), config)
    assert page.edit_url is None
    assert config["extra"]["colab"] is None
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")  # one of three is not enough
    repository.configure(config)
    assert config["repo_url"] is None and config["extra"]["colab"] is None


def test_every_page_shows_when_its_source_last_changed(built_site):
    """Under each page, Material's last-updated fact holds the date of the last commit
    that changed the page's source (a notebook page's: its text source, docs/<name>.py)."""
    from docs_build import revision

    for source in nav_sources():
        text = built_path(built_site, source).read_text(encoding="utf-8")
        dates = re.findall(r'<aside class="md-source-file">.*?<time datetime="([\d-]+)">', text, re.S)
        assert dates == [revision.last_commit(source_file(source)).isoformat()], f"docs/{source}: last updated {dates}"


def test_the_date_is_the_last_commit_that_changed_the_file(tmp_path):
    """docs_build/revision.py: a later commit to another file does not move a page's date,
    and a file git does not know gets no date (never the build's own)."""
    from docs_build import revision

    def commit(name, date):
        (tmp_path / name).write_text(date, encoding="utf-8")
        env = {**os.environ, "GIT_AUTHOR_DATE": f"{date}T12:00:00Z", "GIT_COMMITTER_DATE": f"{date}T12:00:00Z",
               "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@example.org"}
        for args in (["add", name], ["commit", "-q", "-m", name]):
            subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True)

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    commit("page.md", "2024-03-05")
    commit("other.md", "2025-07-01")
    (tmp_path / "new.md").write_text("not committed", encoding="utf-8")
    assert revision.last_commit(tmp_path / "page.md") == datetime.date(2024, 3, 5)
    assert revision.last_commit(tmp_path / "new.md") is None
    assert revision.last_commit(Path("/") / "no-repository-here.md") is None


def test_every_figure_opens_enlarged_and_keeps_its_alt_text(built_site):
    """mkdocs-glightbox wraps each figure of a page, notebook figures too, in a link to
    the figure's own file; the figure keeps its alt text (tests/browser/test_figures.py opens one)."""
    figures = 0
    for source in nav_sources():
        article = built_path(built_site, source).read_text(encoding="utf-8").split("<article", 1)[1]
        for link, img in re.findall(r'(<a class="glightbox"[^>]*>)?\s*(<img [^>]*>)', article):
            where = f"docs/{source}: {img[:120]}"
            src, alt = re.search(r'src="([^"]+)"', img)[1], re.search(r'alt="([^"]*)"', img)
            assert link and re.search(r'href="([^"]+)"', link)[1] == src, f"{where}: no zoom link to its file"
            assert alt and alt[1].strip(), f"{where}: no alt text"
            figures += 1
    assert figures >= len([s for s in nav_sources() if s.endswith(".ipynb")]), figures


def test_every_notebook_page_opens_in_colab_and_no_other_page_does(built_site):
    """A notebook page's Colab button opens <name>.ipynb on the branch the workflow publishes
    the standalone notebooks to: the file the build writes as site/<name>/<name>.ipynb, the
    download (tests/repo/test_workflow.py checks the publishing)."""
    from docs_build import repository

    colab = f"https://colab.research.google.com/github/{GITHUB['GITHUB_REPOSITORY']}/blob/{repository.NOTEBOOKS}/"
    for source in nav_sources():
        links = re.findall(r'<a href="([^"]*)" title="Open in Colab"',
                           built_path(built_site, source).read_text(encoding="utf-8"))
        stem = Path(source).stem
        if source.endswith(".ipynb"):
            assert links == [f"{colab}{stem}.ipynb"], f"docs/{source}: {links}"
            assert (built_site / stem / f"{stem}.ipynb").is_file(), f"docs/{source}: no standalone notebook"
        else:
            assert not links, f"docs/{source}: {links}"


def test_the_print_page_links_arrive_or_the_build_fails(tmp_path):
    """docs_build/print_page.py renames within a page's section the ids the plugin left
    unprefixed, takes the link off claim marks (the print page has no "Verified claims"
    box), and refuses a link that still arrives nowhere. (That every link of the built
    print page arrives: test_internal_links_and_anchors_resolve.)"""
    from mkdocs.exceptions import PluginError

    from docs_build import print_page

    page = tmp_path / "print_page" / "index.html"
    page.parent.mkdir()
    page.write_text('<section class="print-page" id="loss"><h1 id="loss-functions">Loss'
                    '<a class="headerlink" href="#loss-loss-functions">¶</a></h1><a class="claim__mark" '
                    'href="#loss-verified-claims" title="t"></a></section>'
                    '<section class="print-page" id="glossary"><span id="functions"></span></section>', encoding="utf-8")
    print_page.mend(tmp_path)
    text = page.read_text(encoding="utf-8")
    assert '<h1 id="loss-loss-functions">' in text and '<span id="functions">' in text, text
    assert '<a class="claim__mark" title="t">' in text, text
    page.write_text(page.read_text(encoding="utf-8") + '<a href="#glossary-nowhere">x</a>', encoding="utf-8")
    with pytest.raises(PluginError, match=r"print_page/index.html: .*glossary-nowhere"):
        print_page.mend(tmp_path)
