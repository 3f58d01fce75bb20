"""The site's build hooks with one part switched off, for the comparison builds of
benchmarks/bench_pages.py. BENCH_VARIANT picks which:

- mathjax-recipe, client-katex: no build-time math; the pages load Material's
  documented MathJax recipe, or KaTeX and its auto-render, instead (the benchmark sets
  extra_javascript);
- default-notebooks: notebook pages as mkdocs-jupyter makes them (JupyterLab CSS and
  a MathJax loader inlined, figures as base64, prompts, its own copy widget).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.site_hooks import *  # noqa: E402,F401,F403  (every other hook stays as it is)

VARIANT = os.environ.get("BENCH_VARIANT")

if VARIANT in ("mathjax-recipe", "client-katex"):

    def on_page_context(context, page, config, nav):
        return context

elif VARIANT == "default-notebooks":

    def on_page_content(html, page, config, files):
        return html

else:
    raise RuntimeError(f"BENCH_VARIANT must be mathjax-recipe, client-katex or default-notebooks, not {VARIANT!r}")
