# nbconvert's configuration for the site's notebook pages.
#
# mkdocs-jupyter renders each notebook with nbconvert's HTMLExporter, made from the
# configuration NbConvertApp.load_config_file() finds. docs_build/hooks.py (on_config) puts
# this folder on JUPYTER_CONFIG_PATH, so that call finds this file; nothing in ~/.jupyter is
# touched. mkdocs-jupyter then asks for the template file mkdocs_html/notebook.html.j2, and the
# template named "notebook_page" in this folder has one: nbconvert searches the folders of the
# template's name (below) before mkdocs-jupyter's own templates.
from pathlib import Path

c = get_config()  # noqa: F821 (traitlets provides it)

c.HTMLExporter.extra_template_basedirs = [str(Path(__file__).resolve().parent)]
c.HTMLExporter.template_name = "notebook_page"

# Code cells as Material's code blocks, <pre><code> holding Pygments' token classes.
c.Highlight2HTML.extra_formatter_options = {"wrapcode": True}
