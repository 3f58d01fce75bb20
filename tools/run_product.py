"""Run a figure or table snippet and save what it makes.

Usage: python tools/run_product.py SNIPPET.py OUTPUT

- fig_*.py: the snippet draws with matplotlib and calls plt.show(); here
  show() saves the current figure to OUTPUT as SVG instead (deterministic:
  no date, fixed element ids).
- table_*.py: the snippet prints a CSV; its stdout is saved to OUTPUT.

The snippet runs as __main__ in a fresh interpreter, as a reader would run it.
"""

import contextlib
import io
import os
import runpy
import sys


def main(snippet, output):
    snippet = os.path.abspath(snippet)
    sys.argv = [snippet]
    sys.path[0] = os.path.dirname(snippet)  # the snippet's folder in place of this tool's
    if os.path.basename(snippet).startswith("fig_"):
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        plt.rcParams["svg.hashsalt"] = "neural-networks-proven"
        plt.rcParams["svg.fonttype"] = "path"  # text as paths: no font needed by the reader
        shown = []

        def save_instead_of_show(*args, **kwargs):
            figure = plt.gcf()
            figure.savefig(output, format="svg", bbox_inches="tight", metadata={"Date": None})
            shown.append(figure)

        plt.show = save_instead_of_show
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(snippet, run_name="__main__")
        if not shown:
            sys.exit(f"{snippet}: a figure snippet must end with plt.show()")
    else:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            runpy.run_path(snippet, run_name="__main__")
        with open(output, "w", encoding="utf-8") as f:
            f.write(buffer.getvalue())


if __name__ == "__main__":
    main(*sys.argv[1:])
