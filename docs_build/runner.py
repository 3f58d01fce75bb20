"""Run a file the way a reader would, `python file.py` in an empty folder, without
paying for `import torch` every time. Everything that runs a snippet as a reader
would (the `#>` checks, the build's figures and tables, the tests of page programs
and copied code) runs it here, under one rule:

- the working folder is a new empty temporary folder;
- `sys.path` is the file's own folder, then the installed packages: nothing of
  this repository's build code;
- the environment is this process's, plus ENV (a seed for str hashes, the
  figures' backend, and docs_build/reproducible.py's threads and kernels);
- stdin is empty, and the random generators start from fresh entropy.

    result = runner.run(path)                  # result.returncode, .stdout, .stderr
    result = runner.run(path, mode="prints")   # + .prints: [(line of the file, text printed)]
    result = runner.run(path, mode="figure")   # + .figure: the SVG plt.show() would have shown

Each file runs in a child of the standard library's forkserver: a server process
that imported torch, numpy and matplotlib once (`set_forkserver_preload`) and
forks one child per file. Why the standard library: on this 2-core machine
benchmarks/bench_runner.py measured 28.3 ms per script, against 30.7 ms for the
home-made fork server ("zygote", commit c115294) it replaced, in the same minute,
and about 1700 ms for a new interpreter. At the same speed the simpler code wins.

One habit of multiprocessing to know: a child first re-imports the parent's main
*script* as `__mp_main__` (never a `python -m` module such as pytest's or mkdocs'
`__main__`). So the Makefile runs `python -m mkdocs`, and a script that calls
run() guards its work with `if __name__ == "__main__":`.
"""

import builtins
import io
import json
import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from docs_build import reproducible

# numpy.random loads lazily, and its first use costs a child 10 ms: load it once, here.
PRELOAD = ["torch", "numpy", "numpy.random", "matplotlib", "matplotlib.pyplot"]
ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", **reproducible.ENV}
MODES = ("stdout", "prints", "figure")

_lock = threading.Lock()
_context = None


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
    prints: list = field(default_factory=list)
    figure: bytes = None


def _forkserver():
    global _context
    with _lock:
        if _context is None:
            os.environ.update(ENV)  # the server is started from this environment
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def run(path, mode="stdout", timeout=600):
    """Run the file at path as a reader would (see the module docstring); wait at most timeout s."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory() as cwd, tempfile.TemporaryDirectory() as results:
        out = Path(results)
        child = _forkserver().Process(target=_child, args=(str(path), mode, cwd, {**os.environ, **ENV}, results))
        child.start()
        child.join(timeout)
        if child.is_alive():
            child.kill()
            child.join()
            raise subprocess.TimeoutExpired([str(path)], timeout)
        read = lambda name: (out / name).read_text(encoding="utf-8", errors="replace") if (out / name).exists() else ""
        stderr = read("stderr")
        if child.exitcode < 0:  # no traceback to show: say what ended it
            stderr += f"\n{path.name} was ended by signal {-child.exitcode}\n"
        return Result(child.exitcode, read("stdout"), stderr,
                      prints=[tuple(r) for r in json.loads(read("prints") or "[]")],
                      figure=(out / "figure.svg").read_bytes() if (out / "figure.svg").exists() else None)


def _child(script, mode, cwd, env, results):
    """In the forked child: become a fresh run of script."""
    for fd, name, flags in ((0, os.devnull, os.O_RDONLY), (1, f"{results}/stdout", os.O_WRONLY | os.O_CREAT),
                            (2, f"{results}/stderr", os.O_WRONLY | os.O_CREAT)):
        os.dup2(os.open(name, flags), fd)
    sys.stdin = open(0, encoding="utf-8", closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.argv = [script]
    # As `python script.py` has it: the script's folder, then the installed packages.
    sys.path[:] = [os.path.dirname(script)] + [p for p in sys.path if p.startswith((sys.prefix, sys.base_prefix))]
    for name in [n for n in sys.modules if n.partition(".")[0] == __package__]:
        del sys.modules[name]  # the build code this child was started with: a script can't import it
    import random

    import numpy
    import torch

    # Fresh entropy, as a new interpreter would have: every child of one server
    # would otherwise draw the same "random" numbers, hiding an unseeded snippet.
    random.seed()
    numpy.random.seed()
    torch.seed()
    measured = _measure_coverage(script)
    prints = []
    if mode == "prints":
        _record_prints(script, prints)
    elif mode == "figure":
        _save_figure_on_show(f"{results}/figure.svg")
    try:
        runpy.run_path(script, run_name="__main__")
        if mode == "figure" and not os.path.exists(f"{results}/figure.svg"):
            sys.exit(f"{script}: a figure snippet must end with plt.show()")
    except SystemExit:
        raise  # multiprocessing turns its code into the exit status, as python does
    except BaseException as error:  # noqa: BLE001 - report it the way python would
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != script:
            tb = tb.tb_next  # start the traceback at the script, as python would
        traceback.print_exception(type(error), error, tb or error.__traceback__)
        sys.exit(1)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        if measured:
            measured.stop()
            measured.save()
        if mode == "prints":
            Path(results, "prints").write_text(json.dumps(prints), encoding="utf-8")


def _measure_coverage(script):
    """With SNIPPET_COVERAGE set to a folder (tests/conftest.py sets it), record which
    lines of the file ran there, for the suite's 100 % coverage check of snippets/."""
    folder = os.environ.get("SNIPPET_COVERAGE")
    if not folder:
        return None
    import coverage

    measured = coverage.Coverage(data_file=os.path.join(folder, ".coverage"), data_suffix=True, include=[script])
    measured.set_option("run:disable_warnings", ["no-data-collected"])
    measured.start()
    return measured


def _record_prints(script, prints):
    """print() also notes which line of the script's module-level code was running."""
    real_print = builtins.print

    def recording_print(*args, **kwargs):
        if kwargs.get("file") not in (None, sys.stdout):
            return real_print(*args, **kwargs)
        buffer = io.StringIO()
        real_print(*args, **{**kwargs, "file": buffer})
        sys.stdout.write(buffer.getvalue())
        frame = sys._getframe(1)
        while frame is not None and not (frame.f_code.co_filename == script and frame.f_code.co_name == "<module>"):
            frame = frame.f_back
        prints.append([frame.f_lineno if frame else None, buffer.getvalue()])

    builtins.print = recording_print


def _save_figure_on_show(target):
    """plt.show() saves the current figure as SVG instead: deterministic (no date,
    fixed element ids) and with text as paths, so a reader needs no font."""
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "neural-networks-proven"
    plt.rcParams["svg.fonttype"] = "path"

    def save_instead_of_show(*args, **kwargs):
        plt.gcf().savefig(target, format="svg", bbox_inches="tight", metadata={"Date": None})

    plt.show = save_instead_of_show
