"""MkDocs hooks: self-hosted KaTeX, lean notebook pages, clear build errors."""

import logging
import re
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
KATEX_FILES = ["katex.min.js", "katex.min.css", "contrib/auto-render.min.js", "fonts"]

log = logging.getLogger("mkdocs.hooks.site")

# What nbconvert puts in every notebook page that this site serves itself or not at all:
# ~600 KB of JupyterLab CSS (the site's notebook.css replaces it) and a MathJax
# loader pointing at a CDN (KaTeX renders notebook math instead).
_NOTEBOOK_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)
_NOTEBOOK_MATHJAX = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S
)


def on_config(config):
    missing = [name for name in KATEX_FILES if not (KATEX_DIST / name).exists()]
    if missing:
        raise PluginError(
            f"KaTeX is not installed ({KATEX_DIST / missing[0]} is missing). "
            "Run `make setup` (it runs `npm ci`) before building."
        )
    return config


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        html = _NOTEBOOK_MATHJAX.sub("", html)
        html = _NOTEBOOK_STYLE.sub("", html)
    return html


def on_post_build(config):
    target = Path(config["site_dir"]) / "assets" / "vendor" / "katex"
    for name in KATEX_FILES:
        source, dest = KATEX_DIST / name, target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest)
    log.info("Copied KaTeX from node_modules into %s", target)
