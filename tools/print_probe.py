"""Run a snippet as __main__ and record what each of its statements prints.

Usage: python tools/print_probe.py SNIPPET.py RECORD.json

The snippet runs exactly as a reader would run it (fresh interpreter, its own
folder first on sys.path, cwd unchanged); the only difference is that
`print` also notes which line of the snippet was executing when it was called.
"""

import builtins
import io
import json
import os
import runpy
import sys


def main(snippet, record_path):
    snippet = os.path.abspath(snippet)
    records = []  # [line of the snippet's module-level frame, text printed]
    real_print = builtins.print

    def probing_print(*args, **kwargs):
        if kwargs.get("file") not in (None, sys.stdout):
            return real_print(*args, **kwargs)
        buffer = io.StringIO()
        real_print(*args, **{**kwargs, "file": buffer})
        text = buffer.getvalue()
        sys.stdout.write(text)
        if kwargs.get("flush"):
            sys.stdout.flush()
        frame = sys._getframe(1)
        while frame is not None and not (
            frame.f_code.co_filename == snippet and frame.f_code.co_name == "<module>"
        ):
            frame = frame.f_back
        records.append([frame.f_lineno if frame else None, text])

    builtins.print = probing_print
    sys.argv = [snippet]
    sys.path[0] = os.path.dirname(snippet)  # the snippet's folder in place of this tool's
    try:
        runpy.run_path(snippet, run_name="__main__")
    finally:
        sys.stdout.flush()
        with open(record_path, "w", encoding="utf-8") as f:
            json.dump(records, f)


if __name__ == "__main__":
    main(*sys.argv[1:])
