"""The HTML of notebook pages: mkdocs-jupyter renders them through nbconvert, with the
site's nbconvert configuration and template in docs_build/nbconvert/.

    jupyter_nbconvert_config.py                 which template; Material's code blocks; the
                                                heading anchors
    notebook_page/conf.json                     the template's preprocessors (merged prints,
                                                no inlined CSS)
    notebook_page/mkdocs_html/notebook.html.j2  the page: Markdown cells, code cells, outputs

(The folder is not called "site": .gitignore leaves out every site/, the build's output.)

use_site_config() points nbconvert at that folder; nothing of mkdocs-jupyter or nbconvert
is patched.
"""

import os
from pathlib import Path

from nbconvert.preprocessors import Preprocessor

CONFIG_DIR = Path(__file__).resolve().parent / "nbconvert"


def use_site_config():
    """Let the NbConvertApp that mkdocs-jupyter creates for each page load
    CONFIG_DIR/jupyter_nbconvert_config.py (a user's own ~/.jupyter config still applies)."""
    paths = [p for p in os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    if str(CONFIG_DIR) not in paths:
        os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(CONFIG_DIR), *paths])


class NoInlinedCss(Preprocessor):
    """mkdocs-jupyter appends resources["inlining"]["css"] to every notebook page in a
    <style> element. nbconvert's lab template fills it with Pygments CSS for its own
    markup; this site's template uses Material's code blocks, which Material styles,
    so it fills it with nothing."""

    def preprocess(self, nb, resources):
        resources["inlining"] = {"css": ""}
        return nb, resources
