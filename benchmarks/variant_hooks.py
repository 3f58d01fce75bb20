"""The site's build hooks with one part switched off, for the comparison builds of
benchmarks/bench_pages.py. BENCH_VARIANT picks which:

- mathjax-recipe, client-katex: no build-time math; the pages load Material's
  documented MathJax recipe, or KaTeX and its auto-render, instead (the benchmark sets
  extra_javascript);
- default-notebooks: notebook pages as mkdocs-jupyter makes them: nbconvert without the
  site's configuration and template (docs_build/nbconvert), so JupyterLab CSS and a
  MathJax loader inlined, figures as base64, prompts, its own copy widget.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docs_build.hooks import *  # noqa: E402,F401,F403  (every other hook stays as it is)
from docs_build import katex, notebooks  # noqa: E402

VARIANT = os.environ.get("BENCH_VARIANT")

if VARIANT in ("mathjax-recipe", "client-katex"):

    def on_post_build(config):  # no build-time math; the rest as the site does it
        katex.copy_assets(config["site_dir"])
        notebooks.write_downloads(config)

elif VARIANT == "default-notebooks":

    def on_config(config):  # the site's on_config, without pointing nbconvert at its template
        katex.check_installed()
        return config

else:
    raise RuntimeError(f"BENCH_VARIANT must be mathjax-recipe, client-katex or default-notebooks, not {VARIANT!r}")
