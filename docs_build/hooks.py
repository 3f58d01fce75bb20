"""The site's MkDocs hooks: when each job of the build runs. Each job is its own
module; this file keeps no state between events (what one event makes, the next
finds in MkDocs' own `files` and `site_dir`).

    on_config         KaTeX is installed; nbconvert uses the     katex.py,
                      site's notebook template; the repository   notebook_html.py,
                      links, from GitHub's variables             repository.py
    on_files          figures and tables made by snippets,       artifacts.py
                      notebooks executed, side by side (cached); notebooks.py
                      each executed notebook and its figures
                      take the place of its text source
                      every snippet is served for download       copies.py
    on_pre_page       a notebook page's edit link opens its      repository.py
                      text source
    on_page_markdown  includes resolve; table markers → tables;  includes.py, artifacts.py,
                      each code block's copy text and file link  copies.py
    on_page_content   the page as the print page takes it in     print_page.py
    on_page_context   the page's last-updated date, from git     revision.py
    on_post_build     math typeset in every page; KaTeX's CSS    katex.py
                      and fonts; the notebook downloads;         notebooks.py
                      the print page's in-page links mended      print_page.py

mkdocs-jupyter renders the notebook pages (after on_files, with execute: false).
"""

import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads this file by path, not as part of its package
    sys.path.insert(0, str(ROOT))

from docs_build import (artifacts, copies, includes, katex, notebook_html, notebooks, print_page,  # noqa: E402
                        repository, revision)


def on_config(config):
    katex.check_installed()
    notebook_html.use_site_config()
    repository.configure(config)
    return config


@event_priority(50)  # before mkdocs-jupyter takes the notebooks in
def on_files(files, config):
    """Execute stale notebooks and make figures and tables, all side by side on the
    cores. Notebooks go first: the slowest one sets the build's length."""
    paths = notebooks.sources(config)
    execute = config["extra"]["execute_notebooks"]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        executed = [pool.submit(notebooks.execute, path) for path in paths] if execute else []
        made = [pool.submit(artifacts.make, snippet) for snippet in artifacts.snippets()]
        try:
            for future in executed:
                future.result()
            notebooks.add(paths, files, config, execute)
        except notebooks.NotebookError as error:
            raise PluginError(str(error)) from None
        artifacts.add([future.result() for future in made], files, config)
    copies.add_files(files, config)
    return files


def on_pre_page(page, config, files):
    repository.edit_text_source(page)
    return page


def on_page_content(html, page, config, files):  # after the plugins': print-site has kept the page
    print_page.unwrap(page)
    return html


def on_page_context(context, page, config, nav):
    revision.add_date(page, config)
    return context


def on_page_markdown(markdown, page, config, files):
    includes.check(markdown, page)
    return copies.annotate(artifacts.insert_tables(markdown, page, files), page)


def on_post_build(config):
    katex.typeset_site(config["site_dir"], config["docs_dir"])
    katex.copy_assets(config["site_dir"])
    notebooks.write_downloads(config)
    print_page.mend(config["site_dir"])
